package dev.opencx.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCx;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.http.WebServer;
import dev.opencx.responder.Responder;
import dev.opencx.store.SessionQuery;
import dev.opencx.test.RecordingHelpdesk;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A running OpenCX with a {@link SlackChannel} behind the real embedded server, Slack's Web API
 * faked by {@link FakeSlack}, and Slack's side of the Events API: payloads shaped as Slack sends
 * them, signed with the v0 algorithm over the exact bytes sent.
 */
final class SlackRig implements AutoCloseable {
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String SUPPORT = "C0SUPPORT1";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    final FakeSlack slack = new FakeSlack();
    final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    final SlackChannel channel;
    final OpenCx cx;
    final WebServer server;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private long nextTs = Instant.now().getEpochSecond() * 1_000_000L;

    private SlackRig(
            Responder responder,
            UnaryOperator<SlackChannel.Builder> channelConfig,
            UnaryOperator<OpenCx.Builder> cxConfig) {
        this.channel = channelConfig
                .apply(SlackChannel.builder()
                        .botToken(FakeSlack.TOKEN)
                        .signingSecret(SECRET)
                        .botUserId(FakeSlack.BOT_USER)
                        .supportChannel(SUPPORT)
                        .directMessages(true)
                        .apiBaseUrl(slack.baseUrl()))
                .build();
        this.cx = cxConfig.apply(OpenCx.builder()
                        .channel(channel)
                        .helpdesk(helpdesk)
                        .responder(responder)
                        .outboxRetries(8, Duration.ofMillis(20), Duration.ofMillis(300)))
                .build();
        this.server = WebServer.builder().port(0).mount(channel).build().start();
    }

    static SlackRig start(Responder responder) {
        return new SlackRig(responder, b -> b, b -> b);
    }

    static SlackRig start(Responder responder, UnaryOperator<SlackChannel.Builder> channelConfig) {
        return new SlackRig(responder, channelConfig, b -> b);
    }

    static SlackRig start(
            Responder responder, UnaryOperator<SlackChannel.Builder> channelConfig, UnaryOperator<OpenCx.Builder> cx) {
        return new SlackRig(responder, channelConfig, cx);
    }

    /** A fresh message ts, later than the previous one: {@code 1760000000.000100}. */
    synchronized String ts() {
        nextTs += 1000;
        return (nextTs / 1_000_000) + "." + String.format("%06d", nextTs % 1_000_000);
    }

    /**
     * An {@code event_callback} with a {@code message} event, as Slack sends it for
     * message.channels / message.im.
     *
     * @param threadTs the thread's root, or null for a top-level message
     */
    static String message(
            String user, String conversation, String channelType, String ts, String threadTs, String text) {
        ObjectNode event = JSON.createObjectNode()
                .put(
                        "client_msg_id",
                        "5c2a4e0e-6f5b-4d3c-9a77-" + ts.replace(".", "").substring(4))
                .put("type", "message")
                .put("text", text)
                .put("user", user)
                .put("ts", ts)
                .put("team", FakeSlack.TEAM)
                .put("channel", conversation)
                .put("event_ts", ts)
                .put("channel_type", channelType);
        event.putArray("blocks").addObject().put("type", "rich_text").put("block_id", "Bq9Q");
        if (threadTs != null) {
            event.put("thread_ts", threadTs).put("parent_user_id", user);
        }
        return callback(event, "Ev" + ts.replace(".", ""));
    }

    /** The Events API envelope around {@code event}. */
    static String callback(ObjectNode event, String eventId) {
        ObjectNode root = JSON.createObjectNode()
                .put("token", "ZZZZZZWSxiZZZ2yIvs3peJ")
                .put("team_id", FakeSlack.TEAM)
                .put("context_team_id", FakeSlack.TEAM)
                .put("api_app_id", "A0APP0001");
        root.set("event", event);
        root.put("type", "event_callback").put("event_id", eventId).put("event_time", 1_760_000_000L);
        root.putArray("authorizations")
                .addObject()
                .put("enterprise_id", (String) null)
                .put("team_id", FakeSlack.TEAM)
                .put("user_id", FakeSlack.BOT_USER)
                .put("is_bot", true)
                .put("is_enterprise_install", false);
        root.put("is_ext_shared_channel", false).put("event_context", "4-eyJldCI6Im1lc3NhZ2UifQ");
        return root.toString();
    }

    /** A person's top-level message in the support channel. */
    String inSupport(String user, String ts, String text) {
        return message(user, SUPPORT, "channel", ts, null, text);
    }

    /** The identity of a Slack user of the test workspace. */
    static Identity identity(String user) {
        return Identity.custom("slack:" + FakeSlack.TEAM + ":" + user);
    }

    /** POSTs {@code body} as Slack does: signed now with the app's secret. */
    Resp deliver(String body, String... headers) {
        return deliverAt(Instant.now().getEpochSecond(), SECRET, body, headers);
    }

    /** POSTs {@code body} signed with {@code secret} and dated {@code epochSecond}. */
    Resp deliverAt(long epochSecond, String secret, String body, String... headers) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(epochSecond);
        String[] all = new String[headers.length + 6];
        all[0] = "Content-Type";
        all[1] = "application/json";
        all[2] = "X-Slack-Request-Timestamp";
        all[3] = ts;
        all[4] = "X-Slack-Signature";
        all[5] = SlackSignature.sign(secret, ts, bytes);
        System.arraycopy(headers, 0, all, 6, headers.length);
        return post(bytes, all);
    }

    /** POSTs raw bytes with exactly these headers. */
    Resp post(byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create(server.uri() + channel.mountPath().substring(1)))
                .timeout(WAIT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A request without a body or signature, to any path. */
    Resp send(String method, String path) {
        HttpRequest r = HttpRequest.newBuilder(server.uri().resolve(path))
                .timeout(WAIT)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        try {
            HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(a.statusCode(), a.headers().map(), a.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Session> sessions() {
        return cx.store().sessions(SessionQuery.inStates(SessionState.values()));
    }

    List<Session> sessionsOf(String user) {
        return cx.store()
                .findContact(identity(user))
                .map(Contact::id)
                .map(id -> cx.store().sessionsOfContact(id))
                .orElse(List.of());
    }

    List<String> received(Session s) {
        return cx.events(s.id()).stream()
                .map(SessionEvent::payload)
                .filter(MessageReceived.class::isInstance)
                .map(p -> ((MessageReceived) p).message().text())
                .toList();
    }

    /** The texts Slack accepted, in order. */
    List<String> postedTexts() {
        return slack.posts().stream().map(FakeSlack.Post::text).toList();
    }

    @Override
    public void close() {
        server.close();
        cx.close();
        channel.close();
        slack.close();
    }

    record Resp(int status, Map<String, List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }
}
