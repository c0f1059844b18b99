package dev.opencx.channel.twilio;

import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.connect.FormBody;
import dev.opencx.connect.ProviderHttp;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import okhttp3.Credentials;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Twilio's SMS and WhatsApp channels share: the messaging webhook (customer messages in),
 * status callbacks (delivery reports), and the Messages API (replies out). Use {@link
 * TwilioSmsChannel} or {@link TwilioWhatsAppChannel}; they differ in addresses, formatting and
 * limits only.
 *
 * <p><b>In:</b> {@code POST <mountPath>} with Twilio's form. The {@code X-Twilio-Signature} is
 * checked over {@link TwilioConfig#publicUrl()} + the mount path (a forged, unsigned or
 * re-addressed request gets {@code 401} and nothing is stored); the message is stored under its
 * {@code MessageSid} (a retry is stored once) and Twilio gets {@code 200 text/xml <Response/>} only
 * once it is durably stored, answered from the receive future ({@link WebResponse#later}) so that
 * a store that completes later holds no server thread. A malformed request
 * gets {@code 400} naming what is wrong; a store failure {@code 503}, so that Twilio retries.
 * Retries carrying an already answered {@code I-Twilio-Idempotency-Token} get the first answer.
 *
 * <p><b>Status callbacks:</b> {@code POST <mountPath>/status?s=<session>&m=<message>}: each sent
 * part asks Twilio to report there; {@code sent}, {@code delivered}, {@code read}, {@code
 * undelivered} and {@code failed} are recorded in the session log ({@link DeliveryUpdated}), each
 * (message, status) once.
 *
 * <p><b>Out:</b> {@code POST /2010-04-01/Accounts/{AccountSid}/Messages.json} with Basic auth. A
 * reply longer than one message is sent as numbered parts; each part is remembered under the
 * message's idempotency key and its index, so when the outbox retries after a failure mid-way the
 * parts already accepted are not sent again. {@code 429}/{@code 5xx} (with {@code Retry-After}) are
 * retried by the outbox; other errors are permanent and name Twilio's error code ({@code 21211},
 * {@code 63016}), never Twilio's message (it quotes phone numbers).
 *
 * <p>Register a channel with one {@code OpenCx}, and mount it on a server ({@code
 * WebServer.builder().mount(channel)}). Thread-safe; {@link #close()} is idempotent.
 */
public abstract sealed class TwilioMessagingChannel implements Channel, Endpoint
        permits TwilioSmsChannel, TwilioWhatsAppChannel {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioMessagingChannel.class);
    private static final Pattern MESSAGING_SERVICE = Pattern.compile("MG[0-9a-fA-F]{32}");
    private static final Pattern MOUNT =
            Pattern.compile("/[A-Za-z0-9._~!$&'()*+,;=:@%-]+(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*");
    private static final byte[] EMPTY_TWIML =
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>".getBytes(StandardCharsets.UTF_8);
    private static final int MAX_MEDIA = 10;

    private final TwilioConfig config;
    private final ChannelId id;
    private final String mountPath;
    private final String from;
    private final String messagingServiceSid;
    private final boolean statusCallbacks;
    private final int maxBodyBytes;
    private final Duration intakeTimeout;
    private final ProviderHttp http;
    private final String messagesUrl;
    private final String credentials;
    private final TwilioWebhookVerifier verifier;
    private final TwilioIdempotency retries;
    private final Memory<String> sentParts;
    private final Memory<Boolean> statusesSeen;
    private final WebhookHandler handler = this::handle;
    private volatile ChannelContext context;
    private volatile boolean closed;

    TwilioMessagingChannel(Builder<?> b, String defaultFromPrefix) {
        this.config = b.config;
        this.id = b.id;
        this.mountPath = b.mountPath;
        this.from = b.from == null ? null : defaultFromPrefix + stripPrefix(b.from, defaultFromPrefix);
        this.messagingServiceSid = b.messagingServiceSid;
        this.statusCallbacks = b.statusCallbacks;
        this.maxBodyBytes = b.maxBodyBytes;
        this.intakeTimeout = b.intakeTimeout;
        ProviderHttp.Builder hb = ProviderHttp.builder("twilio").errorCode(TwilioErrors::ofBody);
        if (b.client != null) {
            hb.client(b.client);
        }
        this.http = hb.build();
        this.messagesUrl = config.apiBaseUrl() + "/2010-04-01/Accounts/" + config.accountSid() + "/Messages.json";
        this.credentials = Credentials.basic(config.accountSid(), config.authToken());
        this.verifier = TwilioWebhookVerifier.of(config);
        this.retries = TwilioIdempotency.remembering(b.remember);
        this.sentParts = new Memory<>(b.remember);
        this.statusesSeen = new Memory<>(b.remember);
    }

    // ---------------------------------------------------------------- what the variants decide

    /** Twilio's address of a contact on this channel ({@code +1…} or {@code whatsapp:+1…}). */
    abstract String address(Identity recipient);

    /**
     * The contact's identity from Twilio's {@code From}.
     *
     * @throws IllegalArgumentException naming what is wrong, without quoting the value
     */
    abstract Identity sender(String from, FormBody form);

    /** The sender's name Twilio knows, empty when none. */
    abstract String displayName(FormBody form);

    /** The text of a reply as the messages to send, in order. */
    abstract List<String> parts(String text);

    // ---------------------------------------------------------------- Channel

    @Override
    public ChannelId id() {
        return id;
    }

    /** Replies go to the contact's phone number. */
    @Override
    public List<IdentityType> answersOn() {
        return List.of(IdentityType.PHONE);
    }

    @Override
    public synchronized void start(ChannelContext context) {
        Objects.requireNonNull(context, "context");
        if (this.context != null) {
            throw new IllegalStateException("this " + getClass().getSimpleName() + " is already started by an OpenCx");
        }
        this.context = context;
    }

    /**
     * Sends the reply as one or more Twilio messages, skipping the parts already accepted for
     * this idempotency key. The receipt names the first part's {@code sid}.
     *
     * @throws OpenCxException retriable on {@code 429}, {@code 5xx}, I/O errors and timeouts;
     *     permanent for other errors and for a recipient that is not a phone number
     */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (closed) {
            throw OpenCxException.retriable("the " + id + " channel is closed", null);
        }
        if (message.recipient().type() != IdentityType.PHONE) {
            throw OpenCxException.permanent(
                    "the " + id + " channel sends to phone numbers; the recipient is a "
                            + message.recipient().type() + " identity",
                    null);
        }
        String to = address(message.recipient());
        List<String> parts = parts(message.text());
        if (parts.isEmpty()) {
            LOG.debug("{}: nothing to send for message {} (empty once formatted)", id, message.messageId());
            return DeliveryReceipt.none();
        }
        String first = "";
        for (int i = 0; i < parts.size(); i++) {
            String key = message.idempotencyKey() + "#" + (i + 1);
            Optional<String> done = sentParts.get(key);
            String sid;
            if (done.isPresent()) {
                sid = done.get();
                LOG.debug(
                        "{}: part {}/{} of message {} was sent before as {}",
                        id,
                        i + 1,
                        parts.size(),
                        message.messageId(),
                        sid);
            } else {
                sid = post(to, parts.get(i), message);
                sentParts.put(key, sid);
                LOG.debug("{}: sent part {}/{} of message {} as {}", id, i + 1, parts.size(), message.messageId(), sid);
            }
            if (i == 0) {
                first = sid;
            }
        }
        return new DeliveryReceipt(first);
    }

    private String post(String to, String body, OutboundMessage message) {
        okhttp3.FormBody.Builder form = new okhttp3.FormBody.Builder().add("To", to);
        if (from != null) {
            form.add("From", from);
        }
        if (messagingServiceSid != null) {
            form.add("MessagingServiceSid", messagingServiceSid);
        }
        form.add("Body", body);
        if (statusCallbacks) {
            form.add("StatusCallback", statusCallbackUrl(message.sessionId(), message.messageId()));
        }
        Request request = new Request.Builder()
                .url(messagesUrl)
                .header("Authorization", credentials)
                .header("Accept", "application/json")
                .post(form.build())
                .build();
        ProviderHttp.Reply reply = http.execute(request);
        String sid = ProviderHttp.jsonField(reply.body(), "/sid").orElse("");
        if (sid.isEmpty()) {
            LOG.warn("{}: Twilio accepted a message ({}) without a sid in its answer", id, reply.status());
        }
        return sid;
    }

    /**
     * The status callback URL given to Twilio for a message: {@code publicUrl + mountPath +
     * /status?s=<sessionId>&m=<messageId>}. Twilio signs its callbacks over it, so the ids in it
     * cannot be forged.
     */
    public String statusCallbackUrl(String sessionId, String messageId) {
        return config.publicUrl(mountPath + "/status?s=" + encode(sessionId) + "&m=" + encode(messageId));
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            http.close();
        }
    }

    // ---------------------------------------------------------------- Endpoint

    /** Where the webhook is mounted; configure Twilio with {@code publicUrl + mountPath}. */
    @Override
    public String mountPath() {
        return mountPath;
    }

    /** The public URL to enter in the Twilio console as the messaging webhook ({@code HTTP POST}). */
    public String webhookUrl() {
        return config.publicUrl(mountPath);
    }

    @Override
    public WebhookHandler handler() {
        return handler;
    }

    private WebResponse handle(WebRequest request) {
        boolean status = request.path().equals("/status");
        if (!status && !request.path().equals("/")) {
            return WebResponse.error(
                    404,
                    "not_found",
                    "Twilio webhooks are served at " + mountPath + " and " + mountPath + "/status only");
        }
        if (!request.method().equals("POST")) {
            return WebResponse.error(405, "method_not_allowed", "Twilio webhooks use POST")
                    .withHeader("Allow", "POST");
        }
        if (request.bodyLength() > maxBodyBytes) {
            return WebResponse.error(413, "body_too_large", "the body is larger than " + maxBodyBytes + " bytes");
        }
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            return WebResponse.error(
                    415, "unsupported_media_type", "Twilio messaging webhooks are application/x-www-form-urlencoded");
        }
        FormBody form;
        try {
            form = Forms.parseStrict(request.body());
        } catch (IllegalArgumentException e) {
            return WebResponse.error(400, "malformed_form", e.getMessage());
        }
        if (!verifier.isSigned(request, mountPath)) {
            LOG.debug("{}: refused a webhook without a valid X-Twilio-Signature ({})", id, request);
            return TwilioWebhookVerifier.unauthorized();
        }
        ChannelContext cx = context;
        if (cx == null || closed) {
            return WebResponse.error(503, "not_started", "the " + id + " channel is not running")
                    .withHeader("Retry-After", "5");
        }
        return retries.once(request, () -> status ? statusCallback(cx, request, form) : inbound(cx, form));
    }

    private WebResponse inbound(ChannelContext cx, FormBody form) {
        String sid = first(form, "MessageSid", "SmsMessageSid", "SmsSid");
        if (sid.isEmpty()) {
            return WebResponse.error(400, "missing_message_sid", "MessageSid is missing");
        }
        if (sid.length() > 64) {
            return WebResponse.error(400, "invalid_message_sid", "MessageSid is longer than 64 characters");
        }
        String fromValue = form.first("From").orElse("").strip();
        if (fromValue.isEmpty()) {
            return WebResponse.error(400, "missing_from", "From is missing");
        }
        Identity sender;
        try {
            sender = sender(fromValue, form);
        } catch (IllegalArgumentException e) {
            return WebResponse.error(400, "invalid_from", e.getMessage());
        }
        List<Attachment> attachments = new ArrayList<>();
        String numMedia = form.first("NumMedia").orElse("0").strip();
        int media;
        try {
            media = numMedia.isEmpty() ? 0 : Integer.parseInt(numMedia);
        } catch (NumberFormatException e) {
            return WebResponse.error(400, "invalid_num_media", "NumMedia is not a number");
        }
        if (media < 0 || media > MAX_MEDIA) {
            return WebResponse.error(400, "invalid_num_media", "NumMedia must be 0 to " + MAX_MEDIA + ", was " + media);
        }
        for (int i = 0; i < media; i++) {
            String url = form.first("MediaUrl" + i).orElse("").strip();
            if (url.isEmpty()) {
                return WebResponse.error(
                        400, "missing_media_url", "NumMedia is " + media + " but MediaUrl" + i + " is missing");
            }
            attachments.add(new Attachment(
                    url, form.first("MediaContentType" + i).orElse("").strip(), "", -1));
        }
        location(form).ifPresent(attachments::add);
        String text = form.first("Body").orElse("");
        if (text.isBlank() && attachments.isEmpty()) {
            LOG.debug("{}: message {} has neither text nor media; nothing to store", id, sid);
            return twiml();
        }
        InboundMessage in;
        try {
            InboundMessage.Builder b = InboundMessage.builder(id)
                    .from(sender)
                    .displayName(displayName(form))
                    .text(text)
                    .externalId(sid);
            attachments.forEach(b::attachment);
            in = b.build();
        } catch (IllegalArgumentException e) {
            return WebResponse.error(400, "invalid_message", e.getMessage());
        }
        CompletableFuture<ReceiveReceipt> stored;
        try {
            stored = cx.receive(in).copy();
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        return WebResponse.later(stored.orTimeout(intakeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((receipt, failure) -> failure == null ? twiml() : refusal(sid, failure)));
    }

    private WebResponse refusal(String sid, Throwable failure) {
        Throwable t =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof MessageIdConflictException) {
            return WebResponse.error(
                    409, "message_sid_conflict", "a different message was already stored under this MessageSid");
        }
        if (t instanceof dev.opencx.SessionMessageLimitException) {
            return WebResponse.error(429, "session_message_limit", t.getMessage());
        }
        if (t instanceof IllegalArgumentException) {
            return WebResponse.error(400, "invalid_message", t.getMessage());
        }
        if (t instanceof TimeoutException) {
            LOG.warn(
                    "{}: storing message {} took longer than {} ms; Twilio may retry",
                    id,
                    sid,
                    intakeTimeout.toMillis());
        } else {
            LOG.warn("{}: could not store message {}; Twilio may retry: {}", id, sid, t.toString());
        }
        return WebResponse.error(503, "unavailable", "the message could not be stored; retry later")
                .withHeader("Retry-After", "5");
    }

    private WebResponse statusCallback(ChannelContext cx, WebRequest request, FormBody form) {
        String sid = first(form, "MessageSid", "SmsSid");
        String status = first(form, "MessageStatus", "SmsStatus");
        if (sid.isEmpty() || status.isEmpty()) {
            return WebResponse.error(400, "missing_status", "a status callback needs MessageSid and MessageStatus");
        }
        DeliveryUpdated.State state = state(status);
        String sessionId = request.queryParam("s").orElse("");
        if (state == null || sessionId.isEmpty()) {
            return twiml(); // queued, sending, accepted…: nothing to record; or not one of our callbacks
        }
        String key = sid + "/" + status;
        if (!statusesSeen.putIfAbsent(key, Boolean.TRUE)) {
            return twiml();
        }
        String error = state == DeliveryUpdated.State.FAILED
                ? TwilioErrors.describe(form.first("ErrorCode").orElse(""))
                : "";
        if (state == DeliveryUpdated.State.FAILED && error.isEmpty()) {
            error = status;
        }
        try {
            cx.deliveryUpdated(
                    sessionId,
                    new DeliveryUpdated(request.queryParam("m").orElse(""), id.value(), sid, state, status, error));
            return twiml();
        } catch (IllegalArgumentException e) {
            LOG.debug("{}: status callback for a session this channel does not know: {}", id, e.getMessage());
            return twiml();
        } catch (RuntimeException e) {
            statusesSeen.remove(key);
            LOG.warn("{}: could not record a status callback: {}", id, e.toString());
            return WebResponse.error(503, "unavailable", "the status could not be recorded; retry later")
                    .withHeader("Retry-After", "5");
        }
    }

    /** Twilio's message status in OpenCX's words; null for states that are not worth a log entry. */
    static DeliveryUpdated.State state(String status) {
        return switch (status) {
            case "sent" -> DeliveryUpdated.State.SENT;
            case "delivered" -> DeliveryUpdated.State.DELIVERED;
            case "read" -> DeliveryUpdated.State.READ;
            case "undelivered", "failed", "canceled" -> DeliveryUpdated.State.FAILED;
            default -> null;
        };
    }

    private static Optional<Attachment> location(FormBody form) {
        String lat = form.first("Latitude").orElse("").strip();
        String lon = form.first("Longitude").orElse("").strip();
        if (lat.isEmpty() || lon.isEmpty()) {
            return Optional.empty();
        }
        try {
            double la = Double.parseDouble(lat);
            double lo = Double.parseDouble(lon);
            if (Math.abs(la) > 90 || Math.abs(lo) > 180) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        String label =
                form.first("Label").or(() -> form.first("Address")).orElse("").strip();
        return Optional.of(new Attachment("geo:" + lat + "," + lon, "", label, -1));
    }

    private static WebResponse twiml() {
        return WebResponse.of(200, "text/xml", EMPTY_TWIML);
    }

    private static String first(FormBody form, String... names) {
        for (String n : names) {
            String v = form.first(n).orElse("").strip();
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    static String stripPrefix(String value, String prefix) {
        return !prefix.isEmpty() && value.regionMatches(true, 0, prefix, 0, prefix.length())
                ? value.substring(prefix.length())
                : value;
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{" + id + " at " + mountPath + "}";
    }

    // ---------------------------------------------------------------- builder

    /**
     * What every Twilio messaging channel is configured with. Setters refuse null at once;
     * {@code build()} checks the rest and names every bad setting in one exception.
     *
     * @param <B> the concrete builder
     */
    public abstract static sealed class Builder<B extends Builder<B>>
            permits TwilioSmsChannel.Builder, TwilioWhatsAppChannel.Builder {
        final TwilioConfig config;
        ChannelId id;
        String mountPath;
        String from;
        String messagingServiceSid;
        boolean statusCallbacks = true;
        int maxParts = 3;
        boolean numberParts = true;
        int remember = 10_000;
        int maxBodyBytes = 64 * 1024;
        Duration intakeTimeout = Duration.ofSeconds(10);
        OkHttpClient client;

        Builder(TwilioConfig config, ChannelId id, String mountPath) {
            this.config = Objects.requireNonNull(config, "config");
            this.id = id;
            this.mountPath = mountPath;
        }

        abstract B self();

        /** The channel id (default {@code sms} or {@code whatsapp}). */
        public B id(ChannelId id) {
            this.id = Objects.requireNonNull(id, "id");
            return self();
        }

        /**
         * The path the webhook is mounted at (default {@code /webhooks/twilio/sms} or {@code
         * /webhooks/twilio/whatsapp}); status callbacks arrive at {@code <mountPath>/status}.
         */
        public B mountPath(String path) {
            this.mountPath = Objects.requireNonNull(path, "mountPath");
            return self();
        }

        /** The sender: a Twilio number of the account. Required unless a Messaging Service is set. */
        public B from(String sender) {
            this.from = Objects.requireNonNull(sender, "from");
            return self();
        }

        /**
         * Send through a Messaging Service ({@code MG} + 32 hex digits) that picks the sender from
         * its pool; with {@link #from} too, Twilio uses that sender of the pool.
         */
        public B messagingServiceSid(String sid) {
            this.messagingServiceSid = Objects.requireNonNull(sid, "messagingServiceSid");
            return self();
        }

        /**
         * Ask Twilio for status callbacks and record them in the session log (default on). The
         * callback URL is {@code publicUrl + mountPath + /status?...}.
         */
        public B statusCallbacks(boolean on) {
            this.statusCallbacks = on;
            return self();
        }

        /**
         * The most messages one reply is sent as (default 3, 1 to 10); a longer reply is
         * shortened in the last, with an ellipsis.
         */
        public B maxParts(int parts) {
            this.maxParts = parts;
            return self();
        }

        /** End each part of a reply sent in several with {@code " (i/n)"} (default on). */
        public B numberParts(boolean on) {
            this.numberParts = on;
            return self();
        }

        /**
         * How many sent parts, retried webhooks and status reports are remembered to drop repeats
         * (default 10,000; 100 to 10,000,000).
         */
        public B remember(int entries) {
            this.remember = entries;
            return self();
        }

        /** The largest webhook body accepted (default 64 KiB, 1 KiB to 1 MiB); larger ones get 413. */
        public B maxBodyBytes(int bytes) {
            this.maxBodyBytes = bytes;
            return self();
        }

        /**
         * How long a webhook waits for its message to be stored before answering {@code 503}
         * (default 10 s, under Twilio's 15 s; 100 ms to 14 s).
         */
        public B intakeTimeout(Duration timeout) {
            this.intakeTimeout = Objects.requireNonNull(timeout, "intakeTimeout");
            return self();
        }

        /** Call Twilio with this OkHttp client (shared with the application) instead of an own one. */
        public B httpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "httpClient");
            return self();
        }

        /** Checks the common settings; the variant adds its own problems. */
        void check(List<String> problems) {
            if (from == null && messagingServiceSid == null) {
                problems.add("set from(...) (a Twilio number of the account) or messagingServiceSid(...)");
            }
            if (messagingServiceSid != null
                    && !MESSAGING_SERVICE.matcher(messagingServiceSid).matches()) {
                problems.add("messagingServiceSid must be 'MG' followed by 32 hex digits, was '" + messagingServiceSid
                        + "'");
            }
            if (!MOUNT.matcher(mountPath).matches()) {
                problems.add("mountPath must look like /webhooks/twilio/sms (no trailing slash, no query), was '"
                        + mountPath + "'");
            }
            if (maxParts < 1 || maxParts > 10) {
                problems.add("maxParts must be 1 to 10, was " + maxParts);
            }
            if (remember < 100 || remember > 10_000_000) {
                problems.add("remember must be 100 to 10,000,000, was " + remember);
            }
            if (maxBodyBytes < 1024 || maxBodyBytes > 1024 * 1024) {
                problems.add("maxBodyBytes must be 1 KiB to 1 MiB, was " + maxBodyBytes);
            }
            if (intakeTimeout.compareTo(Duration.ofMillis(100)) < 0
                    || intakeTimeout.compareTo(Duration.ofSeconds(14)) > 0) {
                problems.add("intakeTimeout must be 100 ms to 14 s, was " + intakeTimeout);
            }
        }

        static void throwIfAny(String what, List<String> problems) {
            if (!problems.isEmpty()) {
                throw new IllegalStateException(what + " is invalid: " + String.join("; ", problems));
            }
        }
    }
}
