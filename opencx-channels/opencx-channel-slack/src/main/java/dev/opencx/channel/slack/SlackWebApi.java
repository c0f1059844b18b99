package dev.opencx.channel.slack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCxException;
import dev.opencx.connect.ProviderHttp;
import dev.opencx.connect.RetryAfter;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * The two Web API methods the channel calls, {@code chat.postMessage} and {@code auth.test}: JSON
 * bodies with the bot token as a Bearer header. HTTP failures are mapped by {@link ProviderHttp}
 * (429 with {@code Retry-After}, 5xx: retriable); an HTTP 200 with {@code "ok": false} becomes a
 * {@link SlackApiException}.
 */
final class SlackWebApi implements AutoCloseable {
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpUrl base;
    private final String token;
    private final ProviderHttp http;
    private final Clock clock;

    SlackWebApi(HttpUrl base, String token, OkHttpClient client, Clock clock) {
        this.base = base;
        this.token = token;
        this.clock = clock;
        ProviderHttp.Builder b = ProviderHttp.builder("slack")
                .errorCode(body -> ProviderHttp.jsonField(body, "/error").orElse(""))
                .clock(clock)
                .maxRetryAfter(Duration.ofMinutes(15));
        if (client != null) {
            b.client(client);
        }
        this.http = b.build();
    }

    /** Where a message went. */
    record Posted(String channel, String ts) {}

    /** Who the token belongs to. */
    record Auth(String userId, String teamId, String botId) {}

    /**
     * Posts one message.
     *
     * @param threadTs the thread's root ts, or empty for the top level of the conversation
     */
    Posted postMessage(String channel, String threadTs, String text) {
        ObjectNode body = JSON.createObjectNode();
        body.put("channel", channel);
        body.put("text", text);
        if (!threadTs.isEmpty()) {
            body.put("thread_ts", threadTs);
        }
        JsonNode answer = call("chat.postMessage", body);
        return new Posted(
                answer.path("channel").asText(channel), answer.path("ts").asText(""));
    }

    /** {@code auth.test}: the bot user's id and its workspace. */
    Auth authTest() {
        JsonNode answer = call("auth.test", JSON.createObjectNode());
        return new Auth(
                answer.path("user_id").asText(""),
                answer.path("team_id").asText(""),
                answer.path("bot_id").asText(""));
    }

    private JsonNode call(String method, ObjectNode body) {
        Request request = new Request.Builder()
                .url(base.newBuilder().addPathSegment(method).build())
                .header("Authorization", "Bearer " + token)
                .post(RequestBody.create(body.toString(), JSON_TYPE))
                .build();
        ProviderHttp.Reply reply = http.execute(request);
        JsonNode answer;
        try {
            answer = JSON.readTree(reply.body());
        } catch (IOException e) {
            answer = null;
        }
        if (answer == null || !answer.isObject() || !answer.path("ok").isBoolean()) {
            // Slack may or may not have acted on it: try again (a duplicate beats a lost reply)
            throw OpenCxException.retriable(
                    "slack " + method + " answered " + reply.status() + " with a body that is not a Web API answer",
                    null);
        }
        if (!answer.path("ok").asBoolean()) {
            String error = answer.path("error").asText("");
            Duration after =
                    RetryAfter.parse(reply.headers().get("Retry-After"), clock).orElse(null);
            throw new SlackApiException(method, error.isBlank() ? "unknown" : error, after);
        }
        return answer;
    }

    @Override
    public void close() {
        http.close();
    }
}
