package dev.opencx.channel.whatsapp;

import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.whatsapp.internal.CallbackData;
import dev.opencx.channel.whatsapp.internal.CallbackData.Route;
import dev.opencx.channel.whatsapp.internal.GraphApi;
import dev.opencx.channel.whatsapp.internal.Recent;
import dev.opencx.channel.whatsapp.internal.WebhookPayload;
import dev.opencx.channel.whatsapp.internal.WhatsAppText;
import dev.opencx.connect.ProviderHttp;
import dev.opencx.connect.Signatures;
import dev.opencx.connect.TextParts;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WhatsApp over Meta's Cloud API: customers' messages arrive on a webhook, replies go out through
 * the Graph API. Register it with {@code OpenCx} as a channel and mount it on a web server as an
 * endpoint ({@code /webhooks/whatsapp} by default).
 *
 * <pre>{@code
 * WhatsAppChannel whatsapp = WhatsAppChannel.builder()
 *         .phoneNumberId(System.getenv("WHATSAPP_PHONE_NUMBER_ID"))
 *         .accessToken(System.getenv("WHATSAPP_ACCESS_TOKEN"))
 *         .appSecret(System.getenv("WHATSAPP_APP_SECRET"))
 *         .verifyToken(System.getenv("WHATSAPP_VERIFY_TOKEN"))
 *         .template(WhatsAppTemplate.builder("reply_waiting", "en_US").build())
 *         .build();
 * OpenCx cx = OpenCx.builder().channel(whatsapp).knowledge(knowledge).build();
 * WebServer server = WebServer.builder().port(8080).mount(whatsapp).build().start();
 * }</pre>
 *
 * <p><b>Inbound.</b> {@code GET} answers Meta's verification handshake. A {@code POST} is checked
 * against {@code X-Hub-Signature-256} over its raw bytes (401 and nothing stored when it does not
 * match), read (400 with the reason when it is not a WhatsApp Business Account delivery), and
 * answered 200 only once every message in it is durably stored; when the store fails the answer is
 * 503 and Meta delivers again later, and a message delivered twice is stored once (its {@code
 * wamid} is the external id). Text, media (as {@code whatsapp-media:<id>} attachment references,
 * see {@link #fetchMedia}), button and list replies, template quick replies and locations become
 * messages; reactions, system and unsupported messages are skipped and logged.
 *
 * <p><b>Statuses.</b> Meta's {@code sent}, {@code delivered}, {@code read} and {@code failed}
 * reports are recorded in the session log ({@link DeliveryUpdated}), each once. Every message the
 * channel sends carries {@code biz_opaque_callback_data} naming its session and message, which Meta
 * echoes in these reports.
 *
 * <p><b>Outbound and the 24-hour window.</b> Replies are converted from markdown to WhatsApp's
 * formatting and split at 4,096 characters. WhatsApp accepts free-form messages only within 24
 * hours of the customer's last message (read from the session log, so it survives restarts);
 * outside it the channel sends the configured {@link WhatsAppTemplate} instead, or, without one,
 * fails the delivery permanently so the session log shows {@code DeliveryFailed} with the reason.
 * Meta's error 131047 (re-engagement required) takes the same path. Errors: 429, 5xx and Meta's
 * throttling codes are retried by the outbox (honouring {@code Retry-After}); other errors fail the
 * delivery with Meta's error code in the message.
 *
 * <p>Secrets (access token, app secret, verify token) are never logged nor shown by {@link
 * #toString()}. Thread-safe; register it with exactly one {@code OpenCx}.
 */
public final class WhatsAppChannel implements Channel, Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(WhatsAppChannel.class);

    /** WhatsApp's longest text message body. */
    public static final int MAX_TEXT_LENGTH = 4096;

    /** The customer service window: free-form messages only this long after the customer's last message. */
    public static final Duration SERVICE_WINDOW = Duration.ofHours(24);

    /** The Graph API version used unless {@link Builder#apiVersion} says otherwise. */
    public static final String DEFAULT_API_VERSION = "v21.0";

    private static final int MEMORY = 10_000;

    private final ChannelId id;
    private final String phoneNumberId;
    private final List<String> appSecrets;
    private final String verifyToken;
    private final String mountPath;
    private final WhatsAppTemplate template;
    private final boolean linkPreviews;
    private final Clock clock;
    private final GraphApi graph;
    private final String graphDescription;
    private final Recent<String, String> sent = new Recent<>(MEMORY);
    private final Recent<String, Route> routes = new Recent<>(MEMORY);
    private final Recent<String, Boolean> statuses = new Recent<>(MEMORY);
    private final Recent<String, Instant> lastInbound = new Recent<>(MEMORY);
    private final Object statusLock = new Object();
    private volatile ChannelContext context;

    private WhatsAppChannel(Builder b, HttpUrl base) {
        this.id = b.id;
        this.phoneNumberId = b.phoneNumberId;
        List<String> secrets = new ArrayList<>();
        secrets.add(b.appSecret);
        if (b.previousAppSecret != null) {
            secrets.add(b.previousAppSecret);
        }
        this.appSecrets = List.copyOf(secrets);
        this.verifyToken = b.verifyToken;
        this.mountPath = b.mountPath;
        this.template = b.template;
        this.linkPreviews = b.linkPreviews;
        this.clock = b.clock;
        ProviderHttp.Builder http = ProviderHttp.builder("whatsapp").errorCode(GraphApi::errorCode);
        if (b.client != null) {
            http.client(b.client);
        }
        this.graph = new GraphApi(http.build(), base, b.apiVersion, b.phoneNumberId, b.accessToken, b.maxMediaBytes);
        this.graphDescription =
                base.newBuilder().addPathSegment(b.apiVersion).build().toString();
    }

    /** A builder; phone number id, access token, app secret and verify token are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return id;
    }

    /**
     * WhatsApp's formatting (converted from markdown), 4,096 characters per message (longer
     * replies are split), no buttons (OpenCX's outbound messages carry no choices), no outbound
     * attachments.
     */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(true, false, false, false, false, MAX_TEXT_LENGTH, false, false);
    }

    /** Replies go to the contact's phone number (the WhatsApp id with a {@code +}). */
    @Override
    public List<IdentityType> answersOn() {
        return List.of(IdentityType.PHONE);
    }

    @Override
    public synchronized void start(ChannelContext ctx) {
        Objects.requireNonNull(ctx, "context");
        if (context != null) {
            throw new IllegalStateException("this WhatsAppChannel is already started by another OpenCx");
        }
        context = ctx;
    }

    /** {@code /webhooks/whatsapp} unless {@link Builder#mountPath} says otherwise. */
    @Override
    public String mountPath() {
        return mountPath;
    }

    /** Answers Meta's verification handshake ({@code GET}) and its deliveries ({@code POST}). */
    @Override
    public WebhookHandler handler() {
        return this::handle;
    }

    // ------------------------------------------------------------------ inbound

    private WebResponse handle(WebRequest request) {
        String path = request.path();
        if (!path.isEmpty() && !path.equals("/")) {
            return WebResponse.error(404, "not_found", "the WhatsApp webhook is served at " + mountPath);
        }
        return switch (request.method()) {
            case "GET" -> verify(request);
            case "POST" -> deliver(request);
            default -> WebResponse.error(405, "method_not_allowed", "use GET (verification) or POST (events)")
                    .withHeader("Allow", "GET, POST");
        };
    }

    private WebResponse verify(WebRequest request) {
        String mode = request.queryParam("hub.mode").orElse("");
        String token = request.queryParam("hub.verify_token").orElse("");
        String challenge = request.queryParam("hub.challenge").orElse("");
        if (!mode.equals("subscribe")) {
            return WebResponse.error(403, "verification_failed", "hub.mode must be 'subscribe'");
        }
        if (!Signatures.equalsConstantTime(verifyToken, token)) {
            LOG.warn("WhatsApp webhook verification refused: hub.verify_token does not match");
            return WebResponse.error(403, "verification_failed", "hub.verify_token does not match the verify token");
        }
        if (challenge.isEmpty()
                || challenge.length() > 256
                || !challenge.chars().allMatch(c -> c > 32 && c < 127)) {
            return WebResponse.error(
                    400, "invalid_challenge", "hub.challenge must be 1 to 256 visible ASCII characters");
        }
        LOG.info("WhatsApp webhook verified by Meta");
        return WebResponse.text(200, challenge);
    }

    private WebResponse deliver(WebRequest request) {
        byte[] body = request.body();
        Optional<String> header = request.header("X-Hub-Signature-256");
        if (header.isEmpty()) {
            LOG.warn("WhatsApp webhook refused: no X-Hub-Signature-256 header");
            return WebResponse.error(401, "bad_signature", "X-Hub-Signature-256 is missing");
        }
        if (!signedByMeta(header.get(), body)) {
            LOG.warn("WhatsApp webhook refused: X-Hub-Signature-256 does not match the body");
            return WebResponse.error(
                    401, "bad_signature", "X-Hub-Signature-256 does not match the body under the app secret");
        }
        ChannelContext ctx = context;
        if (ctx == null) {
            return WebResponse.error(503, "not_started", "the WhatsApp channel is not registered with a running OpenCx")
                    .withHeader("Retry-After", "5");
        }
        WebhookPayload payload;
        try {
            payload = WebhookPayload.parse(body, id, phoneNumberId);
        } catch (WebhookPayload.Malformed e) {
            LOG.warn("WhatsApp webhook refused ({}): {}", e.code(), e.getMessage());
            return WebResponse.error(400, e.code(), e.getMessage());
        }
        if (!payload.skipped().isEmpty()) {
            LOG.info("WhatsApp webhook: skipped {}", payload.skipped());
        }
        AtomicInteger stored = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        for (WebhookPayload.Inbound in : payload.messages()) {
            done = done.thenCompose(v -> store(ctx, in, stored, duplicates));
        }
        done = done.thenRun(() -> payload.statuses().forEach(s -> record(ctx, s)));
        return WebResponse.later(done.handle((v, failure) -> {
            if (failure == null) {
                return WebResponse.json(
                        200,
                        "{\"stored\":" + stored.get() + ",\"duplicates\":" + duplicates.get() + ",\"statuses\":"
                                + payload.statuses().size() + "}");
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            LOG.warn("WhatsApp webhook not stored, Meta will deliver it again: {}", cause.toString());
            return WebResponse.error(503, "store_unavailable", "the delivery could not be stored; deliver it again")
                    .withHeader("Retry-After", "30");
        }));
    }

    private boolean signedByMeta(String header, byte[] body) {
        String given = header.strip().toLowerCase(Locale.ROOT);
        boolean ok = false;
        for (String secret : appSecrets) {
            String expected = "sha256=" + Signatures.hex(Signatures.hmacSha256(secret, body));
            ok |= Signatures.equalsConstantTime(expected, given);
        }
        return ok;
    }

    private CompletableFuture<Void> store(
            ChannelContext ctx, WebhookPayload.Inbound in, AtomicInteger stored, AtomicInteger duplicates) {
        CompletableFuture<dev.opencx.channel.ReceiveReceipt> receipt;
        try {
            receipt = ctx.receive(in.message());
        } catch (RuntimeException e) {
            receipt = CompletableFuture.failedFuture(e);
        }
        return receipt.handle((r, failure) -> {
            if (failure == null) {
                (r.duplicate() ? duplicates : stored).incrementAndGet();
                Instant at = in.message().receivedAt() != null ? in.message().receivedAt() : clock.instant();
                Instant known = lastInbound.get(in.waId()).orElse(Instant.EPOCH);
                lastInbound.put(in.waId(), at.isAfter(known) ? at : known);
                return null;
            }
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (cause instanceof IllegalArgumentException
                    || (cause instanceof OpenCxException oe && !oe.isRetriable())) {
                // can never be accepted (a full session, a reused id): asking Meta to retry would not help
                LOG.warn(
                        "WhatsApp message {} refused and acknowledged: {}",
                        in.message().externalId(),
                        cause.getMessage());
                return null;
            }
            throw cause instanceof RuntimeException re ? re : new CompletionException(cause);
        });
    }

    private void record(ChannelContext ctx, WebhookPayload.Status s) {
        String key = s.wamid() + '\u0000' + s.status();
        if (statuses.contains(key)) {
            return;
        }
        DeliveryUpdated.State state =
                switch (s.status()) {
                    case "sent" -> DeliveryUpdated.State.SENT;
                    case "delivered" -> DeliveryUpdated.State.DELIVERED;
                    case "read" -> DeliveryUpdated.State.READ;
                    case "failed" -> DeliveryUpdated.State.FAILED;
                    default -> null;
                };
        if (state == null) {
            LOG.debug("WhatsApp status '{}' of {} is not recorded", s.status(), s.wamid());
            return;
        }
        Optional<Route> route = CallbackData.parse(s.callbackData()).or(() -> routes.get(s.wamid()));
        if (route.isEmpty()) {
            LOG.debug("WhatsApp status of {} is for a message this channel did not send", s.wamid());
            statuses.put(key, Boolean.TRUE);
            return;
        }
        if (s.errorCode() == GraphApi.REENGAGEMENT_REQUIRED) {
            LOG.warn("WhatsApp message {} failed: 131047, the 24-hour customer service window was closed", s.wamid());
        }
        synchronized (statusLock) {
            try {
                if (!recordedBefore(ctx, route.get().sessionId(), s)) {
                    ctx.deliveryUpdated(
                            route.get().sessionId(),
                            new DeliveryUpdated(
                                    route.get().messageId(), id.value(), s.wamid(), state, s.status(), s.error()));
                }
            } catch (IllegalArgumentException e) {
                LOG.debug("WhatsApp status of {} not recorded: {}", s.wamid(), e.getMessage());
            }
            statuses.put(key, Boolean.TRUE);
        }
    }

    /** True when the session log already holds this report (a redelivery after a restart). */
    private boolean recordedBefore(ChannelContext ctx, String sessionId, WebhookPayload.Status s) {
        for (SessionEvent e : ctx.timeline(sessionId)) {
            if (e.payload() instanceof DeliveryUpdated u
                    && u.externalId().equals(s.wamid())
                    && u.providerStatus().equals(s.status())) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ outbound

    /**
     * Sends a reply: as text (split at 4,096 characters) while the customer's service window is
     * open, as the configured template when it is closed.
     *
     * @return the {@code wamid} of the (first) message sent
     * @throws OpenCxException retriable for 429, 5xx and Meta's throttling codes; permanent for
     *     other errors, a recipient without a phone number, and a closed window without a template
     */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        ChannelContext ctx = started();
        if (message.recipient().type() != IdentityType.PHONE) {
            throw OpenCxException.permanent(
                    "WhatsApp sends to phone numbers; the recipient of " + message.ticket() + " is a "
                            + message.recipient().type() + " identity",
                    null);
        }
        String to = message.recipient().value();
        String waId = to.substring(1);
        Route route = new Route(message.sessionId(), message.messageId());
        Optional<Instant> last = lastCustomerMessage(ctx, message.sessionId(), waId);
        Instant now = clock.instant();
        if (last.isEmpty() || !last.get().plus(SERVICE_WINDOW).isAfter(now)) {
            String why = last.isEmpty()
                    ? "no message from the customer is known"
                    : "the customer last wrote at " + last.get() + ", more than 24 hours before " + now;
            return outsideWindow(ctx, message, to, route, why);
        }
        try {
            return sendText(message, to, route);
        } catch (GraphApi.GraphError e) {
            if (e.code() == GraphApi.REENGAGEMENT_REQUIRED) {
                return outsideWindow(ctx, message, to, route, "WhatsApp refused free-form text with error 131047");
            }
            throw e;
        }
    }

    private DeliveryReceipt sendText(OutboundMessage message, String to, Route route) {
        String text = WhatsAppText.fromMarkdown(message.text()).strip();
        String sources = WhatsAppText.sources(text, message.sources());
        if (!sources.isEmpty()) {
            text = text.isEmpty() ? sources : text + "\n\n" + sources;
        }
        List<String> parts = TextParts.split(text, MAX_TEXT_LENGTH);
        if (parts.isEmpty()) {
            throw OpenCxException.permanent("the reply for " + message.ticket() + " has no text to send", null);
        }
        String callback = CallbackData.of(route.sessionId(), route.messageId());
        String first = null;
        for (int i = 0; i < parts.size(); i++) {
            String key = message.idempotencyKey() + "#" + i;
            Optional<String> before = sent.get(key);
            String wamid;
            if (before.isPresent()) {
                wamid = before.get(); // sent by an earlier attempt that failed on a later part
            } else {
                String part = parts.get(i);
                boolean preview = linkPreviews && (part.contains("https://") || part.contains("http://"));
                wamid = graph.send(GraphApi.text(to, part, preview, callback));
                sent.put(key, wamid);
                routes.put(wamid, route);
            }
            first = first == null ? wamid : first;
        }
        LOG.debug("WhatsApp reply for {} sent in {} message(s)", message.ticket(), parts.size());
        return new DeliveryReceipt(first);
    }

    private DeliveryReceipt outsideWindow(
            ChannelContext ctx, OutboundMessage message, String to, Route route, String why) {
        if (template == null) {
            throw OpenCxException.permanent(
                    "WhatsApp's 24-hour customer service window is closed for " + message.ticket() + " (" + why
                            + "): WhatsApp accepts only approved templates now, and no template is configured"
                            + " (WhatsAppChannel.Builder.template)",
                    null);
        }
        String key = message.idempotencyKey() + "#template";
        Optional<String> before = sent.get(key);
        String wamid;
        if (before.isPresent()) {
            wamid = before.get();
        } else {
            wamid = graph.send(GraphApi.template(
                    to,
                    template.name(),
                    template.language(),
                    template.parametersFor(message),
                    CallbackData.of(route.sessionId(), route.messageId())));
            sent.put(key, wamid);
            routes.put(wamid, route);
            LOG.info(
                    "WhatsApp window closed for {} ({}): sent template '{}' instead of the reply",
                    message.ticket(),
                    why,
                    template.name());
            try {
                ctx.deliveryUpdated(
                        message.sessionId(),
                        new DeliveryUpdated(
                                message.messageId(),
                                id.value(),
                                wamid,
                                DeliveryUpdated.State.SENT,
                                "template " + template.name() + " (24-hour window closed)",
                                ""));
            } catch (RuntimeException e) {
                LOG.warn("could not record the template sent for {}: {}", message.ticket(), e.toString());
            }
        }
        return new DeliveryReceipt(wamid);
    }

    /** The latest customer message: the session log's last one, or a later one seen by this process. */
    private Optional<Instant> lastCustomerMessage(ChannelContext ctx, String sessionId, String waId) {
        Instant best = lastInbound.get(waId).orElse(null);
        try {
            for (SessionEvent e : ctx.timeline(sessionId)) {
                if (e.payload() instanceof MessageReceived r) {
                    Instant at = r.message().at();
                    best = best == null || at.isAfter(best) ? at : best;
                }
            }
        } catch (IllegalArgumentException unknownSession) {
            // nothing in the log: what this process saw is all there is
        }
        return Optional.ofNullable(best);
    }

    /**
     * Fetches a media file a customer sent, from its attachment reference ({@code
     * whatsapp-media:<id>}, as stored on the message) or the bare media id: two Graph API calls (the
     * media's URL, then its bytes; the URL expires after a few minutes, so it is never stored).
     *
     * @throws IllegalArgumentException for a reference that is not a WhatsApp media id
     * @throws OpenCxException retriable for 429, 5xx and I/O errors; permanent for a file larger
     *     than {@link Builder#maxMediaBytes} or an unknown or expired media id (WhatsApp keeps
     *     inbound media for 30 days)
     */
    public WhatsAppMedia fetchMedia(String reference) {
        Objects.requireNonNull(reference, "reference");
        String mediaId = reference.startsWith(WebhookPayload.MEDIA_SCHEME)
                ? reference.substring(WebhookPayload.MEDIA_SCHEME.length())
                : reference;
        if (!MEDIA_ID.matcher(mediaId).matches()) {
            throw new IllegalArgumentException("not a WhatsApp media reference: '" + reference + "'");
        }
        GraphApi.Media m = graph.media(mediaId);
        return new WhatsAppMedia(m.mediaId(), m.contentType(), m.bytes());
    }

    private static final Pattern MEDIA_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    private ChannelContext started() {
        ChannelContext ctx = context;
        if (ctx == null) {
            throw new IllegalStateException(
                    "the WhatsApp channel is not started: register it with OpenCx.builder().channel(whatsapp)");
        }
        return ctx;
    }

    /** Releases the HTTP client it owns; idempotent. */
    @Override
    public void close() {
        graph.close();
    }

    @Override
    public String toString() {
        return "WhatsAppChannel{" + id + ", phoneNumberId=" + phoneNumberId + ", graph=" + graphDescription
                + ", template=" + (template == null ? "none" : template.name()) + "}";
    }

    /**
     * Configures a {@link WhatsAppChannel}. Setters refuse null; {@link #build()} checks every
     * setting at once and names each one that is missing or wrong (never a secret's value).
     */
    public static final class Builder {
        private static final Pattern DIGITS = Pattern.compile("[0-9]{1,32}");
        private static final Pattern VERSION = Pattern.compile("v[0-9]{1,3}\\.[0-9]{1,2}");
        private static final Pattern MOUNT = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

        private ChannelId id = ChannelId.WHATSAPP;
        private String phoneNumberId;
        private String accessToken;
        private String appSecret;
        private String previousAppSecret;
        private String verifyToken;
        private String graphBaseUrl = "https://graph.facebook.com";
        private String apiVersion = DEFAULT_API_VERSION;
        private String mountPath = "/webhooks/whatsapp";
        private WhatsAppTemplate template;
        private boolean linkPreviews;
        private Clock clock = Clock.systemUTC();
        private OkHttpClient client;
        private long maxMediaBytes = 16L * 1024 * 1024;

        private Builder() {}

        /** The channel id (default {@code whatsapp}). */
        public Builder id(ChannelId id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The business phone number's id (WhatsApp Manager → API Setup), digits. Required. */
        public Builder phoneNumberId(String phoneNumberId) {
            this.phoneNumberId = Objects.requireNonNull(phoneNumberId, "phoneNumberId");
            return this;
        }

        /** A permanent access token (a system user's) with {@code whatsapp_business_messaging}. Required. */
        public Builder accessToken(String token) {
            this.accessToken = Objects.requireNonNull(token, "accessToken");
            return this;
        }

        /** The Meta app's App Secret, which signs webhook deliveries. Required. */
        public Builder appSecret(String secret) {
            this.appSecret = Objects.requireNonNull(secret, "appSecret");
            return this;
        }

        /**
         * The App Secret before a rotation: deliveries signed with either are accepted until you
         * remove it (Meta signs with the new secret at once, but deliveries already on their way
         * and retries carry the old signature).
         */
        public Builder previousAppSecret(String secret) {
            this.previousAppSecret = Objects.requireNonNull(secret, "previousAppSecret");
            return this;
        }

        /** The verify token you type in the app's webhook settings. Required. */
        public Builder verifyToken(String token) {
            this.verifyToken = Objects.requireNonNull(token, "verifyToken");
            return this;
        }

        /** The Graph API's base URL (default {@code https://graph.facebook.com}; tests point it at a fake). */
        public Builder graphBaseUrl(String url) {
            this.graphBaseUrl = Objects.requireNonNull(url, "graphBaseUrl");
            return this;
        }

        /** The Graph API version (default {@value WhatsAppChannel#DEFAULT_API_VERSION}). */
        public Builder apiVersion(String version) {
            this.apiVersion = Objects.requireNonNull(version, "apiVersion");
            return this;
        }

        /** Where {@code WebServer.mount(channel)} serves the webhook (default {@code /webhooks/whatsapp}). */
        public Builder mountPath(String path) {
            this.mountPath = Objects.requireNonNull(path, "mountPath");
            return this;
        }

        /**
         * The template sent when the 24-hour window is closed. Without one (the default) such a
         * reply fails and the session log shows why.
         */
        public Builder template(WhatsAppTemplate template) {
            this.template = Objects.requireNonNull(template, "template");
            return this;
        }

        /** Asks WhatsApp to show a preview of a link in a reply (default off). */
        public Builder linkPreviews(boolean on) {
            this.linkPreviews = on;
            return this;
        }

        /** The clock the 24-hour window is measured with (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** An OkHttp client to share with the application (default: one of its own, closed with the channel). */
        public Builder httpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "httpClient");
            return this;
        }

        /** The largest media file {@link WhatsAppChannel#fetchMedia} reads (default 16 MiB). */
        public Builder maxMediaBytes(long max) {
            this.maxMediaBytes = max;
            return this;
        }

        /**
         * @throws IllegalStateException naming every setting that is missing or wrong
         */
        public WhatsAppChannel build() {
            List<String> problems = new ArrayList<>();
            if (phoneNumberId == null) {
                problems.add("phoneNumberId is missing");
            } else if (!DIGITS.matcher(phoneNumberId).matches()) {
                problems.add("phoneNumberId must be digits, was '" + phoneNumberId + "'");
            }
            secret(problems, "accessToken", accessToken, true);
            secret(problems, "appSecret", appSecret, true);
            secret(problems, "previousAppSecret", previousAppSecret, false);
            secret(problems, "verifyToken", verifyToken, true);
            HttpUrl base = HttpUrl.parse(graphBaseUrl);
            if (base == null || !base.encodedPath().equals("/") || base.query() != null) {
                problems.add("graphBaseUrl must be an http(s) URL without a path, was '" + graphBaseUrl + "'");
            }
            if (!VERSION.matcher(apiVersion).matches()) {
                problems.add("apiVersion must look like v21.0, was '" + apiVersion + "'");
            }
            if (!MOUNT.matcher(mountPath).matches()) {
                problems.add("mountPath must look like /webhooks/whatsapp, was '" + mountPath + "'");
            }
            if (maxMediaBytes < 1) {
                problems.add("maxMediaBytes must be positive, was " + maxMediaBytes);
            }
            if (!problems.isEmpty()) {
                throw new IllegalStateException(
                        "WhatsAppChannel is not configured right: " + String.join("; ", problems));
            }
            return new WhatsAppChannel(this, base);
        }

        private static void secret(List<String> problems, String name, String value, boolean required) {
            if (value == null) {
                if (required) {
                    problems.add(name + " is missing");
                }
            } else if (value.isBlank()) {
                problems.add(name + " is blank");
            } else if (!value.equals(value.strip()) || value.chars().anyMatch(Character::isWhitespace)) {
                problems.add(name + " contains white space (" + value.length() + " characters)");
            }
        }
    }
}
