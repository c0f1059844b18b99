package dev.opencx.channel.web;

import dev.opencx.OpenCx;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.PartialReply;
import dev.opencx.channel.StreamingChannel;
import dev.opencx.channel.web.internal.ChannelRuntime;
import dev.opencx.channel.web.internal.Checks;
import dev.opencx.channel.web.internal.Cors;
import dev.opencx.channel.web.internal.Hmac;
import dev.opencx.channel.web.internal.HttpError;
import dev.opencx.channel.web.internal.VisitorTokens;
import dev.opencx.channel.web.internal.WidgetEndpoints;
import dev.opencx.channel.web.internal.WidgetTexts;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Session;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebhookHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The web chat channel ({@code web}): the widget's API and its live event stream. Visitors' and
 * users' messages come in through {@link #handler()}; replies, handoff notices, agents' messages
 * and typing indicators go out over server-sent events, each identified by its position in the
 * session's event log, so a browser that reconnects (with {@code Last-Event-ID}) gets exactly what
 * it missed, also after a restart of the server.
 *
 * <pre>{@code
 * WebChannel web = WebChannel.builder()
 *         .secret(System.getenv("OPENCX_WIDGET_SECRET"))       // signs visitor tokens, checks user hashes
 *         .allowedOrigins("https://shop.example")
 *         .build();
 * OpenCx cx = OpenCx.builder().channel(web).knowledge(knowledge).build();
 * WebServer server = WebServer.builder().port(8080).mount(web).build().start();
 * // <script src="http://localhost:8080/widget.js" async></script>
 * }</pre>
 *
 * <p>Identity: an anonymous visitor gets a contact {@code custom:web-visitor:<random>} through a
 * signed token kept in the browser; a logged-in user of your app is identified by {@code userId}
 * plus {@code userHash = hex(HMAC-SHA256(secret, userId))}, computed by your server with {@link
 * #userHash}; a wrong or missing hash is refused with 401. A visitor can only read and write the
 * sessions of their own contact.
 *
 * <p>Register the channel with exactly one {@link OpenCx}: it reads the session log through it.
 * Thread-safe. {@link #close()} (called by {@code OpenCx.close()}) ends the open streams.
 */
public final class WebChannel implements StreamingChannel, Endpoint {
    /** What the widget shows: markdown, streamed drafts, typing; up to 16,000 characters. */
    public static final ChannelCapabilities CAPABILITIES =
            new ChannelCapabilities(true, true, true, false, false, 16_000);

    private final byte[] identitySecret;
    private final Set<String> allowedOrigins;
    private final Duration heartbeat;
    private final Duration reconnectDelay;
    private final WidgetEndpoints endpoints;
    private volatile ChannelRuntime runtime;

    private WebChannel(Builder b) {
        this.identitySecret = b.secret;
        this.allowedOrigins = Set.copyOf(b.origins);
        this.heartbeat = b.heartbeat;
        this.reconnectDelay = b.reconnectDelay;
        byte[] tokenSecret = b.secret != null ? b.secret : randomSecret();
        this.endpoints = new WidgetEndpoints(
                ChannelId.WEB,
                () -> runtime,
                new VisitorTokens(tokenSecret, b.tokenTtl, b.clock),
                b.secret,
                b.anonymousVisitors,
                new Cors(allowedOrigins),
                b.maxBodyBytes,
                b.texts.build());
    }

    /** A builder with the defaults documented on each method. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return ChannelId.WEB;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return CAPABILITIES;
    }

    /**
     * Called by {@code OpenCx.build()}.
     *
     * @throws IllegalStateException when the channel was started before
     */
    @Override
    public synchronized void start(ChannelContext cx) {
        Objects.requireNonNull(cx, "context");
        if (runtime != null) {
            throw new IllegalStateException(
                    "this WebChannel is already started by another OpenCx; build one channel per client");
        }
        runtime = new ChannelRuntime(cx, ChannelId.WEB, heartbeat, reconnectDelay.toMillis());
    }

    /**
     * Makes the message visible: the session's open streams read it from the log and push it. The
     * log already holds it, so a redelivery sends nothing twice.
     */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        started().delivered(message);
        return new DeliveryReceipt(message.idempotencyKey());
    }

    /** Tells the session's open streams at once that an agent joined or the session ended. */
    @Override
    public void sessionChanged(Session session) {
        started().sessionChanged(session.id());
    }

    /** Pushes a draft of the AI reply to the session's open streams (never stored, not resumed). */
    @Override
    public void partialReply(PartialReply partial) {
        started().partialReply(partial);
    }

    /**
     * The widget's endpoints, to mount at the root of a server: {@code GET /widget.js} and {@code
     * /widget/v1/*}. {@link WebServer.Builder#web} mounts it; in your own server, pass requests whose
     * path starts with {@code /widget} to it (see the module README).
     */
    /** {@code /}. */
    @Override
    public String mountPath() {
        return "/";
    }

    @Override
    public WebhookHandler handler() {
        return endpoints;
    }

    /**
     * The {@code userHash} of one of your users: {@code hex(HMAC-SHA256(secret, userId))}. Compute it
     * on your server and put it in the page with the user id; never send the secret to browsers.
     *
     * @throws IllegalStateException when no secret was configured
     */
    public String userHash(String userId) {
        if (identitySecret == null) {
            throw new IllegalStateException("identity verification needs a secret: WebChannel.builder().secret(...)");
        }
        return userHash(identitySecret, userId);
    }

    /**
     * {@code hex(HMAC-SHA256(secret, userId))}, lower case: what the widget's {@code data-user-hash}
     * carries. The hash is over the id as OpenCX stores it, without leading and trailing spaces
     * ({@code Identity.custom(userId).value()}); the widget checks it over that same canonical id.
     *
     * @throws IllegalArgumentException when the id is blank or longer than 200 characters, or
     *     starts with {@code web-visitor:} (reserved for anonymous visitors)
     */
    public static String userHash(byte[] secret, String userId) {
        Objects.requireNonNull(secret, "secret");
        Objects.requireNonNull(userId, "userId");
        try {
            return Hmac.sha256Hex(secret, WidgetEndpoints.claimedUser(userId).value());
        } catch (HttpError e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    /** The origins allowed to call the widget API from a browser (besides the server's own). */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Open event streams (browsers with the widget open). */
    public int openStreams() {
        ChannelRuntime rt = runtime;
        return rt == null ? 0 : rt.hub().openStreams();
    }

    /**
     * Ends every open event stream, e.g. before a server is taken out of a load balancer; browsers
     * reconnect and resume from their last event.
     */
    public void closeStreams() {
        ChannelRuntime rt = runtime;
        if (rt != null) {
            rt.hub().closeStreams();
        }
    }

    /** Ends the open streams and stops the stream threads; idempotent. */
    @Override
    public void close() {
        ChannelRuntime rt = runtime;
        if (rt != null) {
            rt.close();
        }
    }

    private ChannelRuntime started() {
        ChannelRuntime rt = runtime;
        if (rt == null) {
            throw new IllegalStateException(
                    "the web channel is not started: register it with OpenCx.builder().channel(web)");
        }
        return rt;
    }

    private static byte[] randomSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    /** Normalises an origin ({@code https://shop.example:8443}); fails naming the bad value. */
    static String origin(String raw) {
        Objects.requireNonNull(raw, "origin");
        String o = raw.strip();
        if (o.equals("*")) {
            throw new IllegalArgumentException("allowed origin '*' is not supported: list each site's origin");
        }
        URI u;
        try {
            u = new URI(o.endsWith("/") ? o.substring(0, o.length() - 1) : o);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("allowed origin must look like https://shop.example, was '" + raw + "'");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https"))
                || u.getHost() == null
                || !(u.getRawPath() == null || u.getRawPath().isEmpty())
                || u.getRawQuery() != null
                || u.getRawFragment() != null
                || u.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    "allowed origin must be scheme://host[:port] with http or https and no path, was '" + raw + "'");
        }
        return scheme + "://" + u.getHost().toLowerCase(Locale.ROOT) + (u.getPort() >= 0 ? ":" + u.getPort() : "");
    }

    /**
     * Configures a {@link WebChannel}. Every setter checks its value at once and names it when it
     * is wrong.
     */
    public static final class Builder {
        private byte[] secret;
        private final Set<String> origins = new LinkedHashSet<>();
        private Duration tokenTtl = Duration.ofDays(30);
        private Duration heartbeat = Duration.ofSeconds(15);
        private Duration reconnectDelay = Duration.ofSeconds(2);
        private int maxBodyBytes = 64 * 1024;
        private boolean anonymousVisitors = true;
        private Clock clock = Clock.systemUTC();
        private final WidgetTexts.Builder texts = WidgetTexts.builder();

        private Builder() {}

        /**
         * The server secret (at least 32 bytes) that signs visitor tokens and checks user hashes.
         * Default: none, a random key per process: anonymous visitors then start over after a
         * restart, and identity verification is off.
         */
        public Builder secret(byte[] secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.length < 32) {
                throw new IllegalArgumentException("secret must be at least 32 bytes, was " + secret.length);
            }
            this.secret = secret.clone();
            return this;
        }

        /** {@link #secret(byte[])} from a string's UTF-8 bytes. */
        public Builder secret(String secret) {
            return secret(Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8));
        }

        /**
         * Origins whose pages may use the widget API ({@code https://shop.example}); pages served
         * by the same server are always allowed. Default: none.
         */
        public Builder allowedOrigins(String... origins) {
            for (String o : Objects.requireNonNull(origins, "origins")) {
                this.origins.add(origin(o));
            }
            return this;
        }

        /** How long a widget token is valid (default 30 days, at most 365). */
        public Builder tokenTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(Duration.ofDays(365)) > 0) {
                throw new IllegalArgumentException("tokenTtl must be from 1 ms to 365 days, was " + ttl);
            }
            this.tokenTtl = ttl;
            return this;
        }

        /** Comment sent on idle streams so proxies keep them open (default 15 s, 100 ms to 5 min). */
        public Builder heartbeat(Duration every) {
            this.heartbeat = Checks.heartbeat(every);
            return this;
        }

        /** The delay browsers wait before reconnecting a dropped stream (default 2 s, 100 ms to 1 min). */
        public Builder reconnectDelay(Duration delay) {
            Objects.requireNonNull(delay, "delay");
            if (delay.toMillis() < 100 || delay.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException("reconnectDelay must be from 100 ms to 1 minute, was " + delay);
            }
            this.reconnectDelay = delay;
            return this;
        }

        /** Largest request body accepted (default 64 KiB, 1 KiB to 16 MiB); larger ones get 413. */
        public Builder maxBodyBytes(int max) {
            this.maxBodyBytes = Checks.maxBodyBytes(max);
            return this;
        }

        /** Whether visitors who are not logged in may chat (default true). */
        public Builder anonymousVisitors(boolean allowed) {
            this.anonymousVisitors = allowed;
            return this;
        }

        /** The clock tokens expire by (default the system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * One of the widget's own texts (a label, placeholder or status line) in one locale, ahead of
         * OpenCX's and your bundles': {@code text("widget.input.placeholder", "de", "Ihre Frage…")}.
         * The keys are those of {@code dev/opencx/channel/web/widget_en.properties}; a locale is a
         * language ({@code "fr"}) or a tag for one country ({@code "pt-BR"}); {@code {name}}
         * placeholders are filled by the widget.
         *
         * @throws IllegalArgumentException if the text is blank or the locale names no language; an
         *     unknown key fails {@link #build()}, naming the known keys
         * @throws NullPointerException if an argument is null
         */
        public Builder text(String key, String locale, String text) {
            texts.text(key, locale, text);
            return this;
        }

        /**
         * Your own resource bundle of widget texts, read with this class's class loader: {@code
         * texts("com.example.support.widget")} reads {@code com/example/support/widget_de.properties}
         * (UTF-8) and the like. Any key it defines in a locale wins over OpenCX's text in that locale,
         * and a locale OpenCX has no texts in (say {@code _it}) becomes one the widget speaks; keys it
         * leaves out keep OpenCX's. Later calls win over earlier ones; {@link #text(String, String,
         * String)} wins over all bundles.
         *
         * @throws IllegalArgumentException if the base name is blank
         */
        public Builder texts(String baseName) {
            return texts(baseName, WebChannel.class.getClassLoader());
        }

        /** Like {@link #texts(String)}, with the class loader that sees the bundle. */
        public Builder texts(String baseName, ClassLoader loader) {
            texts.bundle(baseName, loader);
            return this;
        }

        /**
         * @throws IllegalStateException when anonymous visitors are refused but no secret is set
         *     (nobody could then use the widget)
         * @throws IllegalArgumentException when a {@link #text(String, String, String) text} names an
         *     unknown key
         */
        public WebChannel build() {
            if (!anonymousVisitors && secret == null) {
                throw new IllegalStateException(
                        "anonymousVisitors(false) needs a secret for identity verification: call secret(...)");
            }
            return new WebChannel(this);
        }
    }
}
