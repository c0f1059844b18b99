package dev.opencx.channel.twilio.voice;

import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.channel.twilio.TwilioSignature;
import dev.opencx.channel.twilio.voice.Call.Queued;
import dev.opencx.channel.twilio.voice.Call.Waiter;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.i18n.Notices;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.outbox.OutboxStatus;
import dev.opencx.store.NewSession;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A phone line answered by OpenCX: Twilio calls this channel's webhooks and it answers with TwiML.
 * Each call is one session (the call's {@code CallSid} is its thread); the caller's words, heard by
 * Twilio's speech recognition in a {@code <Gather>}, go through the whole pipeline like any
 * message, and the reply is spoken with {@code <Say>} in the session's language. When a person takes
 * over, the call is transferred to the configured {@link HandoffTarget}; when the caller hangs up,
 * the session is closed.
 *
 * <pre>{@code
 * TwilioVoiceChannel voice = TwilioVoiceChannel.builder()
 *         .authToken(System.getenv("TWILIO_AUTH_TOKEN"))
 *         .publicBaseUrl("https://support.example.com")          // what Twilio calls; signatures cover it
 *         .language("en-US")
 *         .handoffTo(HandoffTarget.number("+15551234567"))
 *         .build();
 * OpenCx cx = OpenCx.builder().channel(voice).knowledge(knowledge).build();
 * WebServer server = WebServer.builder().mount(voice).build().start();   // POST /webhooks/twilio/voice/…
 * }</pre>
 *
 * <p>Webhooks under {@link #mountPath()}: {@code /incoming} (the number's "A call comes in" URL),
 * {@code /status} (its "Call status changes" URL), and the ones this channel puts in its own TwiML
 * ({@code /turn}, {@code /no-input}, {@code /wait}, {@code /menu}, {@code /dial-done}, {@code
 * /hold}). Every request must carry a valid {@code X-Twilio-Signature} over {@code publicBaseUrl +
 * mountPath + path} (401 otherwise, nothing stored); a retried webhook (same {@code
 * I-Twilio-Idempotency-Token}, or the same step of the same call) is answered with the first
 * answer and processed once.
 *
 * <p>{@link #send} never blocks: a reply is queued for the call's next TwiML response, which a
 * webhook waiting for it picks up at once. A message for a call that has ended cannot be spoken: it
 * fails permanently (the session log records the failed delivery), or goes to the {@link
 * Builder#afterCallFallback after-call fallback channel} when one is set.
 *
 * <p>Thread-safe; {@link #close()} is idempotent.
 */
public final class TwilioVoiceChannel implements Channel, Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(TwilioVoiceChannel.class);

    /** The base name of the channel's texts: {@code dev/opencx/channel/twilio/voice/notices_<lang>.properties}. */
    public static final String NOTICES = "dev.opencx.channel.twilio.voice.notices";

    /** The mount path used when none is set. */
    public static final String DEFAULT_MOUNT_PATH = "/webhooks/twilio/voice";

    private static final Pattern CALL_SID = Pattern.compile("CA[0-9a-fA-F]{32}");
    private static final Pattern MOUNT = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
    private static final Set<String> ROUTES =
            Set.of("/incoming", "/turn", "/no-input", "/wait", "/menu", "/dial-done", "/hold", "/status");
    private static final Set<String> TERMINAL = Set.of("completed", "busy", "failed", "no-answer", "canceled");
    /**
     * What carriers put in {@code From} for a withheld number, spelt on a keypad: ANONYMOUS,
     * RESTRICTED, BLOCKED, UNAVAIL(able). They look like E.164 numbers but name no one.
     */
    private static final Set<String> WITHHELD = Set.of("+266696687", "+7378742833", "+2562533", "+8656696");

    private static final String GREETING = "voice.greeting";
    private static final String REPROMPT = "voice.reprompt";
    private static final String LOW_CONFIDENCE = "voice.low_confidence";
    private static final String DTMF_OFFER = "voice.dtmf_offer";
    private static final String TRY_AGAIN = "voice.try_again";
    private static final String WAIT = "voice.wait";
    private static final String SLOW = "voice.slow";
    private static final String ANYTHING_ELSE = "voice.anything_else";
    private static final String CONNECTING = "voice.connecting";
    private static final String UNAVAILABLE = "voice.unavailable";
    private static final String GOODBYE = "voice.goodbye";
    private static final String ERROR = "voice.error";
    private static final String TRANSCRIPT_KEYPAD = "voice.transcript_keypad";
    private static final String TRANSCRIPT_NO_INPUT = "voice.transcript_no_input";

    /** How the next TwiML continues after what is queued is said. */
    private enum Then {
        /** Listen for the caller's next words. */
        LISTEN,
        /** The keypad menu: 1 for a person, 2 to try again. */
        MENU
    }

    /** A response and the queued messages it speaks (recorded as delivered once it is built). */
    private record Answer(WebResponse response, List<Queued> spoken) {}

    private final ChannelId id;
    private final TwilioSignature signature;
    private final String baseUrl;
    private final String mountPath;
    private final String language;
    private final Map<String, String> languageOverrides;
    private final Map<String, String> countryLanguages;
    private final Map<String, String> voices;
    private final HandoffTarget handoff;
    private final Duration gatherTimeout;
    private final Duration speechTimeout;
    private final Duration replyWait;
    private final int maxWaits;
    private final Duration dialTimeout;
    private final int maxSpokenChars;
    private final double minSpeechConfidence;
    private final int maxReprompts;
    private final String holdMusic;
    private final Duration pollInterval;
    private final Duration maxCallIdle;
    private final Channel afterCallFallback;
    private final Notices notices;
    private final ChannelCapabilities capabilities;
    private final Clock clock;

    private final Map<String, Call> calls = new ConcurrentHashMap<>();
    private final Map<String, String> callBySession = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<WebResponse>> answered = Collections.synchronizedMap(lru(4096));
    private final Map<String, String> sentKeys = Collections.synchronizedMap(lru(10_000));
    private final Object opening = new Object();
    private volatile ChannelContext ctx;
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean closed;

    private TwilioVoiceChannel(Builder b, Notices notices) {
        this.id = b.id;
        this.signature = TwilioSignature.of(b.authToken, b.previousTokens.toArray(String[]::new));
        this.baseUrl = stripSlash(b.publicBaseUrl);
        this.mountPath = b.mountPath;
        this.language = b.language;
        this.languageOverrides = Map.copyOf(b.languageOverrides);
        this.countryLanguages = Map.copyOf(b.countryLanguages);
        this.voices = Map.copyOf(b.voices);
        this.handoff = b.handoff;
        this.gatherTimeout = b.gatherTimeout;
        this.speechTimeout = b.speechTimeout;
        this.replyWait = b.replyWait;
        this.maxWaits = b.maxWaits;
        this.dialTimeout = b.dialTimeout;
        this.maxSpokenChars = b.maxSpokenChars;
        this.minSpeechConfidence = b.minSpeechConfidence;
        this.maxReprompts = b.maxReprompts;
        this.holdMusic = b.holdMusic;
        this.pollInterval = b.pollInterval;
        this.maxCallIdle = b.maxCallIdle;
        this.afterCallFallback = b.afterCallFallback;
        this.notices = notices;
        this.capabilities = ChannelCapabilities.voiceCall().withMaxTextLength(b.maxSpokenChars);
        this.clock = b.clock;
    }

    /** A builder; {@link Builder#authToken}, {@link Builder#publicBaseUrl} and {@link Builder#handoffTo} are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public ChannelId id() {
        return id;
    }

    /** Spoken, plain text, at most {@link Builder#maxSpokenChars} characters. */
    @Override
    public ChannelCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public List<IdentityType> answersOn() {
        return List.of(IdentityType.PHONE);
    }

    @Override
    public String mountPath() {
        return mountPath;
    }

    @Override
    public WebhookHandler handler() {
        return this::handle;
    }

    /** The URL to enter as the number's "A call comes in" webhook (HTTP POST) in the Twilio console. */
    public String incomingCallUrl() {
        return baseUrl + mountPath + "/incoming";
    }

    /** The URL to enter as the number's "Call status changes" webhook (HTTP POST): hang-ups close sessions. */
    public String statusCallbackUrl() {
        return baseUrl + mountPath + "/status";
    }

    @Override
    public void start(ChannelContext context) {
        this.ctx = Objects.requireNonNull(context, "context");
        synchronized (this) {
            if (scheduler == null && !closed) {
                scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "opencx-twilio-voice");
                    t.setDaemon(true);
                    return t;
                });
                long tick = pollInterval.toMillis();
                scheduler.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
                scheduler.scheduleWithFixedDelay(this::evict, 60, 60, TimeUnit.SECONDS);
            }
        }
    }

    // ---------------------------------------------------------------- outbound

    /**
     * Queues the message for its call's next TwiML response (a webhook waiting for it answers at
     * once) and returns; markdown and links are removed and the text shortened to what can be
     * spoken. A handoff notice transfers the call instead of being read out (the caller hears
     * {@code voice.connecting}).
     *
     * @throws OpenCxException permanent, when the message's call has ended (unless an {@link
     *     Builder#afterCallFallback after-call fallback} takes it)
     */
    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        Objects.requireNonNull(message, "message");
        ChannelContext c = started();
        if (sentKeys.containsKey(message.idempotencyKey())) {
            return new DeliveryReceipt(sentKeys.get(message.idempotencyKey()));
        }
        Session s = c.session(message.sessionId()).orElse(null);
        Call call = liveCall(message, s);
        boolean queued = false;
        if (call != null) {
            String text = message.kind() == OutboundMessage.Kind.HANDOFF_NOTICE
                    ? message.text()
                    : SpokenText.of(message.text(), maxSpokenChars);
            synchronized (call) {
                if (!call.ended()) {
                    call.enqueue(new Queued(message.messageId(), message.kind(), text));
                    queued = true;
                }
            }
        }
        if (!queued) {
            if (afterCallFallback != null && message.recipient().type() == IdentityType.PHONE) {
                LOG.debug(
                        "{} {}: the call has ended, sending through {}",
                        message.kind(),
                        message.ticket(),
                        afterCallFallback.id());
                return afterCallFallback.send(message);
            }
            throw OpenCxException.permanent(
                    "cannot speak the " + message.kind() + " of session " + message.ticket() + ": its call has ended"
                            + " (a voice call can only be spoken to while it lasts; set afterCallFallback(smsChannel)"
                            + " to send such messages as text)",
                    null);
        }
        sentKeys.put(message.idempotencyKey(), call.callSid);
        signal(call);
        return new DeliveryReceipt(call.callSid);
    }

    /** The live call of a session: known, or rebuilt from the session after a restart; null when it has ended. */
    private Call liveCall(OutboundMessage message, Session s) {
        String sid = callBySession.get(message.sessionId());
        Call call = sid == null ? null : calls.get(sid);
        if (call != null) {
            return call;
        }
        if (s == null
                || !s.channel().equals(id)
                || !s.state().isOpen()
                || !CALL_SID.matcher(s.threadId()).matches()) {
            return null;
        }
        synchronized (opening) {
            Call existing = calls.get(s.threadId());
            if (existing != null) {
                return existing;
            }
            Call rebuilt = new Call(
                    s.threadId(),
                    message.recipient(),
                    s.locale(),
                    s.id(),
                    s.ticket(),
                    stepFloor(s.id(), s.threadId()),
                    clock.instant());
            calls.put(rebuilt.callSid, rebuilt);
            callBySession.put(s.id(), rebuilt.callSid);
            return rebuilt;
        }
    }

    // ---------------------------------------------------------------- webhooks

    private WebResponse handle(WebRequest request) {
        String path = request.path();
        String route = path.isEmpty() || path.equals("/") ? "/incoming" : stripSlash(path);
        if (!ROUTES.contains(route)) {
            return WebResponse.error(
                    404,
                    "not_found",
                    "no Twilio voice webhook at '" + path + "'; the webhooks are " + new java.util.TreeSet<>(ROUTES));
        }
        if (!request.method().equals("POST")) {
            return WebResponse.error(
                            405,
                            "method_not_allowed",
                            "Twilio voice webhooks are POST (set HTTP POST in the Twilio console)")
                    .withHeader("Allow", "POST");
        }
        ChannelContext c = ctx;
        if (c == null || closed) {
            return WebResponse.error(
                            503, "not_started", "the voice channel is not running (add it to an OpenCx that is built)")
                    .withHeader("Retry-After", "5");
        }
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            return WebResponse.error(
                    400,
                    "not_a_form",
                    "a Twilio voice webhook is an application/x-www-form-urlencoded POST, this one was '"
                            + request.mediaType() + "'");
        }
        byte[] body = request.body();
        String given = request.header("X-Twilio-Signature").orElse("");
        FormBody form;
        try {
            form = FormBody.parse(body);
            if (!signed(path, request.rawQuery(), given, body)) {
                LOG.warn(
                        "refused a Twilio voice webhook to {}: X-Twilio-Signature is {}",
                        route,
                        given.isEmpty() ? "missing" : "wrong");
                return WebResponse.error(
                        401,
                        "invalid_signature",
                        "X-Twilio-Signature is missing or does not match this request signed" + " for " + baseUrl
                                + mountPath + " (publicBaseUrl must be the URL configured in Twilio)");
            }
        } catch (IllegalArgumentException e) {
            return WebResponse.error(400, "malformed_form", "the form body cannot be decoded: " + e.getMessage());
        }
        String callSid = form.first("CallSid").orElse("").strip();
        if (!CALL_SID.matcher(callSid).matches()) {
            return WebResponse.error(
                    400, "missing_call_sid", "CallSid is missing or is not a Twilio call SID (CA and 32 hex digits)");
        }
        String token = request.header("I-Twilio-Idempotency-Token").orElse("").strip();
        List<String> keys = new ArrayList<>(2);
        if (!token.isEmpty()) {
            keys.add("token " + token);
        }
        if (!route.equals("/hold") && !route.equals("/status")) {
            keys.add(callSid + " " + route + "?" + request.rawQuery()); // polls and status reports repeat their URL
        }
        Supplier<CompletableFuture<WebResponse>> work = () -> route(route, request, form, callSid);
        return keys.isEmpty() ? answer(run(work)) : once(keys, work);
    }

    private boolean signed(String path, String rawQuery, String given, byte[] body) {
        String query = rawQuery.isEmpty() ? "" : "?" + rawQuery;
        String form = "application/x-www-form-urlencoded";
        if (signature.isValid(baseUrl + mountPath + path + query, given, body, form)) {
            return true;
        }
        return (path.isEmpty() || path.equals("/"))
                && signature.isValid(baseUrl + mountPath + query, given, body, form);
    }

    /**
     * Answers a webhook once per key: a retry (the same idempotency token, or the same step of the
     * same call) gets the first answer, or waits for it, and is not processed again.
     */
    private WebResponse once(List<String> keys, Supplier<CompletableFuture<WebResponse>> work) {
        CompletableFuture<WebResponse> mine = new CompletableFuture<>();
        synchronized (answered) {
            for (String k : keys) {
                CompletableFuture<WebResponse> prior = answered.get(k);
                if (prior != null) {
                    keys.forEach(other -> answered.putIfAbsent(other, prior));
                    LOG.debug("a retried Twilio voice webhook is answered with the first answer");
                    return answer(prior);
                }
            }
            keys.forEach(k -> answered.put(k, mine));
        }
        run(work).whenComplete((r, e) -> {
            if (r == null || r.status() >= 300) {
                keys.forEach(k -> answered.remove(k, mine)); // an error is not remembered: Twilio's retry tries again
            }
            mine.complete(r);
        });
        return answer(mine);
    }

    private CompletableFuture<WebResponse> run(Supplier<CompletableFuture<WebResponse>> work) {
        CompletableFuture<WebResponse> f;
        try {
            f = work.get();
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((r, e) -> {
            if (e == null) {
                return r;
            }
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof BadRequest bad) {
                return WebResponse.error(400, bad.code, bad.getMessage());
            }
            LOG.error("a Twilio voice webhook failed", cause);
            return WebResponse.error(503, "unavailable", "the call could not be handled now; Twilio may retry")
                    .withHeader("Retry-After", "1");
        });
    }

    private static WebResponse answer(CompletableFuture<WebResponse> f) {
        return f.isDone() ? f.join() : WebResponse.later(f);
    }

    private CompletableFuture<WebResponse> route(String route, WebRequest request, FormBody form, String callSid) {
        return switch (route) {
            case "/incoming" -> incoming(form, callSid);
            case "/turn" -> turn(form, callSid, step(request));
            case "/no-input" -> noInput(form, callSid, step(request));
            case "/wait" -> waitAgain(form, callSid, request);
            case "/menu" -> menu(form, callSid, step(request));
            case "/dial-done" -> dialDone(form, callSid, step(request));
            case "/hold" -> hold(form, callSid);
            case "/status" -> status(form, callSid);
            default -> throw new IllegalStateException(route);
        };
    }

    /** A new call: its contact and session, and the greeting. */
    private CompletableFuture<WebResponse> incoming(FormBody form, String callSid) {
        Call call = openCall(form, callSid, 0);
        String status = form.first("CallStatus").orElse("");
        if (TERMINAL.contains(status)) {
            end(call, status);
            return done(twiml(Twiml.response()));
        }
        LOG.debug("call {} answered for session {}", callSid, call.ticket());
        return done(respond(call, GREETING, Then.LISTEN));
    }

    /** The {@code <Gather>} heard something: a low-confidence guess is asked again, anything else is a turn. */
    private CompletableFuture<WebResponse> turn(FormBody form, String callSid, int n) {
        String speech = form.first("SpeechResult").orElse("").strip();
        String digits = form.first("Digits").orElse("").strip();
        OptionalDouble confidence = confidence(form);
        Call call = openCall(form, callSid, n);
        if (call.ended()) {
            return done(hangup());
        }
        if (speech.isEmpty() && digits.isEmpty()) {
            return done(retry(call, REPROMPT));
        }
        if (!speech.isEmpty() && confidence.isPresent() && confidence.getAsDouble() < minSpeechConfidence) {
            LOG.debug(
                    "call {}: speech confidence {} is below {}, asking again",
                    callSid,
                    confidence.getAsDouble(),
                    minSpeechConfidence);
            return done(retry(call, LOW_CONFIDENCE));
        }
        call.understood();
        String text = speech.isEmpty() ? digits : speech;
        return receive(call, text, callSid + ":" + n).thenCompose(receipt -> {
            if (receipt == null) {
                return done(respond(call, ERROR, Then.LISTEN));
            }
            if (receipt.seq() == 0) {
                return done(respondIfNothing(call, ANYTHING_ELSE)); // an interceptor stopped it before it was stored
            }
            return awaitReply(call, receipt.seq(), 0);
        });
    }

    /** The {@code <Gather>} timed out without a word. */
    private CompletableFuture<WebResponse> noInput(FormBody form, String callSid, int n) {
        Call call = openCall(form, callSid, n);
        return done(call.ended() ? hangup() : retry(call, REPROMPT));
    }

    /** The caller heard "one moment": wait again for the reply of the same turn. */
    private CompletableFuture<WebResponse> waitAgain(FormBody form, String callSid, WebRequest request) {
        int n = step(request);
        long seq = number(request, "s");
        int waits = (int) Math.min(number(request, "w"), Integer.MAX_VALUE);
        Call call = openCall(form, callSid, n);
        return call.ended() ? done(hangup()) : awaitReply(call, seq, waits);
    }

    /** The keypad menu: 1 (or no key at all) transfers to a person, 2 listens again. */
    private CompletableFuture<WebResponse> menu(FormBody form, String callSid, int n) {
        Call call = openCall(form, callSid, n);
        if (call.ended()) {
            return done(hangup());
        }
        String digits = form.first("Digits").orElse("").strip();
        switch (digits) {
            case "1":
                return transferOnRequest(call, TRANSCRIPT_KEYPAD, n);
            case "":
                return transferOnRequest(call, TRANSCRIPT_NO_INPUT, n);
            case "2":
                call.understood();
                return done(respond(call, TRY_AGAIN, Then.LISTEN));
            default:
                return done(respond(call, DTMF_OFFER, Then.MENU));
        }
    }

    /**
     * The caller chose a person (or could not be understood at all): the request is stored in the
     * transcript as the caller's message, so the pipeline hands the session off with the history,
     * and the call is transferred at once, whatever the turn decides.
     */
    private CompletableFuture<WebResponse> transferOnRequest(Call call, String transcriptKey, int n) {
        String text = notices.text(transcriptKey, call.locale);
        return receive(call, text, call.callSid + ":" + n + ":keypad").thenApply(receipt -> {
            Answer a;
            synchronized (call) {
                List<Queued> q = call.drain();
                a = new Answer(transfer(call, sayable(q)), q);
            }
            return delivered(call, a);
        });
    }

    /** The transfer ended: after a conversation with a person, goodbye; when nobody answered, say so and goodbye. */
    private CompletableFuture<WebResponse> dialDone(FormBody form, String callSid, int n) {
        String dial = form.first("DialCallStatus").orElse("");
        String queue = form.first("QueueResult").orElse("");
        if (dial.isEmpty() && queue.isEmpty()) {
            throw new BadRequest(
                    "missing_dial_status",
                    "a dial-done webhook needs DialCallStatus (after <Dial>) or QueueResult (after <Enqueue>)");
        }
        Call call = openCall(form, callSid, n);
        boolean talked = dial.equals("completed")
                || dial.equals("answered")
                || queue.equals("bridged")
                || queue.equals("hangup");
        LOG.debug("call {}: transfer ended with {}", callSid, dial.isEmpty() ? queue : dial);
        Answer a;
        synchronized (call) {
            call.transferring(false);
            List<Queued> q = call.drain();
            List<String> texts = sayable(q);
            if (!talked) {
                texts.add(notices.format(UNAVAILABLE, call.locale, Map.of("ticket", spokenTicket(call))));
            }
            a = new Answer(goodbye(call, texts), q);
        }
        return done(delivered(call, a));
    }

    /** Polled by Twilio while the caller waits in the queue: speaks what an agent wrote meanwhile. */
    private CompletableFuture<WebResponse> hold(FormBody form, String callSid) {
        Call call = openCall(form, callSid, 0);
        Answer a;
        synchronized (call) {
            List<Queued> q = call.drain();
            Twiml r = Twiml.response();
            for (String t : sayable(q)) {
                say(r, call, t);
            }
            if (holdMusic.isEmpty()) {
                r.add("Pause").attr("length", "5");
            } else {
                r.add("Play").text(holdMusic);
            }
            a = new Answer(twiml(r), q);
        }
        return done(delivered(call, a));
    }

    /** A call status callback: a finished call closes its session. */
    private CompletableFuture<WebResponse> status(FormBody form, String callSid) {
        String status = form.first("CallStatus").orElse("");
        if (status.isEmpty()) {
            throw new BadRequest("missing_call_status", "a status callback needs CallStatus");
        }
        if (TERMINAL.contains(status)) {
            Call call = calls.get(callSid);
            if (call == null) {
                call = findCall(form, callSid);
            }
            if (call != null) {
                end(call, status);
            }
        }
        return done(WebResponse.empty(204));
    }

    // ---------------------------------------------------------------- the turn

    private CompletableFuture<ReceiveReceipt> receive(Call call, String text, String externalId) {
        InboundMessage in = InboundMessage.builder(id)
                .from(call.caller)
                .threadId(call.callSid)
                .text(text)
                .externalId(externalId)
                .locale(call.locale)
                .build();
        CompletableFuture<ReceiveReceipt> r;
        try {
            r = ctx.receive(in);
        } catch (RuntimeException e) {
            r = CompletableFuture.failedFuture(e);
        }
        return r.handle((receipt, e) -> {
            if (e != null) {
                LOG.warn("call {}: the caller's words could not be stored: {}", call.callSid, e.toString());
                return null;
            }
            if (!receipt.sessionId().isEmpty() && !receipt.sessionId().equals(call.sessionId())) {
                callBySession.remove(call.sessionId());
                call.rebind(receipt.sessionId(), receipt.ticket());
                callBySession.put(receipt.sessionId(), call.callSid);
            }
            return receipt;
        });
    }

    /** A webhook that waits (at most {@code replyWait}) for what the turn of the message at {@code seq} says. */
    private CompletableFuture<WebResponse> awaitReply(Call call, long seq, int waits) {
        CompletableFuture<WebResponse> f = new CompletableFuture<>();
        call.await(new Waiter(seq, waits, System.nanoTime() + replyWait.toNanos(), f));
        signal(call);
        return f;
    }

    private void signal(Call call) {
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            try {
                s.execute(() -> check(call));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // closing
            }
        }
    }

    private void tick() {
        for (Call call : calls.values()) {
            check(call);
        }
    }

    /**
     * Answers the webhooks of a call that wait for a reply, once the turn of their message is over
     * and everything it sent has reached {@link #send}: with what is queued, with a transfer when a
     * person takes over, or with "anything else?" when the turn ended silently. A late reply gets
     * "one moment" and a redirect to wait again, at most {@code maxWaits} times.
     */
    private void check(Call call) {
        try {
            List<Waiter> waiting = call.waiters();
            if (waiting.isEmpty()) {
                return;
            }
            Session s = session(call);
            Boolean quiet = null;
            for (Waiter w : waiting) {
                boolean turnDone = false;
                if (s != null && s.handledSeq() >= w.seq()) {
                    quiet = quiet == null ? noPendingSends(s.id()) : quiet;
                    turnDone = quiet;
                }
                Answer a = null;
                synchronized (call) {
                    if (w.future().isDone()) {
                        continue;
                    }
                    if (call.ended()) {
                        a = new Answer(hangup(), List.of());
                    } else if (turnDone
                            || handoffQueued(call)
                            || s == null
                            || !s.state().isOpen()) {
                        a = next(call, s, ANYTHING_ELSE, true, Then.LISTEN);
                    } else if (System.nanoTime() - w.deadlineNanos() >= 0) {
                        a = w.waits() < maxWaits
                                ? new Answer(waitMore(call, w), List.of())
                                : next(call, s, SLOW, false, Then.LISTEN);
                    }
                    if (a != null) {
                        w.future().complete(a.response());
                    }
                }
                if (a != null) {
                    delivered(call, a);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("checking call {} for a reply failed", call.callSid, e);
        }
    }

    /** True when every message queued for this channel in the session has reached {@link #send} (is spoken or queued here). */
    private boolean noPendingSends(String sessionId) {
        return ctx.outbox(sessionId).stream()
                .noneMatch(e -> e.status() == OutboxStatus.PENDING
                        && e.item().kind().equals(OutboxKind.CHANNEL_SEND)
                        && e.item().target().equals(id.value())
                        && !sentKeys.containsKey(e.item().idempotencyKey()));
    }

    private static boolean handoffQueued(Call call) {
        return call.queued().stream().anyMatch(q -> q.kind() == OutboundMessage.Kind.HANDOFF_NOTICE);
    }

    /** Silence or unclear speech: ask again, up to {@code maxReprompts} times, then the keypad menu. */
    private WebResponse retry(Call call, String key) {
        Session s = session(call);
        Answer a;
        synchronized (call) {
            a = call.failed() > maxReprompts
                    ? next(call, s, DTMF_OFFER, false, Then.MENU)
                    : next(call, s, key, false, Then.LISTEN);
        }
        return delivered(call, a);
    }

    private WebResponse respond(Call call, String key, Then then) {
        Session s = session(call);
        Answer a;
        synchronized (call) {
            a = next(call, s, key, false, then);
        }
        return delivered(call, a);
    }

    private WebResponse respondIfNothing(Call call, String key) {
        Session s = session(call);
        Answer a;
        synchronized (call) {
            a = next(call, s, key, true, Then.LISTEN);
        }
        return delivered(call, a);
    }

    /**
     * The call's next TwiML (the caller holds the call's monitor): what is queued first; a transfer
     * when a person takes over; a goodbye when the session is over; else the prompt of {@code key}
     * (always, or only when nothing was queued) and then listening or the keypad menu.
     */
    private Answer next(Call call, Session s, String key, boolean onlyIfNothing, Then then) {
        List<Queued> q = call.drain();
        List<String> texts = sayable(q);
        if (s != null && !s.state().isOpen()) {
            return new Answer(goodbye(call, texts), q);
        }
        boolean handoff = q.stream().anyMatch(x -> x.kind() == OutboundMessage.Kind.HANDOFF_NOTICE)
                || s != null && s.state().isOwnedByTeam();
        if (handoff) {
            return new Answer(transfer(call, texts), q);
        }
        if (!onlyIfNothing || texts.isEmpty()) {
            texts.add(notices.text(key, call.locale));
        }
        return new Answer(then == Then.MENU ? menuTwiml(call, texts) : gather(call, texts), q);
    }

    /** Records what a response speaks in the session log, and returns the response. */
    private WebResponse delivered(Call call, Answer a) {
        for (Queued q : a.spoken()) {
            boolean silent = q.text().isBlank() && q.kind() != OutboundMessage.Kind.HANDOFF_NOTICE;
            record(
                    call,
                    q,
                    silent ? DeliveryUpdated.State.FAILED : DeliveryUpdated.State.DELIVERED,
                    silent ? "unspeakable" : "spoken",
                    silent ? "nothing speakable was left once links and markup were removed" : "");
        }
        return a.response();
    }

    private void record(Call call, Queued q, DeliveryUpdated.State state, String providerStatus, String error) {
        if (q.messageId().isEmpty()) {
            return;
        }
        try {
            ctx.deliveryUpdated(
                    call.sessionId(),
                    new DeliveryUpdated(q.messageId(), id.value(), call.callSid, state, providerStatus, error));
        } catch (RuntimeException e) {
            LOG.warn("cannot record the delivery of a message on call {}", call.callSid, e);
        }
    }

    /** Ends a call once: its waiting webhooks hang up, what was never spoken is recorded as failed, the session closes. */
    private void end(Call call, String status) {
        List<Queued> left;
        List<Waiter> waiting;
        boolean transferred;
        synchronized (call) {
            if (!call.end()) {
                return;
            }
            left = call.drain();
            waiting = call.waiters();
            transferred = call.transferring();
            for (Waiter w : waiting) {
                w.future().complete(hangup());
            }
        }
        for (Queued q : left) {
            if (q.kind() == OutboundMessage.Kind.HANDOFF_NOTICE && transferred) {
                record(call, q, DeliveryUpdated.State.DELIVERED, "spoken", "");
            } else {
                record(call, q, DeliveryUpdated.State.FAILED, status, "the call ended before it could be spoken");
            }
        }
        String reason =
                switch (status) {
                    case "completed" -> call.saidGoodbye() ? "call ended after goodbye" : "caller hung up";
                    case "no-webhook" -> "no webhook from Twilio for " + maxCallIdle.toHours()
                            + " h: the call is taken as ended";
                    default -> "call " + status; // busy, failed, no-answer, canceled
                };
        try {
            ctx.endSession(call.sessionId(), reason);
        } catch (IllegalArgumentException e) {
            LOG.warn("call {} ended but its session could not be closed: {}", call.callSid, e.getMessage());
        }
        LOG.debug("call {} ended ({}), session {} closed", call.callSid, status, call.ticket());
    }

    private void evict() {
        try {
            Instant now = clock.instant();
            for (Call call : List.copyOf(calls.values())) {
                Instant last = call.lastActivity();
                if (call.ended() && last.isBefore(now.minus(Duration.ofMinutes(10)))) {
                    calls.remove(call.callSid, call);
                    callBySession.remove(call.sessionId(), call.callSid);
                } else if (!call.ended() && last.isBefore(now.minus(maxCallIdle))) {
                    LOG.info("call {} had no webhook for {}: treating it as ended", call.callSid, maxCallIdle);
                    end(call, "no-webhook");
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("evicting finished calls failed", e);
        }
    }

    // ---------------------------------------------------------------- calls and sessions

    /** The call of a webhook: known, or its session found (or opened) by the caller and the call SID. */
    private Call openCall(FormBody form, String callSid, int step) {
        Call call = calls.get(callSid);
        if (call == null) {
            synchronized (opening) {
                call = calls.get(callSid);
                if (call == null) {
                    ChannelContext c = started();
                    Identity caller = callerIdentity(form.first("From").orElse(""), callSid);
                    String name = form.first("CallerName").orElse("");
                    Contact contact = c.contact(caller, name);
                    Session s = c.findOpenSession(contact.id(), callSid)
                            .orElseGet(() ->
                                    c.openSession(new NewSession(contact.id(), id, callSid, localeFor(form)), name));
                    call = new Call(
                            callSid,
                            caller,
                            s.locale(),
                            s.id(),
                            s.ticket(),
                            stepFloor(s.id(), callSid),
                            clock.instant());
                    calls.put(callSid, call);
                    callBySession.put(s.id(), callSid);
                }
            }
        }
        call.atLeast(step);
        call.touch(clock.instant());
        return call;
    }

    /** The call of a status callback for a call this process does not know: only if its session is open. */
    private Call findCall(FormBody form, String callSid) {
        Identity caller = callerIdentity(form.first("From").orElse(""), callSid);
        Optional<Contact> contact = ctx.findContact(caller);
        if (contact.isEmpty()) {
            return null;
        }
        return ctx.findOpenSession(contact.get().id(), callSid)
                .map(s -> {
                    synchronized (opening) {
                        return calls.computeIfAbsent(callSid, k -> {
                            callBySession.put(s.id(), callSid);
                            return new Call(callSid, caller, s.locale(), s.id(), s.ticket(), 0, clock.instant());
                        });
                    }
                })
                .orElse(null);
    }

    /**
     * The highest step of this call already stored as a message id ({@code CallSid:n}), so that
     * steps of a call rebuilt after a restart never reuse an id.
     */
    private int stepFloor(String sessionId, String callSid) {
        int max = 0;
        for (SessionEvent e : ctx.timeline(sessionId)) {
            if (e.payload() instanceof MessageReceived mr
                    && mr.message().externalId().startsWith(callSid + ":")) {
                String rest = mr.message().externalId().substring(callSid.length() + 1);
                int colon = rest.indexOf(':');
                try {
                    max = Math.max(max, Integer.parseInt(colon < 0 ? rest : rest.substring(0, colon)));
                } catch (NumberFormatException ignored) {
                    // not one of ours
                }
            }
        }
        return max;
    }

    private Session session(Call call) {
        return ctx.session(call.sessionId()).orElse(null);
    }

    /**
     * The caller's identity: the E.164 number; a Twilio Client or SIP caller by its address; a
     * withheld or unknown number as an anonymous caller of this call only.
     */
    static Identity callerIdentity(String from, String callSid) {
        String f = from.strip();
        if (f.startsWith("client:") || f.startsWith("sip:")) {
            String v = "twilio-" + f;
            return Identity.custom(v.length() > 200 ? v.substring(0, 200) : v);
        }
        if (!WITHHELD.contains(f)) {
            try {
                return Identity.phone(f);
            } catch (IllegalArgumentException e) {
                // "anonymous", "restricted", "unknown", empty: no number to know the caller by
            }
        }
        return Identity.custom("anonymous-call:" + callSid);
    }

    /** The language of a new call: the configured one for the caller's country, else the default. */
    private String localeFor(FormBody form) {
        String country = form.first("FromCountry")
                .or(() -> form.first("CallerCountry"))
                .orElse("")
                .strip()
                .toUpperCase(Locale.ROOT);
        return countryLanguages.getOrDefault(country, language);
    }

    // ---------------------------------------------------------------- TwiML

    private WebResponse gather(Call call, List<String> texts) {
        int n = call.nextStep();
        String lang = twilioLanguage(call);
        Twiml r = Twiml.response();
        Twiml g = r.add("Gather")
                .attr("input", "speech dtmf")
                .attr("action", url("/turn", n))
                .attr("method", "POST")
                .attr("timeout", String.valueOf(gatherTimeout.toSeconds()))
                .attr("speechTimeout", speechTimeout.isZero() ? "auto" : String.valueOf(speechTimeout.toSeconds()))
                .attr("language", lang);
        for (String t : texts) {
            say(g, call, t);
        }
        r.add("Redirect").attr("method", "POST").text(url("/no-input", n));
        return twiml(r);
    }

    private WebResponse menuTwiml(Call call, List<String> texts) {
        int n = call.nextStep();
        Twiml r = Twiml.response();
        Twiml g = r.add("Gather")
                .attr("input", "dtmf")
                .attr("numDigits", "1")
                .attr("action", url("/menu", n))
                .attr("method", "POST")
                .attr("timeout", String.valueOf(gatherTimeout.toSeconds()));
        for (String t : texts) {
            say(g, call, t);
        }
        r.add("Redirect").attr("method", "POST").text(url("/menu", n));
        return twiml(r);
    }

    private WebResponse transfer(Call call, List<String> texts) {
        call.transferring(true);
        int n = call.nextStep();
        Twiml r = Twiml.response();
        for (String t : texts) {
            say(r, call, t);
        }
        say(r, call, notices.format(CONNECTING, call.locale, Map.of("ticket", spokenTicket(call))));
        if (handoff.kind() == HandoffTarget.Kind.QUEUE) {
            r.add("Enqueue")
                    .attr("action", url("/dial-done", n))
                    .attr("method", "POST")
                    .attr("waitUrl", baseUrl + mountPath + "/hold")
                    .attr("waitUrlMethod", "POST")
                    .text(handoff.value());
        } else {
            Twiml dial = r.add("Dial")
                    .attr("action", url("/dial-done", n))
                    .attr("method", "POST")
                    .attr("timeout", String.valueOf(dialTimeout.toSeconds()));
            String noun =
                    switch (handoff.kind()) {
                        case NUMBER -> "Number";
                        case CLIENT -> "Client";
                        default -> "Sip";
                    };
            dial.add(noun).text(handoff.value());
        }
        LOG.debug("call {}: transferring to {}", call.callSid, handoff.kind());
        return twiml(r);
    }

    private WebResponse goodbye(Call call, List<String> texts) {
        call.goodbye();
        Twiml r = Twiml.response();
        for (String t : texts) {
            say(r, call, t);
        }
        say(r, call, notices.text(GOODBYE, call.locale));
        r.add("Hangup");
        return twiml(r);
    }

    private WebResponse waitMore(Call call, Waiter w) {
        int n = call.nextStep();
        Twiml r = Twiml.response();
        if (w.waits() == 0) {
            say(r, call, notices.text(WAIT, call.locale));
        }
        r.add("Redirect").attr("method", "POST").text(url("/wait", n) + "&s=" + w.seq() + "&w=" + (w.waits() + 1));
        return twiml(r);
    }

    private static WebResponse hangup() {
        Twiml r = Twiml.response();
        r.add("Hangup");
        return twiml(r);
    }

    private void say(Twiml parent, Call call, String text) {
        String lang = twilioLanguage(call);
        parent.add("Say").attr("language", lang).attr("voice", voiceFor(lang)).text(text);
    }

    private String twilioLanguage(Call call) {
        return VoiceLanguages.twilioCode(call.locale, languageOverrides, language);
    }

    private String voiceFor(String twilioLanguage) {
        String full = twilioLanguage.toLowerCase(Locale.ROOT);
        String v = voices.get(full);
        if (v == null) {
            int dash = full.indexOf('-');
            v = voices.get(dash < 0 ? full : full.substring(0, dash));
        }
        return v == null ? "" : v;
    }

    private String spokenTicket(Call call) {
        return SpokenText.digits(String.valueOf(call.ticket().value()));
    }

    /** The texts of queued messages that are read out: handoff notices are replaced by the transfer's own words. */
    private static List<String> sayable(List<Queued> q) {
        List<String> out = new ArrayList<>();
        for (Queued x : q) {
            if (x.kind() != OutboundMessage.Kind.HANDOFF_NOTICE && !x.text().isBlank()) {
                out.add(x.text());
            }
        }
        return out;
    }

    private String url(String route, int n) {
        return baseUrl + mountPath + route + "?n=" + n;
    }

    private static WebResponse twiml(Twiml r) {
        return WebResponse.of(200, "text/xml; charset=utf-8", r.toXml().getBytes(StandardCharsets.UTF_8));
    }

    private static CompletableFuture<WebResponse> done(WebResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    // ---------------------------------------------------------------- parsing

    private static int step(WebRequest request) {
        long n = number(request, "n");
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new BadRequest("bad_step", "query parameter n must be a positive step number, was " + n);
        }
        return (int) n;
    }

    private static long number(WebRequest request, String name) {
        String v = request.queryParam(name).orElse("");
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new BadRequest(
                    "bad_query", "query parameter " + name + " must be a whole number >= 0, was '" + v + "'");
        }
    }

    private static OptionalDouble confidence(FormBody form) {
        Optional<String> raw = form.first("Confidence").map(String::strip).filter(s -> !s.isEmpty());
        if (raw.isEmpty()) {
            return OptionalDouble.empty();
        }
        try {
            double c = Double.parseDouble(raw.get());
            if (c >= 0 && c <= 1) {
                return OptionalDouble.of(c);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("bad_confidence", "Confidence must be a number from 0 to 1, was '" + raw.get() + "'");
    }

    private ChannelContext started() {
        ChannelContext c = ctx;
        if (c == null) {
            throw new IllegalStateException(
                    "the voice channel is not started: add it to OpenCx.builder().channel(...) and build");
        }
        return c;
    }

    private static String stripSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static <V> Map<String, V> lru(int max) {
        return new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        };
    }

    /** Stops the channel's timer; webhooks still waiting are told to try again. Idempotent. */
    @Override
    public void close() {
        ScheduledExecutorService s;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            s = scheduler;
        }
        if (s != null) {
            s.shutdownNow();
        }
        for (Call call : calls.values()) {
            for (Waiter w : call.waiters()) {
                w.future()
                        .complete(WebResponse.error(503, "unavailable", "the voice channel is closing")
                                .withHeader("Retry-After", "1"));
            }
        }
    }

    @Override
    public String toString() {
        return "TwilioVoiceChannel{" + id + " at " + mountPath + ", handoff " + handoff + "}";
    }

    /** A webhook OpenCX cannot act on: answered 400 with the reason. */
    private static final class BadRequest extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String code;

        BadRequest(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /**
     * Builds a {@link TwilioVoiceChannel}. Setters reject null at once; {@link #build()} checks
     * every value together and reports all problems in one exception.
     */
    public static final class Builder {
        private ChannelId id = ChannelId.PHONE;
        private String authToken;
        private final List<String> previousTokens = new ArrayList<>();
        private String publicBaseUrl;
        private String mountPath = DEFAULT_MOUNT_PATH;
        private String language = "en-US";
        private final Map<String, String> languageOverrides = new LinkedHashMap<>();
        private final Map<String, String> countryLanguages = new LinkedHashMap<>();
        private final Map<String, String> voices = new LinkedHashMap<>();
        private HandoffTarget handoff;
        private Duration gatherTimeout = Duration.ofSeconds(5);
        private Duration speechTimeout = Duration.ZERO;
        private Duration replyWait = Duration.ofSeconds(5);
        private int maxWaits = 3;
        private Duration dialTimeout = Duration.ofSeconds(20);
        private int maxSpokenChars = 400;
        private double minSpeechConfidence = 0.4;
        private int maxReprompts = 2;
        private String holdMusic = "";
        private Duration pollInterval = Duration.ofMillis(100);
        private Duration maxCallIdle = Duration.ofHours(6);
        private Channel afterCallFallback;
        private final Notices.Builder notices =
                Notices.builder().bundle(NOTICES, TwilioVoiceChannel.class.getClassLoader());
        private final List<String> noticeErrors = new ArrayList<>();
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The channel's id (default {@code phone}). */
        public Builder channelId(ChannelId channelId) {
            this.id = Objects.requireNonNull(channelId, "channelId");
            return this;
        }

        /**
         * The account's Auth Token (required), and tokens still accepted while it is rotated.
         * Signatures are checked against every one of them.
         */
        public Builder authToken(String token, String... previous) {
            this.authToken = Objects.requireNonNull(token, "authToken");
            previousTokens.clear();
            for (String p : previous) {
                previousTokens.add(Objects.requireNonNull(p, "previous token"));
            }
            return this;
        }

        /**
         * The public URL of the server as Twilio reaches it ({@code https://support.example.com};
         * required): the webhooks' URLs are this plus the mount path, and Twilio signs those URLs,
         * so it must be exactly what is configured in the Twilio console (behind a proxy too).
         */
        public Builder publicBaseUrl(String url) {
            this.publicBaseUrl = Objects.requireNonNull(url, "publicBaseUrl");
            return this;
        }

        /** Where the webhooks are mounted (default {@code /webhooks/twilio/voice}). */
        public Builder mountPath(String path) {
            this.mountPath = Objects.requireNonNull(path, "mountPath");
            return this;
        }

        /**
         * The language of new calls as a Twilio language code (default {@code en-US}): speech is
         * recognised and texts are spoken in it. It becomes the session's locale.
         */
        public Builder language(String twilioLanguage) {
            this.language = Objects.requireNonNull(twilioLanguage, "language");
            return this;
        }

        /**
         * Calls from numbers of {@code countryCode} (ISO 3166, as Twilio's {@code FromCountry}) start
         * in this language instead: {@code callerCountryLanguage("MX", "es-MX")}.
         */
        public Builder callerCountryLanguage(String countryCode, String twilioLanguage) {
            Objects.requireNonNull(countryCode, "countryCode");
            Objects.requireNonNull(twilioLanguage, "twilioLanguage");
            countryLanguages.put(countryCode.strip().toUpperCase(Locale.ROOT), twilioLanguage);
            return this;
        }

        /**
         * The Twilio code used for sessions in a language: {@code languageCode("es", "es-MX")} speaks
         * Mexican Spanish to sessions whose locale is {@code es}. Without one, a locale with a region
         * is used as it is and a bare language gets its usual region ({@code pt} → {@code pt-BR}).
         */
        public Builder languageCode(String locale, String twilioLanguage) {
            Objects.requireNonNull(locale, "locale");
            Objects.requireNonNull(twilioLanguage, "twilioLanguage");
            languageOverrides.put(VoiceLanguages.key(locale), twilioLanguage);
            return this;
        }

        /**
         * The {@code <Say voice>} for a language or Twilio code ({@code voice("en",
         * "Polly.Joanna-Neural")}); without one Twilio's default voice for the language speaks.
         */
        public Builder voice(String language, String voice) {
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(voice, "voice");
            voices.put(language.strip().toLowerCase(Locale.ROOT), voice.strip());
            return this;
        }

        /** Where calls go when a person takes over (required). */
        public Builder handoffTo(HandoffTarget target) {
            this.handoff = Objects.requireNonNull(target, "target");
            return this;
        }

        /** Silence before a {@code <Gather>} gives up and the caller is asked again (default 5 s; 1 to 60 s). */
        public Builder gatherTimeout(Duration timeout) {
            this.gatherTimeout = Objects.requireNonNull(timeout, "gatherTimeout");
            return this;
        }

        /**
         * The pause that ends the caller's speech; {@link Duration#ZERO} (the default) lets Twilio
         * decide ({@code speechTimeout="auto"}); else 1 to 60 s.
         */
        public Builder speechTimeout(Duration timeout) {
            this.speechTimeout = Objects.requireNonNull(timeout, "speechTimeout");
            return this;
        }

        /**
         * How long a webhook waits for the AI's reply before the caller hears "one moment" (default
         * 5 s; 100 ms to 12 s, well under Twilio's 15 s webhook timeout).
         */
        public Builder replyWait(Duration wait) {
            this.replyWait = Objects.requireNonNull(wait, "replyWait");
            return this;
        }

        /**
         * How many times a late reply is waited for again after "one moment" (default 3; 0 to 10).
         * After that the caller is told it takes longer, and the reply is spoken at the call's next
         * response.
         */
        public Builder maxWaits(int waits) {
            this.maxWaits = waits;
            return this;
        }

        /** How long a transfer rings before it counts as not answered (default 20 s; 5 to 600 s). */
        public Builder dialTimeout(Duration timeout) {
            this.dialTimeout = Objects.requireNonNull(timeout, "dialTimeout");
            return this;
        }

        /** The longest reply spoken; longer ones are cut at a sentence or word end (default 400; 40 to 4000). */
        public Builder maxSpokenChars(int chars) {
            this.maxSpokenChars = chars;
            return this;
        }

        /**
         * Speech recognised with a lower {@code Confidence} than this is not sent to the AI: the
         * caller is asked again (default 0.4; 0 to 1; 0 accepts everything).
         */
        public Builder minSpeechConfidence(double confidence) {
            this.minSpeechConfidence = confidence;
            return this;
        }

        /**
         * How often silence or unclear speech is asked about again before the keypad menu ("press 1
         * to talk to a person") is offered (default 2; 0 to 10).
         */
        public Builder maxReprompts(int times) {
            this.maxReprompts = times;
            return this;
        }

        /** Audio played to callers waiting in a {@link HandoffTarget#queue queue} (default: silence). */
        public Builder holdMusic(String url) {
            this.holdMusic = Objects.requireNonNull(url, "holdMusic");
            return this;
        }

        /**
         * A channel that takes the messages of calls that have ended (an agent's later reply), e.g.
         * the Twilio SMS channel: it gets them when the recipient is a phone number. Without one,
         * such messages fail permanently and the session log says why.
         */
        public Builder afterCallFallback(Channel channel) {
            this.afterCallFallback = Objects.requireNonNull(channel, "afterCallFallback");
            return this;
        }

        /** One text of this channel in one locale, e.g. {@code notice("voice.greeting", "en", "Acme support, hello!")}. */
        public Builder notice(String key, String locale, String text) {
            try {
                notices.override(key, locale, text);
            } catch (IllegalArgumentException e) {
                noticeErrors.add(e.getMessage());
            }
            return this;
        }

        /** A bundle of your own texts for this channel's keys, in any locales (see {@link Notices}). */
        public Builder notices(String baseName, ClassLoader loader) {
            try {
                notices.overrideBundle(baseName, loader);
            } catch (IllegalArgumentException e) {
                noticeErrors.add(e.getMessage());
            }
            return this;
        }

        /** How often waiting webhooks look for a turn that ended without a reply (default 100 ms; 10 ms to 1 s). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = Objects.requireNonNull(interval, "pollInterval");
            return this;
        }

        /** A call without any webhook for this long counts as ended (default 6 h; at least 10 min). */
        public Builder maxCallIdle(Duration idle) {
            this.maxCallIdle = Objects.requireNonNull(idle, "maxCallIdle");
            return this;
        }

        /** The clock of call activity (default UTC system clock). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The channel.
         *
         * @throws IllegalArgumentException naming every setting that is missing or out of range
         */
        public TwilioVoiceChannel build() {
            List<String> errors = new ArrayList<>(noticeErrors);
            if (authToken == null || authToken.isBlank()) {
                errors.add("authToken is required (the Twilio account's Auth Token)");
            }
            if (previousTokens.stream().anyMatch(String::isBlank)) {
                errors.add("a previous auth token is blank");
            }
            if (publicBaseUrl == null) {
                errors.add("publicBaseUrl is required (e.g. https://support.example.com, as configured in Twilio)");
            } else {
                checkBaseUrl(publicBaseUrl, errors);
            }
            if (!MOUNT.matcher(mountPath).matches()) {
                errors.add(
                        "mountPath must look like /webhooks/twilio/voice (no trailing '/'), was '" + mountPath + "'");
            }
            if (!VoiceLanguages.CODE.matcher(language).matches()) {
                errors.add("language must be a Twilio language code like en-US, was '" + language + "'");
            }
            countryLanguages.forEach((country, lang) -> {
                if (!country.matches("[A-Z]{2}")) {
                    errors.add("callerCountryLanguage country must be two letters like MX, was '" + country + "'");
                }
                if (!VoiceLanguages.CODE.matcher(lang).matches()) {
                    errors.add("callerCountryLanguage(" + country + ") must be a Twilio language code like es-MX, was '"
                            + lang + "'");
                }
            });
            languageOverrides.forEach((locale, lang) -> {
                if (locale.isEmpty()) {
                    errors.add("languageCode locale must name a language, like es or es-MX");
                }
                if (!VoiceLanguages.CODE.matcher(lang).matches()) {
                    errors.add("languageCode(" + locale + ") must be a Twilio language code like es-MX, was '" + lang
                            + "'");
                }
            });
            voices.forEach((lang, v) -> {
                if (v.isEmpty() || v.chars().anyMatch(Character::isWhitespace)) {
                    errors.add(
                            "voice for '" + lang + "' must be a Twilio voice name like Polly.Joanna, was '" + v + "'");
                }
            });
            if (handoff == null) {
                errors.add(
                        "handoffTo is required: HandoffTarget.number(\"+15551234567\") or HandoffTarget.queue(\"support\")");
            }
            range("gatherTimeout", gatherTimeout, Duration.ofSeconds(1), Duration.ofSeconds(60), errors);
            if (!speechTimeout.isZero()) {
                range("speechTimeout", speechTimeout, Duration.ofSeconds(1), Duration.ofSeconds(60), errors);
            }
            range("replyWait", replyWait, Duration.ofMillis(100), Duration.ofSeconds(12), errors);
            range("dialTimeout", dialTimeout, Duration.ofSeconds(5), Duration.ofSeconds(600), errors);
            range("pollInterval", pollInterval, Duration.ofMillis(10), Duration.ofSeconds(1), errors);
            range("maxCallIdle", maxCallIdle, Duration.ofMinutes(10), Duration.ofDays(2), errors);
            if (maxWaits < 0 || maxWaits > 10) {
                errors.add("maxWaits must be 0 to 10, was " + maxWaits);
            }
            if (maxSpokenChars < 40 || maxSpokenChars > 4000) {
                errors.add("maxSpokenChars must be 40 to 4000, was " + maxSpokenChars);
            }
            if (Double.isNaN(minSpeechConfidence) || minSpeechConfidence < 0 || minSpeechConfidence > 1) {
                errors.add("minSpeechConfidence must be 0 to 1, was " + minSpeechConfidence);
            }
            if (maxReprompts < 0 || maxReprompts > 10) {
                errors.add("maxReprompts must be 0 to 10, was " + maxReprompts);
            }
            if (!holdMusic.isEmpty() && !holdMusic.matches("https?://\\S+")) {
                errors.add("holdMusic must be an http(s) URL, was '" + holdMusic + "'");
            }
            Notices built = null;
            try {
                built = notices.build();
            } catch (IllegalArgumentException e) {
                errors.add(e.getMessage());
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(
                        "TwilioVoiceChannel is not configured correctly:\n  - " + String.join("\n  - ", errors));
            }
            return new TwilioVoiceChannel(this, built);
        }

        private static void checkBaseUrl(String url, List<String> errors) {
            try {
                URI u = new URI(url);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null) {
                    errors.add("publicBaseUrl must be an absolute http(s) URL like https://support.example.com, was '"
                            + url + "'");
                } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
                    errors.add("publicBaseUrl must not have a query or fragment, was '" + url + "'");
                }
            } catch (URISyntaxException e) {
                errors.add("publicBaseUrl is not a URL: '" + url + "'");
            }
        }

        private static void range(String name, Duration d, Duration min, Duration max, List<String> errors) {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                errors.add(name + " must be " + human(min) + " to " + human(max) + ", was " + human(d));
            }
        }

        private static String human(Duration d) {
            return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
        }
    }

    /** The distinct set of keys this channel speaks, for documentation and tests. */
    static Set<String> noticeKeys() {
        return new LinkedHashSet<>(List.of(
                GREETING,
                REPROMPT,
                LOW_CONFIDENCE,
                DTMF_OFFER,
                TRY_AGAIN,
                WAIT,
                SLOW,
                ANYTHING_ELSE,
                CONNECTING,
                UNAVAILABLE,
                GOODBYE,
                ERROR,
                TRANSCRIPT_KEYPAD,
                TRANSCRIPT_NO_INPUT));
    }
}
