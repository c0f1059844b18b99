package dev.opencx.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * Slack's Web API as a MockWebServer: {@code chat.postMessage} and {@code auth.test} answer with
 * Slack's JSON ({@code {"ok":true,"channel":…,"ts":…,"message":{…}}}, {@code {"ok":false,"error":…}},
 * 429 with {@code Retry-After}); a wrong token gets {@code invalid_auth} as Slack answers it. Records
 * every message it accepted.
 */
final class FakeSlack implements AutoCloseable {
    static final String TOKEN = "xoxb-1234567890-0987654321-testTokenValue";
    static final String TEAM = "T0TEAM01";
    static final String BOT_USER = "U0BOTUSER";
    static final String BOT_ID = "B0BOTID01";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A message Slack accepted. */
    record Post(String channel, String threadTs, String text, String ts, String authorization, String contentType) {}

    private final MockWebServer server = new MockWebServer();
    private final List<Post> posts = new ArrayList<>();
    private final Deque<MockResponse> failures = new ArrayDeque<>();
    private final AtomicLong clock = new AtomicLong(1_760_000_000_000_100L);
    private volatile MockResponse authAnswer =
            ok("{\"ok\":true,\"url\":\"https://acme-support.slack.com/\",\"team\":\"Acme\","
                    + "\"user\":\"supportbot\",\"team_id\":\"" + TEAM + "\",\"user_id\":\"" + BOT_USER
                    + "\",\"bot_id\":\""
                    + BOT_ID + "\",\"is_enterprise_install\":false}");
    private int authCalls;
    private int oksBeforeFailures;

    FakeSlack() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The Web API base URL, as {@code SlackChannel.Builder.apiBaseUrl} takes it. */
    String baseUrl() {
        return server.url("/api").toString();
    }

    /** The next {@code n} chat.postMessage calls answer 429 with {@code Retry-After: 1}. */
    synchronized void rateLimitNext(int n) {
        for (int i = 0; i < n; i++) {
            failures.add(new MockResponse.Builder()
                    .code(429)
                    .addHeader("Retry-After", "1")
                    .addHeader("Content-Type", "application/json; charset=utf-8")
                    .body("{\"ok\":false,\"error\":\"ratelimited\"}")
                    .build());
        }
    }

    /** The scripted failures start after {@code n} more successful chat.postMessage calls. */
    synchronized void failuresAfter(int n) {
        oksBeforeFailures = n;
    }

    /** The next chat.postMessage call answers HTTP 200 with {@code {"ok":false,"error":code}}. */
    synchronized void failNextWith(String code) {
        failures.add(ok("{\"ok\":false,\"error\":\"" + code + "\"}"));
    }

    /** The next chat.postMessage call answers this status (a 5xx outage). */
    synchronized void failNextWithStatus(int status) {
        failures.add(new MockResponse.Builder()
                .code(status)
                .body("<html>upstream error</html>")
                .build());
    }

    /** auth.test answers {@code {"ok":false,"error":code}}. */
    void failAuthWith(String code) {
        authAnswer = ok("{\"ok\":false,\"error\":\"" + code + "\"}");
    }

    synchronized int authCalls() {
        return authCalls;
    }

    /** The messages Slack accepted, in order. */
    synchronized List<Post> posts() {
        return List.copyOf(posts);
    }

    /** Every request the fake received (accepted or refused). */
    int requestCount() {
        return server.getRequestCount();
    }

    private synchronized MockResponse answer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        String auth = request.getHeaders().get("Authorization");
        if (!("Bearer " + TOKEN).equals(auth)) {
            return ok("{\"ok\":false,\"error\":\"not_authed\"}");
        }
        if (path.equals("/api/auth.test")) {
            authCalls++;
            return authAnswer;
        }
        if (!path.equals("/api/chat.postMessage")) {
            return ok("{\"ok\":false,\"error\":\"unknown_method\"}");
        }
        if (!failures.isEmpty() && oksBeforeFailures == 0) {
            return failures.poll();
        }
        if (oksBeforeFailures > 0) {
            oksBeforeFailures--;
        }
        JsonNode body;
        try {
            body = JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            return ok("{\"ok\":false,\"error\":\"invalid_json\"}");
        }
        String channel = body.path("channel").asText("");
        String text = body.path("text").asText("");
        if (channel.isEmpty()) {
            return ok("{\"ok\":false,\"error\":\"channel_not_found\"}");
        }
        if (text.isEmpty()) {
            return ok("{\"ok\":false,\"error\":\"no_text\"}");
        }
        if (text.length() > 40_000) {
            return ok("{\"ok\":false,\"error\":\"msg_too_long\"}");
        }
        long micros = clock.addAndGet(100);
        String ts = (micros / 1_000_000) + "." + String.format("%06d", micros % 1_000_000);
        String threadTs = body.path("thread_ts").asText("");
        // a message posted to a user id lands in the app's DM with that user
        String conversation = channel.startsWith("U") ? "D" + channel.substring(1) : channel;
        posts.add(new Post(
                conversation, threadTs, text, ts, auth, request.getHeaders().get("Content-Type")));
        ObjectNode message = JSON.createObjectNode()
                .put("user", BOT_USER)
                .put("type", "message")
                .put("ts", ts)
                .put("bot_id", BOT_ID)
                .put("app_id", "A0APP0001")
                .put("text", text)
                .put("team", TEAM);
        if (!threadTs.isEmpty()) {
            message.put("thread_ts", threadTs).put("parent_user_id", "U0CUSTOMER");
        }
        ObjectNode answer = JSON.createObjectNode()
                .put("ok", true)
                .put("channel", conversation)
                .put("ts", ts);
        answer.set("message", message);
        return ok(answer.toString());
    }

    private static MockResponse ok(String json) {
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json; charset=utf-8")
                .body(json)
                .build();
    }

    @Override
    public void close() {
        server.close();
    }
}
