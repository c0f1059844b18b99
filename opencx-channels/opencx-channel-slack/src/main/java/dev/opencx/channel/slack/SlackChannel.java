package dev.opencx.channel.slack;

import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import dev.opencx.knowledge.Citation;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebhookHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack as a support channel, over the <a href="https://api.slack.com/apis/events-api">Events
 * API</a> (inbound) and {@code chat.postMessage} (outbound), without Slack's SDK.
 *
 * <pre>{@code
 * SlackChannel slack = SlackChannel.builder()
 *         .botToken(System.getenv("SLACK_BOT_TOKEN"))          // xoxb-…
 *         .signingSecret(System.getenv("SLACK_SIGNING_SECRET"))
 *         .supportChannel("C0123SUPPORT")                     // a thread per customer message
 *         .directMessages(true)                               // and the app's DMs
 *         .build();
 * OpenCx cx = OpenCx.builder().channel(slack).build();
 * WebServer server = WebServer.builder().mount(slack).build().start();   // POST /webhooks/slack
 * }</pre>
 *
 * <p><b>Where sessions live.</b> In a support channel (public or private, the bot a member) each
 * top-level message of a person starts a thread, and that thread is a session: the message's
 * {@code ts} is the thread root, replies in the thread continue the session, and every answer (the
 * AI's, an agent's, the handoff notice) is posted in the thread. In a direct message with the app
 * the DM itself is the conversation: one open session per person, answers at the top level of the
 * DM; once that session is resolved, the next message opens a new one. Group DMs and channels that
 * are not support channels are ignored.
 *
 * <p><b>Inbound.</b> Every request must carry a valid {@code v0} signature ({@link SlackSignature},
 * the current or the previous signing secret) dated within five minutes of {@link
 * Builder#clock}: otherwise {@code 401} and nothing is stored. {@code url_verification} is answered
 * with its challenge. Messages written by a person are stored; the app's own messages, other bots'
 * messages and system subtypes (edits, deletions, joins…) are ignored. The HTTP answer waits until
 * the message is durably stored (the AI's turn runs afterwards, asynchronously), then says {@code
 * 200}. If storing takes longer than {@link Builder#ackTimeout} (2.5 s, inside Slack's 3 s) or
 * fails for a reason that may pass, the answer is {@code 503} and Slack retries: each Slack message
 * is stored under the id {@code <channel>:<ts>}, so its retries ({@code X-Slack-Retry-Num}), and an
 * {@code app_mention} of the same message, are processed once. A payload that can never be
 * accepted gets a {@code 4xx} naming the reason and {@code X-Slack-No-Retry: 1}.
 *
 * <p><b>Outbound.</b> The markdown of a reply is converted to mrkdwn ({@link SlackMrkdwn}), split
 * into messages of at most {@link Builder#maxTextLength} characters (4,000 by default, Slack's
 * recommended size; its hard limit is 40,000) and posted in the session's thread. HTTP {@code 429}
 * with {@code Retry-After}, {@code 5xx}, network errors and Slack's transient {@code ok:false}
 * codes are retriable (the outbox tries again, in order); other {@code ok:false} codes are
 * permanent ({@link SlackApiException} names the code). Slack has no idempotency key: the channel
 * remembers the last 10,000 sent messages (and the parts of each) and does not post them twice.
 *
 * <p>The contact of a Slack user is the custom identity {@code slack:<team id>:<user id>}; the
 * display name comes from the event's {@code user_profile} when Slack includes it (no {@code
 * users.info} call is made). Thread-safe; {@link #toString()} shows no token nor secret.
 */
public final class SlackChannel implements Channel, Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(SlackChannel.class);
    static final Pattern CONVERSATION_ID = Pattern.compile("[CG][A-Z0-9]{2,30}");
    static final Pattern USER_ID = Pattern.compile("[UW][A-Z0-9]{2,30}");
    private static final Pattern MOUNT_PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final int REMEMBERED_SENDS = 10_000;
    private static final int LOCKS = 64;

    private final ChannelId id;
    private final String mountPath;
    private final Set<String> supportChannels;
    private final boolean directMessages;
    private final int maxTextLength;
    private final Duration ackTimeout;
    private final Clock clock;
    private final SlackWebApi api;
    private final SlackEvents events;
    private final Map<String, String> sent = new LinkedHashMap<>(256, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > REMEMBERED_SENDS;
        }
    };
    private final Object[] locks = new Object[LOCKS];
    private volatile String botUserId;
    private volatile boolean closed;

    private SlackChannel(Builder b, HttpUrl apiBase, List<String> secrets) {
        this.id = b.channelId;
        this.mountPath = b.mountPath;
        this.supportChannels = Set.copyOf(b.supportChannels);
        this.directMessages = b.directMessages;
        this.maxTextLength = b.maxTextLength;
        this.ackTimeout = b.ackTimeout;
        this.clock = b.clock;
        this.botUserId = b.botUserId == null ? "" : b.botUserId;
        this.api = new SlackWebApi(apiBase, b.botToken, b.httpClient, b.clock);
        this.events = new SlackEvents(this, SlackSignature.of(secrets, b.clock));
        for (int i = 0; i < LOCKS; i++) {
            locks[i] = new Object();
        }
    }

    /** A builder; {@link Builder#build()} checks every setting at once. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return id;
    }

    /**
     * Markdown (sent as mrkdwn), threads, {@link Builder#maxTextLength} characters per message; no
     * streaming, typing indicator, attachments nor buttons.
     */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(true, false, false, false, true, maxTextLength, false, false);
    }

    /** Replies go to the session's thread; a session without one goes to the DM of its Slack user. */
    @Override
    public List<IdentityType> answersOn() {
        return List.of(IdentityType.CUSTOM);
    }

    /**
     * Keeps the context for the webhook; without a {@link Builder#botUserId}, asks Slack who the bot
     * is ({@code auth.test}).
     *
     * @throws IllegalStateException when {@code auth.test} fails: the message names Slack's error
     *     ({@code invalid_auth} for a wrong token)
     */
    @Override
    public void start(ChannelContext context) {
        Objects.requireNonNull(context, "context");
        if (botUserId.isEmpty()) {
            SlackWebApi.Auth auth;
            try {
                auth = api.authTest();
            } catch (OpenCxException e) {
                throw new IllegalStateException(
                        "slack channel '" + id + "' could not learn its bot user with auth.test: " + e.getMessage()
                                + "; check the bot token, or set botUserId(...) to start without asking Slack",
                        e);
            }
            if (!USER_ID.matcher(auth.userId()).matches()) {
                throw new IllegalStateException("slack channel '" + id + "': auth.test named no bot user (user_id '"
                        + auth.userId() + "'); use a bot token (xoxb-)");
            }
            botUserId = auth.userId();
            LOG.info("slack channel '{}' runs as bot user {} of workspace {}", id, auth.userId(), auth.teamId());
        }
        events.start(context);
    }

    @Override
    public String mountPath() {
        return mountPath;
    }

    /**
     * The Events API request URL's handler: {@code POST} at the mount path itself ({@code
     * /webhooks/slack}); {@code /events} below it is accepted too.
     */
    @Override
    public WebhookHandler handler() {
        return events::handle;
    }

    /**
     * Posts a reply in the session's thread, split to {@link Builder#maxTextLength}; a message whose
     * idempotency key was sent already is not posted again (nor are the parts of a split message that
     * were posted before a failure).
     *
     * @return the first part's {@code <channel>:<ts>}
     * @throws OpenCxException retriable for a rate limit, Slack's failures and network errors;
     *     permanent for any other {@code ok:false} or a session that has no Slack conversation
     */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw OpenCxException.retriable("slack channel '" + id + "' is closed", null);
        }
        String key = message.idempotencyKey();
        synchronized (locks[Math.floorMod(key.hashCode(), LOCKS)]) {
            String done = remembered(key);
            if (done != null) {
                LOG.debug("slack: message {} was sent already, not posted again", message.messageId());
                return new DeliveryReceipt(done);
            }
            Target to = target(message);
            List<String> parts = SlackMrkdwn.split(render(message), maxTextLength);
            String first = "";
            for (int i = 0; i < parts.size(); i++) {
                String partKey = key + "#" + i;
                String posted = remembered(partKey);
                if (posted == null) {
                    SlackWebApi.Posted p = api.postMessage(to.channel(), to.threadTs(), parts.get(i));
                    posted = p.channel() + ":" + p.ts();
                    remember(partKey, posted);
                }
                if (i == 0) {
                    first = posted;
                }
            }
            remember(key, first);
            LOG.debug("slack: message {} posted in {} part(s)", message.messageId(), parts.size());
            return new DeliveryReceipt(first);
        }
    }

    /** Where a message goes: a conversation and, for a thread, its root's ts. */
    record Target(String channel, String threadTs) {}

    private Target target(OutboundMessage m) {
        String thread = m.threadId();
        if (!thread.isEmpty()) {
            int colon = thread.indexOf(':');
            return colon < 0
                    ? new Target(thread, "")
                    : new Target(thread.substring(0, colon), thread.substring(colon + 1));
        }
        if (m.recipient().type() == IdentityType.CUSTOM) {
            SlackUser user = SlackUser.parse(m.recipient().value());
            if (user != null) {
                return new Target(user.userId(), ""); // a user id as channel: the app's DM with them
            }
        }
        throw OpenCxException.permanent(
                "slack: session " + m.sessionId() + " has no Slack thread and its contact is not a Slack user"
                        + " (slack:<team>:<user>); it cannot be answered on Slack",
                null);
    }

    /** The reply as mrkdwn, with links to the articles it drew on that it does not link already. */
    private static String render(OutboundMessage m) {
        String text = SlackMrkdwn.fromMarkdown(m.text());
        Set<String> links = new LinkedHashSet<>();
        for (Citation c : m.sources()) {
            String url = c.url();
            if ((url.startsWith("https://") || url.startsWith("http://"))
                    && !m.text().contains(url)) {
                String title = c.title().isBlank() ? url : c.title();
                links.add("<" + SlackMrkdwn.escape(url.replace("|", "%7C")) + "|"
                        + SlackMrkdwn.escape(title).replace("|", "¦") + ">");
            }
        }
        if (links.isEmpty()) {
            return text;
        }
        return text + "\n\n:link: " + String.join(" · ", links);
    }

    private String remembered(String key) {
        synchronized (sent) {
            return sent.get(key);
        }
    }

    private void remember(String key, String value) {
        synchronized (sent) {
            sent.put(key, value);
        }
    }

    // --- what the webhook handler reads

    String botUserId() {
        return botUserId;
    }

    boolean isSupportChannel(String conversation) {
        return supportChannels.contains(conversation);
    }

    boolean directMessages() {
        return directMessages;
    }

    Duration ackTimeout() {
        return ackTimeout;
    }

    Clock clock() {
        return clock;
    }

    /** Stops posting and releases the HTTP client it owns; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            api.close();
        }
    }

    @Override
    public String toString() {
        return "SlackChannel{id=" + id + ", mountPath=" + mountPath + ", supportChannels=" + supportChannels
                + ", directMessages=" + directMessages + ", maxTextLength=" + maxTextLength + "}";
    }

    /**
     * Builds a {@link SlackChannel}. Setters only record; {@link #build()} checks every setting and
     * reports all problems in one {@link IllegalArgumentException}. Secrets are never echoed.
     */
    public static final class Builder {
        private String botToken;
        private String signingSecret;
        private String previousSigningSecret;
        private String botUserId;
        private String apiBaseUrl = "https://slack.com/api";
        private ChannelId channelId = ChannelId.SLACK;
        private String mountPath = "/webhooks/slack";
        private final List<String> supportChannels = new ArrayList<>();
        private boolean directMessages;
        private int maxTextLength = 4000;
        private Duration ackTimeout = Duration.ofMillis(2500);
        private Clock clock = Clock.systemUTC();
        private OkHttpClient httpClient;

        private Builder() {}

        /** The bot token ({@code xoxb-…}) of the app's installation; required. Sent as a Bearer token. */
        public Builder botToken(String token) {
            this.botToken = token;
            return this;
        }

        /** The app's signing secret ("Basic Information" page); required. */
        public Builder signingSecret(String secret) {
            this.signingSecret = secret;
            return this;
        }

        /**
         * The signing secret before you regenerated it: accepted as well while Slack switches over.
         * Optional; remove it once the rotation is done.
         */
        public Builder previousSigningSecret(String secret) {
            this.previousSigningSecret = secret;
            return this;
        }

        /**
         * The bot's user id ({@code U…}), to ignore its own messages and strip mentions of it.
         * Optional: without it, {@code start} asks Slack ({@code auth.test}) and fails clearly when
         * Slack refuses the token.
         */
        public Builder botUserId(String userId) {
            this.botUserId = userId;
            return this;
        }

        /** A support channel ({@code C…} or {@code G…}) the bot is a member of; may be called again for more. */
        public Builder supportChannel(String conversationId) {
            this.supportChannels.add(conversationId);
            return this;
        }

        /** Also take direct messages to the app (default false): one session per person. */
        public Builder directMessages(boolean on) {
            this.directMessages = on;
            return this;
        }

        /** The Web API's base URL (default {@code https://slack.com/api}); tests point it at a fake. */
        public Builder apiBaseUrl(String url) {
            this.apiBaseUrl = url;
            return this;
        }

        /** The channel's id in OpenCX (default {@link ChannelId#SLACK}); set another for a second workspace. */
        public Builder channelId(ChannelId id) {
            this.channelId = id;
            return this;
        }

        /** Where the webhook is mounted (default {@code /webhooks/slack}). */
        public Builder mountPath(String path) {
            this.mountPath = path;
            return this;
        }

        /**
         * The longest text of one Slack message (default 4,000, Slack's recommendation; 100 to
         * 40,000, Slack's hard limit). Longer replies are split.
         */
        public Builder maxTextLength(int max) {
            this.maxTextLength = max;
            return this;
        }

        /**
         * How long the webhook waits for a message to be stored before it answers {@code 503} so that
         * Slack retries (default 2.5 s; 100 ms to 2.9 s: Slack gives up after 3 s).
         */
        public Builder ackTimeout(Duration timeout) {
            this.ackTimeout = timeout;
            return this;
        }

        /** The clock request timestamps are checked against (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** An OkHttp client to share with the application (default: the channel owns one). */
        public Builder httpClient(OkHttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming every setting that is missing or wrong
         */
        public SlackChannel build() {
            List<String> problems = new ArrayList<>();
            if (botToken == null || botToken.isBlank()) {
                problems.add("botToken is required (the app's xoxb- bot token)");
            } else if (!botToken.startsWith("xoxb-") || botToken.chars().anyMatch(Character::isWhitespace)) {
                problems.add("botToken must be a bot token: 'xoxb-' then no spaces (the value is not shown)");
            }
            List<String> secrets = new ArrayList<>();
            if (signingSecret == null || signingSecret.isBlank()) {
                problems.add("signingSecret is required (the app's signing secret)");
            } else if (signingSecret.chars().anyMatch(Character::isWhitespace)) {
                problems.add("signingSecret must not contain spaces (the value is not shown)");
            } else {
                secrets.add(signingSecret);
            }
            if (previousSigningSecret != null) {
                if (previousSigningSecret.isBlank()
                        || previousSigningSecret.chars().anyMatch(Character::isWhitespace)) {
                    problems.add("previousSigningSecret must not be blank nor contain spaces (the value is not shown)");
                } else {
                    secrets.add(previousSigningSecret);
                }
            }
            if (botUserId != null && !USER_ID.matcher(botUserId).matches()) {
                problems.add("botUserId must be a Slack user id like U0123ABCD, was '" + botUserId + "'");
            }
            HttpUrl base = apiBaseUrl == null
                    ? null
                    : HttpUrl.parse(
                            apiBaseUrl.endsWith("/") ? apiBaseUrl.substring(0, apiBaseUrl.length() - 1) : apiBaseUrl);
            if (base == null) {
                problems.add("apiBaseUrl must be an http(s) URL like https://slack.com/api, was '" + apiBaseUrl + "'");
            } else if (base.query() != null || base.fragment() != null) {
                problems.add("apiBaseUrl must have no query nor fragment, was '" + apiBaseUrl + "'");
            }
            if (channelId == null) {
                problems.add("channelId must not be null");
            }
            if (mountPath == null || !MOUNT_PATH.matcher(mountPath).matches()) {
                problems.add("mountPath must look like /webhooks/slack (no trailing slash), was '" + mountPath + "'");
            }
            for (String c : supportChannels) {
                if (c == null || !CONVERSATION_ID.matcher(c).matches()) {
                    problems.add("supportChannel must be a channel id like C0123ABCD (not its #name), was '" + c + "'");
                }
            }
            if (supportChannels.isEmpty() && !directMessages) {
                problems.add("nothing to listen to: add a supportChannel(...) and/or directMessages(true)");
            }
            if (maxTextLength < 100 || maxTextLength > 40_000) {
                problems.add("maxTextLength must be from 100 to 40000, was " + maxTextLength);
            }
            if (ackTimeout == null
                    || ackTimeout.compareTo(Duration.ofMillis(100)) < 0
                    || ackTimeout.compareTo(Duration.ofMillis(2900)) > 0) {
                problems.add("ackTimeout must be from 100 ms to 2.9 s (Slack waits 3 s), was " + ackTimeout);
            }
            if (clock == null) {
                problems.add("clock must not be null");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("SlackChannel: " + String.join("; ", problems));
            }
            return new SlackChannel(this, base, secrets);
        }

        @Override
        public String toString() {
            return "SlackChannel.Builder{channelId=" + channelId + ", supportChannels=" + supportChannels
                    + ", directMessages=" + directMessages + "}";
        }
    }
}
