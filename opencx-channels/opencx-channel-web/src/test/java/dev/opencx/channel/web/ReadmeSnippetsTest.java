package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.opencx.OpenCx;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.webhook.EventStream;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The module README's Java snippets, compiled and run. */
class ReadmeSnippetsTest {

    @Test
    void quick_start_serves_the_widget_and_the_api() throws Exception {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(new KnowledgeDocument(
                "returns",
                "Returns",
                "You have 30 days to return any item.",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/returns",
                "en",
                "",
                Map.of()));
        // README: quick start
        WebChannel web = WebChannel.builder()
                .secret(System.getenv().getOrDefault("OPENCX_WIDGET_SECRET", "change-me-to-32-or-more-random-bytes!!"))
                .allowedOrigins("https://shop.example") // the sites that embed the widget
                .build();
        RestApiChannel api = RestApiChannel.builder()
                .apiKey(System.getenv().getOrDefault("OPENCX_API_KEY", "change-me-api-key-0123456789"))
                .build();
        try (OpenCx cx = OpenCx.builder()
                        .channel(web)
                        .channel(api)
                        .knowledge(knowledge)
                        .build();
                WebServer server = WebServer.builder()
                        .port(0) // 8080 by default; 0 picks a free port
                        .mount(web) // GET /widget.js, /widget/v1/*
                        .mount(api) // /api/v1/*
                        .build()
                        .start()) {
            System.out.println("<script src=\"" + server.uri().resolve("/widget.js") + "\" async></script>");
            // end README
            Rig.Resp script = new Probe(server.uri()).get("/widget.js");
            assertThat(script.status()).isEqualTo(200);
            assertThat(cx.session("none")).isEmpty();
        }
    }

    @Test
    void languages_snippet_overrides_one_text_and_brings_a_bundle() {
        // README: widget texts
        WebChannel web = WebChannel.builder()
                .texts("com.example.support.widget") // com/example/support/widget_de.properties, _it…
                .text("widget.input.placeholder", "de", "Ihre Frage…") // one key, one language
                .build();
        // end README
        // the texts are answered before the channel is registered with an OpenCx
        WebResponse de = web.handler()
                .handle(WebRequest.builder("GET", "/widget/v1/texts")
                        .query("lang=de")
                        .build());
        assertThat(de.status()).isEqualTo(200);
        String body = new String(de.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).contains("Ihre Frage…", "Northwind Kundendienst", "Senden");
    }

    @Test
    void identity_verification_snippet_computes_the_hash_the_server_accepts() {
        try (Rig rig = Rig.start()) {
            WebChannel web = rig.web;
            String userId = "user-42";
            // README: identity verification
            String userHash = web.userHash(userId); // = hex(HMAC-SHA256(secret, userId))
            String tag = "<script src=\"https://support.shop.example/widget.js\" async"
                    + " data-user-id=\"" + userId + "\""
                    + " data-user-hash=\"" + userHash + "\""
                    + " data-user-name=\"Ana Lima\"></script>";
            // end README
            assertThat(tag).contains(userHash);
            Rig.Resp ok = rig.postJson(
                    "/widget/v1/auth", "{\"userId\":\"" + userId + "\",\"userHash\":\"" + userHash + "\"}");
            assertThat(ok.status()).isEqualTo(200);
        }
    }

    @Test
    void the_endpoints_mount_in_the_jdk_http_server() throws Exception {
        try (Rig rig = Rig.start()) {
            WebChannel web = rig.web;
            RestApiChannel api = rig.api;
            // README: mount in your own server
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/widget", exchange -> serve(exchange, "", web.handler())); // /widget.js, /widget/v1/*
            server.createContext("/api/", exchange -> serve(exchange, "/api", api.handler())); // /api/v1/*
            server.start();
            // end README
            try {
                Probe probe = new Probe(
                        URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
                assertThat(probe.get("/widget.js").body()).startsWith("/*! OpenCX chat widget");
                String token = probe.postJson("/widget/v1/auth", "{}")
                        .json()
                        .get("token")
                        .asText();
                String id = probe.postJson("/widget/v1/sessions", "{}", "Authorization", "Bearer " + token)
                        .json()
                        .get("id")
                        .asText();
                try (SseClient stream = SseClient.open(
                        probe.http,
                        probe.base.resolve("/widget/v1/sessions/" + id + "/events?access_token=" + token))) {
                    assertThat(stream.status).isEqualTo(200);
                    probe.postJson(
                            "/widget/v1/sessions/" + id + "/messages",
                            "{\"text\":\"when do refunds reach my card\"}",
                            "Authorization",
                            "Bearer " + token);
                    List<SseClient.Event> got = stream.until(e -> e.data().contains("five business days"), Rig.WAIT);
                    assertThat(got.get(0).data()).contains("when do refunds reach my card");
                }
                assertThat(probe.get("/api/v1/sessions/" + id).status()).isEqualTo(401);
            } finally {
                server.stop(0);
            }
        }
    }

    @Test
    void behind_a_reverse_proxy_the_per_address_cap_is_raised() {
        try (Rig rig = Rig.start()) {
            WebChannel web = rig.web;
            int port = 0;
            // README: behind a reverse proxy
            WebServer server = WebServer.builder()
                    .port(port)
                    .headerTimeout(Duration.ofSeconds(10)) // a request head must arrive within 10 s
                    .bodyTimeout(Duration.ofSeconds(30)) // a body within 30 s, else 408
                    .maxConnections(10_000)
                    .maxConnectionsPerAddress(10_000) // every client is the proxy
                    .mount(web)
                    .build()
                    .start();
            // end README
            try (server) {
                assertThat(new Probe(server.uri()).get("/widget.js").status()).isEqualTo(200);
            }
        }
    }

    @Test
    void a_webhook_mounts_next_to_the_widget() {
        try (Rig rig = Rig.start()) {
            WebChannel web = rig.web;
            int port = 0;
            // README: mount a webhook
            WebServer server = WebServer.builder()
                    .port(port)
                    .mount(web)
                    .webhook("shop", request -> WebResponse.empty(204)) // = mount("/webhooks/shop", ...)
                    .build()
                    .start();
            // end README
            try (server) {
                Probe probe = new Probe(server.uri());
                assertThat(probe.postJson("/webhooks/shop/orders", "{}").status())
                        .isEqualTo(204);
                assertThat(probe.get("/widget.js").status()).isEqualTo(200);
            }
        }
    }

    /** A stand-in for an application's asynchronous lookup. */
    static final class Orders {
        java.util.concurrent.CompletableFuture<String> find(String path) {
            return java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> "{\"order\":\"" + path.substring(1) + "\"}",
                    java.util.concurrent.CompletableFuture.delayedExecutor(
                            50, java.util.concurrent.TimeUnit.MILLISECONDS));
        }
    }

    @Test
    void a_deferred_answer_is_served_when_it_comes() {
        Orders orders = new Orders();
        // README: answers that come later
        WebhookHandler lookup = request ->
                WebResponse.later(orders.find(request.path()) // a CompletionStage, completed on another thread
                        .thenApply(order -> WebResponse.json(200, order)));
        // end README
        try (WebServer server =
                WebServer.builder().port(0).mount("/orders", lookup).build().start()) {
            Rig.Resp r = new Probe(server.uri()).get("/orders/A-17");
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("{\"order\":\"A-17\"}");
        }
    }

    // README: mount in your own server (the adapter)
    /** Hands one JDK HttpServer exchange to a WebhookHandler; {@code strip} is the mount prefix to remove. */
    static void serve(HttpExchange exchange, String strip, WebhookHandler handler) throws IOException {
        URI uri = exchange.getRequestURI();
        WebRequest.Builder request = WebRequest.builder(
                        exchange.getRequestMethod(), uri.getRawPath().substring(strip.length()))
                .query(uri.getRawQuery())
                .remoteAddress(exchange.getRemoteAddress().getAddress().getHostAddress())
                .body(exchange.getRequestBody().readNBytes(1 << 20));
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(v -> request.header(name, v)));
        // a deferred answer (WebResponse.later) is waited for here, on this thread: at most 30 s, then 503
        WebResponse response = handler.handle(request.build()).await(Duration.ofSeconds(30));
        response.headers().forEach(h -> exchange.getResponseHeaders().add(h.getKey(), h.getValue()));
        if (response.isEventStream()) { // server-sent events: keep the exchange open
            exchange.sendResponseHeaders(200, 0);
            response.openEventStream(EventStream.blocking(exchange.getResponseBody(), exchange::close));
        } else {
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }
    }
    // end README

    /** A tiny HTTP helper against any base URI. */
    static final class Probe {
        final URI base;
        final HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Probe(URI base) {
            this.base = base;
        }

        Rig.Resp get(String path, String... headers) {
            return send(java.net.http.HttpRequest.newBuilder(base.resolve(path)).GET(), headers);
        }

        Rig.Resp postJson(String path, String body, String... headers) {
            java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(base.resolve(path))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
            return send(b, headers);
        }

        private Rig.Resp send(java.net.http.HttpRequest.Builder b, String... headers) {
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            try {
                var r = http.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                return new Rig.Resp(r.statusCode(), r.headers().map(), r.body());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
