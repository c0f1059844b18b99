package dev.opencx.channel.whatsapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * The Graph API as MockWebServer plays it: {@code POST /v21.0/{phone-number-id}/messages} answers
 * what Meta answers ({@code {"messaging_product":"whatsapp","contacts":[{"input","wa_id"}],
 * "messages":[{"id":"wamid…"}]}}) unless a scripted answer (an error) is queued first. Every request
 * is recorded; {@link #accepted()} are the messages it accepted, in order.
 */
final class GraphFake extends Dispatcher {
    static final ObjectMapper JSON = new ObjectMapper();

    /** A request the fake received. */
    record Call(String method, String path, String authorization, JsonNode body, int answered, Instant at) {
        String to() {
            return body.path("to").asText();
        }

        String type() {
            return body.path("type").asText();
        }

        String text() {
            return body.path("text").path("body").asText();
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Deque<MockResponse> scripted = new ArrayDeque<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<String, byte[]> media = new ConcurrentHashMap<>();
    private volatile okhttp3.HttpUrl base;

    /** Where the fake runs, for the media URLs it hands out. */
    void base(okhttp3.HttpUrl url) {
        this.base = url;
    }

    /** A media file customers sent, served as Meta serves it (info, then the bytes behind a URL). */
    void media(String mediaId, byte[] bytes) {
        media.put(mediaId, bytes);
    }

    /** Answers the next sends with these responses, in order. */
    synchronized void failNext(MockResponse... responses) {
        scripted.addAll(List.of(responses));
    }

    static MockResponse metaError(int http, int code, String type, String message) {
        return new MockResponse.Builder()
                .code(http)
                .addHeader("Content-Type", "application/json; charset=UTF-8")
                .body("{\"error\":{\"message\":\"(#" + code + ") " + message + "\",\"type\":\"" + type + "\",\"code\":"
                        + code + ",\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"" + message
                        + " for +16315551181\"},\"fbtrace_id\":\"A7mBLk2qT9X\"}}")
                .build();
    }

    static MockResponse tooManyRequests(int retryAfterSeconds) {
        return new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", Integer.toString(retryAfterSeconds))
                .addHeader("Content-Type", "application/json; charset=UTF-8")
                .body(
                        "{\"error\":{\"message\":\"(#130429) Rate limit hit\",\"type\":\"OAuthException\",\"code\":130429,"
                                + "\"error_data\":{\"messaging_product\":\"whatsapp\",\"details\":\"Cloud API message throughput"
                                + " has been reached.\"},\"fbtrace_id\":\"Az8or2yhqkZfEZ-_4Qn_Bam\"}}")
                .build();
    }

    static MockResponse serverError() {
        return new MockResponse.Builder()
                .code(500)
                .addHeader("Content-Type", "application/json; charset=UTF-8")
                .body(
                        "{\"error\":{\"message\":\"An unknown error has occurred.\",\"type\":\"OAuthException\",\"code\":1,"
                                + "\"fbtrace_id\":\"AbCdEf\"}}")
                .build();
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
        JsonNode body;
        try {
            body = request.getBody() == null || request.getBody().size() == 0
                    ? JSON.createObjectNode()
                    : JSON.readTree(request.getBody().utf8());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        MockResponse answer = request.getMethod().equals("GET") ? mediaAnswer(request) : null;
        if (answer == null) {
            synchronized (this) {
                answer = scripted.poll();
            }
        }
        if (answer == null) {
            String to = body.path("to").asText();
            String waId = to.startsWith("+") ? to.substring(1) : to;
            answer = new MockResponse.Builder()
                    .code(200)
                    .addHeader("Content-Type", "application/json; charset=UTF-8")
                    .body("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + to + "\",\"wa_id\":\""
                            + waId + "\"}],\"messages\":[{\"id\":\"wamid.HBgLMTYzMTU1NTExODEVAgARGBI"
                            + ids.incrementAndGet()
                            + "\"}]}")
                    .build();
        }
        calls.add(new Call(
                request.getMethod(),
                request.getUrl().encodedPath(),
                request.getHeaders().get("Authorization"),
                body,
                answer.getCode(),
                Instant.now()));
        return answer;
    }

    private MockResponse mediaAnswer(RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        boolean authorized =
                ("Bearer " + Rig.ACCESS_TOKEN).equals(request.getHeaders().get("Authorization"));
        if (!authorized) {
            return metaError(401, 190, "OAuthException", "Invalid OAuth access token");
        }
        if (path.startsWith("/whatsapp_business/attachments/")) {
            byte[] bytes = media.get(request.getUrl().queryParameter("mid"));
            return bytes == null
                    ? new MockResponse.Builder().code(404).build()
                    : new MockResponse.Builder()
                            .code(200)
                            .addHeader("Content-Type", "image/jpeg")
                            .body(new okio.Buffer().write(bytes))
                            .build();
        }
        String id = path.substring(path.lastIndexOf('/') + 1);
        byte[] bytes = media.get(id);
        if (bytes == null) {
            return metaError(400, 100, "OAuthException", "Unsupported get request. Object with ID does not exist");
        }
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json; charset=UTF-8")
                .body("{\"messaging_product\":\"whatsapp\",\"url\":\""
                        + base.resolve("/whatsapp_business/attachments/?mid=" + id + "&ext=1700000000&hash=ATt0")
                        + "\",\"mime_type\":\"image/jpeg\",\"sha256\":\"abc\",\"file_size\":"
                        + bytes.length + ",\"id\":\"" + id + "\"}")
                .build();
    }

    /** Every request, in order. */
    List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The messages the fake accepted (answered 200), in order. */
    List<Call> accepted() {
        return calls.stream()
                .filter(c -> c.method().equals("POST") && c.answered() == 200)
                .toList();
    }

    /** The last id handed out ({@code wamid.…N}). */
    String lastWamid() {
        return "wamid.HBgLMTYzMTU1NTExODEVAgARGBI" + ids.get();
    }
}
