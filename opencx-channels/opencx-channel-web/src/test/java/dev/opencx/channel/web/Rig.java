package dev.opencx.channel.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCx;
import dev.opencx.conversation.SessionState;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.SessionQuery;
import dev.opencx.test.RecordingHelpdesk;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A running OpenCX with the web and REST API channels behind a real embedded server on a free
 * port, a two-article knowledge set with links (the embedded responder answers from it), and a
 * recording helpdesk whose listener plays the agent.
 */
final class Rig implements AutoCloseable {
    static final String SECRET = "test-widget-secret-0123456789abcdef";
    static final String API_KEY = "test-api-key-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(10);
    static final ObjectMapper JSON = new ObjectMapper();

    final ConversationStore store;
    final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    final WebChannel web;
    final RestApiChannel api;
    final OpenCx cx;
    private final Map<String, WebhookHandler> extraMounts = new java.util.LinkedHashMap<>();
    private UnaryOperator<WebServer.Builder> serverConfig = b -> b;
    volatile WebServer server;
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private Rig(ConversationStore store, UnaryOperator<WebChannel.Builder> webConfig, int port) {
        this(store, webConfig, UnaryOperator.identity(), port);
    }

    private Rig(
            ConversationStore store,
            UnaryOperator<WebChannel.Builder> webConfig,
            UnaryOperator<OpenCx.Builder> cxConfig,
            int port) {
        this.store = store;
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(new KnowledgeDocument(
                "returns",
                "Returns and refunds",
                "Refunds reach your card within five business days after we receive the item.",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/returns",
                "en",
                "",
                Map.of()));
        knowledge.upsert(new KnowledgeDocument(
                "shipping",
                "Shipping to Canada",
                "We ship to Canada with tracked delivery in 7 to 10 days.",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/shipping",
                "en",
                "",
                Map.of()));
        knowledge.upsert(new KnowledgeDocument(
                "gift-cards",
                "Gift cards",
                "Gift cards never expire. <img src=x onerror=\"window.__xss=7\"> [Terms](javascript:window.__xss=8)",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/gift-cards",
                "en",
                "",
                Map.of()));
        this.web = webConfig
                .apply(WebChannel.builder()
                        .secret(SECRET)
                        .allowedOrigins("https://shop.example")
                        .heartbeat(Duration.ofMillis(500))
                        .reconnectDelay(Duration.ofMillis(300)))
                .build();
        this.api = RestApiChannel.builder()
                .apiKey(API_KEY)
                .heartbeat(Duration.ofMillis(500))
                .build();
        this.cx = cxConfig.apply(OpenCx.builder()
                        .store(store)
                        .channel(web)
                        .channel(api)
                        .helpdesk(helpdesk)
                        .knowledge(knowledge)
                        .confidenceModel(new EmbeddedResponder.ConfidenceModel(20, 0, 0, 0, 0)))
                .build();
        this.server = newServer(port);
    }

    private WebServer newServer(int p) {
        WebServer.Builder b =
                serverConfig.apply(WebServer.builder().port(p).mount(web).mount(api));
        extraMounts.forEach(b::mount);
        return b.build().start();
    }

    /** Serves one more handler (the server restarts on the same port). */
    Rig mount(String prefix, WebhookHandler handler) {
        extraMounts.put(prefix, handler);
        int p = server.port();
        server.close();
        server = newServer(p);
        return this;
    }

    /** Serves again with the server's builder changed by {@code config} (timeouts, caps). */
    Rig serving(UnaryOperator<WebServer.Builder> config) {
        serverConfig = config;
        int p = server.port();
        server.close();
        server = newServer(p);
        return this;
    }

    /** Stops the HTTP server (every connection drops); the client and channels keep running. */
    int stopServer() {
        int p = server.port();
        server.close();
        return p;
    }

    /** Serves again on the same port. */
    void startServer(int p) {
        server = newServer(p);
    }

    static Rig start() {
        return new Rig(new InMemoryConversationStore(Clock.systemUTC()), b -> b, 0);
    }

    static Rig start(UnaryOperator<WebChannel.Builder> webConfig) {
        return new Rig(new InMemoryConversationStore(Clock.systemUTC()), webConfig, 0);
    }

    /** A rig whose client is configured further (PII redaction, limits). */
    static Rig withClient(UnaryOperator<OpenCx.Builder> cxConfig) {
        return new Rig(new InMemoryConversationStore(Clock.systemUTC()), b -> b, cxConfig, 0);
    }

    static Rig start(ConversationStore store, int port) {
        return new Rig(store, b -> b, port);
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    int sessionCount() {
        return store.sessions(SessionQuery.inStates(SessionState.values())).size();
    }

    Resp get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    Resp post(String path, String body, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body)), headers);
    }

    /** POST with {@code Content-Type: application/json}. */
    Resp postJson(String path, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "Content-Type";
        all[1] = "application/json";
        System.arraycopy(headers, 0, all, 2, headers.length);
        return post(path, body, all);
    }

    Resp send(HttpRequest.Builder b, String... headers) {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r =
                    http.send(b.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens an event stream. */
    SseClient sse(String path, String... headers) {
        return SseClient.open(http, uri(path), headers);
    }

    /** A widget token for a new anonymous visitor. */
    String visitor() {
        Resp r = postJson("/widget/v1/auth", "{}");
        return r.json().get("token").asText();
    }

    /** Opens (or finds) the visitor's session and returns its id. */
    String session(String token) {
        return postJson("/widget/v1/sessions", "{}", "Authorization", "Bearer " + token)
                .json()
                .get("id")
                .asText();
    }

    /** A REST session for an e-mail contact. */
    String apiSession(String email) {
        return postJson(
                        "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"" + email + "\"}}",
                        "Authorization",
                        "Bearer " + API_KEY)
                .json()
                .get("id")
                .asText();
    }

    @Override
    public void close() {
        server.close();
        cx.close();
    }

    record Resp(int status, Map<String, java.util.List<String>> headers, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        String header(String name) {
            for (Map.Entry<String, java.util.List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String errorCode() {
            return json().path("error").path("code").asText();
        }
    }
}
