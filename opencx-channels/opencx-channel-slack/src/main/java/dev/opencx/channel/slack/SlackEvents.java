package dev.opencx.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCxException;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Events API request URL: checks the signature and the replay window, answers {@code
 * url_verification}, turns people's messages into {@link InboundMessage}s and answers Slack once
 * they are stored. Logs event ids, types and outcomes; never texts, names or user ids.
 */
final class SlackEvents {
    private static final Logger LOG = LoggerFactory.getLogger(SlackEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TS = Pattern.compile("\\d{1,12}\\.\\d{1,9}");
    /** Subtypes that are still a person writing; every other subtype is ignored. */
    private static final Set<String> PERSON_SUBTYPES = Set.of("thread_broadcast", "file_share", "me_message");

    private final SlackChannel channel;
    private final SlackSignature signature;
    private volatile ChannelContext ctx;

    SlackEvents(SlackChannel channel, SlackSignature signature) {
        this.channel = channel;
        this.signature = signature;
    }

    void start(ChannelContext context) {
        this.ctx = context;
    }

    WebResponse handle(WebRequest request) {
        String path = request.path();
        if (!path.isEmpty() && !path.equals("/") && !path.equals("/events")) {
            return WebResponse.error(404, "not_found", "the Slack Events API request URL is the mount path itself");
        }
        if (!request.method().equals("POST")) {
            return WebResponse.error(405, "method_not_allowed", "Slack events are POSTed")
                    .withHeader("Allow", "POST");
        }
        Optional<String> refusal = signature.refusal(
                request.header("X-Slack-Request-Timestamp").orElse(null),
                request.header("X-Slack-Signature").orElse(null),
                request.body());
        if (refusal.isPresent()) {
            LOG.warn("slack channel '{}' refused a request: {}", channel.id(), refusal.get());
            return WebResponse.error(401, "invalid_signature", refusal.get());
        }
        JsonNode root;
        try {
            root = JSON.readTree(request.body());
        } catch (IOException e) {
            return malformed("the body is not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (root == null || !root.isObject()) {
            return malformed("the body is not a JSON object");
        }
        String type = text(root, "type");
        switch (type) {
            case "url_verification": {
                String challenge = text(root, "challenge");
                if (challenge.isEmpty()) {
                    return malformed("url_verification without a challenge");
                }
                LOG.info("slack channel '{}' answered Slack's url_verification", channel.id());
                return WebResponse.text(200, challenge);
            }
            case "event_callback":
                return event(root, request);
            case "app_rate_limited":
                LOG.warn(
                        "slack channel '{}': Slack reports that it dropped events (app_rate_limited, minute {})",
                        channel.id(),
                        root.path("minute_rate_limited").asText(""));
                return WebResponse.empty(200);
            case "":
                return malformed("the payload has no 'type'");
            default:
                LOG.debug("slack channel '{}' ignores a '{}' payload", channel.id(), type);
                return WebResponse.empty(200);
        }
    }

    private WebResponse event(JsonNode root, WebRequest request) {
        JsonNode event = root.path("event");
        if (!event.isObject()) {
            return malformed("event_callback without an 'event' object");
        }
        String eventId = text(root, "event_id");
        String eventType = text(event, "type");
        request.header("X-Slack-Retry-Num")
                .ifPresent(n -> LOG.debug(
                        "slack event {} is Slack's retry {} ({})",
                        eventId,
                        n,
                        request.header("X-Slack-Retry-Reason").orElse("no reason")));
        if (!eventType.equals("message") && !eventType.equals("app_mention")) {
            return ignored(eventId, "a '" + eventType + "' event");
        }
        String subtype = text(event, "subtype");
        if (!subtype.isEmpty() && !PERSON_SUBTYPES.contains(subtype)) {
            return ignored(eventId, "subtype " + subtype);
        }
        if (event.path("hidden").asBoolean(false)) {
            return ignored(eventId, "a hidden message");
        }
        if (!text(event, "bot_id").isEmpty()) {
            return ignored(eventId, "a bot's message");
        }
        String user = text(event, "user");
        String bot = channel.botUserId();
        if (!bot.isEmpty() && user.equals(bot)) {
            return ignored(eventId, "the app's own message");
        }
        String conversation = text(event, "channel");
        String ts = text(event, "ts");
        if (user.isEmpty() || conversation.isEmpty() || ts.isEmpty()) {
            return malformed("a " + eventType + " event needs 'user', 'channel' and 'ts'");
        }
        if (!TS.matcher(ts).matches()) {
            return malformed("'ts' must look like 1355517523.000005");
        }
        String kind = text(event, "channel_type");
        if (kind.isEmpty()) {
            kind = conversation.startsWith("D") ? "im" : "channel"; // app_mention has no channel_type
        }
        String threadId;
        if (kind.equals("im")) {
            if (!channel.directMessages()) {
                return ignored(eventId, "a direct message (directMessages is off)");
            }
            threadId = conversation;
        } else if (kind.equals("channel") || kind.equals("group")) {
            if (!channel.isSupportChannel(conversation)) {
                return ignored(eventId, "a message in a channel that is not a support channel");
            }
            String root2 = text(event, "thread_ts");
            if (!root2.isEmpty() && !TS.matcher(root2).matches()) {
                return malformed("'thread_ts' must look like 1355517523.000005");
            }
            threadId = conversation + ":" + (root2.isEmpty() ? ts : root2);
        } else {
            return ignored(eventId, "a message in a " + kind);
        }
        String team = text(root, "team_id");
        if (team.isEmpty()) {
            team = text(event, "team");
        }
        if (team.isEmpty()) {
            return malformed("the event names no workspace ('team_id')");
        }
        String body = SlackMrkdwn.toPlainText(withoutMention(text(event, "text"), bot))
                .strip();
        List<Attachment> files = files(event.path("files"));
        if (body.isEmpty() && files.isEmpty()) {
            return ignored(eventId, "a message with nothing to read");
        }
        InboundMessage in;
        try {
            InboundMessage.Builder b = InboundMessage.builder(channel.id())
                    .from(new SlackUser(team, user).identity())
                    .displayName(displayName(event.path("user_profile")))
                    .threadId(threadId)
                    .text(body)
                    .externalId(conversation + ":" + ts)
                    .receivedAt(instant(ts));
            files.forEach(b::attachment);
            in = b.build();
        } catch (IllegalArgumentException e) {
            return malformed(e.getMessage());
        }
        ChannelContext context = ctx;
        if (context == null) {
            return WebResponse.error(503, "not_started", "the Slack channel is not started yet");
        }
        CompletableFuture<ReceiveReceipt> stored;
        try {
            stored = context.receive(in);
        } catch (RuntimeException e) {
            stored = CompletableFuture.failedFuture(e);
        }
        long started = System.nanoTime();
        CompletableFuture<WebResponse> answer = stored.handle((receipt, failure) ->
                failure == null ? accepted(eventId, receipt, started) : refused(eventId, failure));
        return WebResponse.later(
                answer.completeOnTimeout(tooSlow(eventId), channel.ackTimeout().toMillis(), TimeUnit.MILLISECONDS));
    }

    private WebResponse accepted(String eventId, ReceiveReceipt receipt, long started) {
        LOG.debug(
                "slack event {} stored{} in {} ms",
                eventId,
                receipt.duplicate() ? " before (a repeat)" : "",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        return WebResponse.empty(200);
    }

    private WebResponse refused(String eventId, Throwable failure) {
        Throwable t = failure;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof MessageIdConflictException) {
            LOG.warn("slack event {}: a different message was stored under the same channel and ts", eventId);
            return WebResponse.error(409, "message_id_conflict", t.getMessage()).withHeader("X-Slack-No-Retry", "1");
        }
        if (t instanceof IllegalArgumentException) {
            LOG.warn("slack event {} refused: {}", eventId, t.getMessage());
            return WebResponse.error(422, "rejected", t.getMessage()).withHeader("X-Slack-No-Retry", "1");
        }
        if (t instanceof OpenCxException ox && !ox.isRetriable()) {
            LOG.warn("slack event {} refused: {}", eventId, t.getMessage());
            return WebResponse.error(422, "rejected", t.getMessage()).withHeader("X-Slack-No-Retry", "1");
        }
        LOG.warn(
                "slack event {} could not be stored now ({}); answered 503 so that Slack retries",
                eventId,
                t.getClass().getSimpleName());
        return WebResponse.error(503, "unavailable", "the message could not be stored now; Slack will retry")
                .withHeader("Retry-After", "1");
    }

    private WebResponse tooSlow(String eventId) {
        LOG.warn(
                "slack event {} was not stored within {} ms; answered 503 so that Slack retries",
                eventId,
                channel.ackTimeout().toMillis());
        return WebResponse.error(503, "unavailable", "storing the message is taking too long; Slack will retry")
                .withHeader("Retry-After", "1");
    }

    private WebResponse ignored(String eventId, String what) {
        LOG.debug("slack event {} ignored: {}", eventId, what);
        return WebResponse.empty(200);
    }

    private WebResponse malformed(String reason) {
        LOG.warn("slack channel '{}' refused a malformed payload: {}", channel.id(), reason);
        return WebResponse.error(400, "invalid_payload", reason).withHeader("X-Slack-No-Retry", "1");
    }

    private static String withoutMention(String text, String bot) {
        if (bot.isEmpty() || !text.contains("<@" + bot)) {
            return text;
        }
        return text.replaceAll("\\s*<@" + Pattern.quote(bot) + "(?:\\|[^>]*)?>\\s*", " ");
    }

    private static List<Attachment> files(JsonNode files) {
        List<Attachment> out = new ArrayList<>();
        if (!files.isArray()) {
            return out;
        }
        for (JsonNode f : files) {
            String url = text(f, "url_private");
            if (!url.isEmpty()) {
                out.add(new Attachment(
                        url,
                        text(f, "mimetype"),
                        text(f, "name"),
                        f.path("size").asLong(-1)));
            }
        }
        return out;
    }

    private static String displayName(JsonNode profile) {
        for (String field : new String[] {"display_name", "real_name", "name"}) {
            String v = text(profile, field);
            if (!v.isBlank()) {
                return v;
            }
        }
        return "";
    }

    private static Instant instant(String ts) {
        int dot = ts.indexOf('.');
        String fraction = (ts.substring(dot + 1) + "000000000").substring(0, 9);
        return Instant.ofEpochSecond(Long.parseLong(ts.substring(0, dot)), Long.parseLong(fraction));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? v.asText() : "";
    }
}
