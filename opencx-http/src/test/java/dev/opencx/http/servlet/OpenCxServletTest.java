package dev.opencx.http.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.opencx.http.testing.RawHttp;
import dev.opencx.webhook.EventStream;
import dev.opencx.webhook.ServerSentEvent;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The servlet adapter on a real servlet container (Jetty 12's ee10 servlet environment), under a
 * context path: what the handler sees, what the client gets back, errors in JSON, deferred answers
 * and event streams in async mode, and {@link OpenCxServlet#drain()}.
 */
class OpenCxServletTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private Server jetty;
    private int port;

    /** Serves {@code servlet} at {@code /shop} (the context path) under {@code mapping}. */
    private void serve(OpenCxServlet servlet, int maxThreads, String... mappings) throws Exception {
        QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(4, maxThreads));
        pool.setDaemon(true);
        jetty = new Server(pool);
        ServerConnector connector = new ServerConnector(jetty, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/shop");
        ServletHolder holder = new ServletHolder("opencx", servlet);
        holder.setAsyncSupported(true);
        for (String m : mappings) {
            context.addServlet(holder, m);
        }
        jetty.setHandler(context);
        jetty.start();
        port = connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    private HttpResponse<String> send(String path, UnaryOperator<HttpRequest.Builder> config) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(WAIT);
        return http.send(config.apply(b).build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(path, b -> b.GET());
    }

    @Test
    void the_handler_sees_the_path_below_the_mount_the_query_headers_raw_body_and_address() throws Exception {
        AtomicReference<WebRequest> seen = new AtomicReference<>();
        WebhookHandler echo = request -> {
            seen.set(request);
            return WebResponse.json(201, "{\"ok\":true}")
                    .withHeader("X-Echo", request.header("X-Sig").orElse(""));
        };
        serve(OpenCxServlet.builder(echo).mountPath("/webhooks/shop").build(), 16, "/webhooks/shop/*");
        byte[] body = {'{', '"', 'a', '"', ':', 1 + '0', '}', (byte) 0xC3, (byte) 0xA9};

        HttpResponse<String> r = send(
                "/shop/webhooks/shop/orders/7%20b?x=1&y=%20b&y=2",
                b -> b.POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .header("X-Sig", "sha256=abc")
                        .header("Content-Type", "application/json; charset=utf-8"));

        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(r.headers().firstValue("X-Echo")).contains("sha256=abc");
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));
        assertThat(r.body()).isEqualTo("{\"ok\":true}");
        WebRequest w = seen.get();
        assertThat(w.method()).isEqualTo("POST");
        assertThat(w.path()).as("below the context path and the mount, as sent").isEqualTo("/orders/7%20b");
        assertThat(w.rawQuery()).isEqualTo("x=1&y=%20b&y=2");
        assertThat(w.queryParams().get("y")).containsExactly(" b", "2");
        assertThat(w.body()).isEqualTo(body);
        assertThat(w.mediaType()).isEqualTo("application/json");
        assertThat(w.remoteAddress()).isEqualTo("127.0.0.1");

        assertThat(get("/shop/webhooks/shop").statusCode()).isEqualTo(201);
        assertThat(seen.get().path()).isEqualTo("/");
        assertThat(seen.get().bodyLength()).isZero();
    }

    @Test
    void a_root_handler_mapped_to_a_few_paths_sees_them_whole() throws Exception {
        AtomicReference<String> path = new AtomicReference<>();
        serve(
                OpenCxServlet.builder(request -> {
                            path.set(request.path());
                            return WebResponse.text(200, "script");
                        })
                        .build(),
                16,
                "/widget.js",
                "/widget/*");
        assertThat(get("/shop/widget.js").body()).isEqualTo("script");
        assertThat(path.get()).isEqualTo("/widget.js");
        get("/shop/widget/v1/sessions");
        assertThat(path.get()).isEqualTo("/widget/v1/sessions");
    }

    @Test
    void errors_are_json_a_too_large_body_gets_413_and_a_failing_handler_500_without_details() throws Exception {
        serve(
                OpenCxServlet.builder(request -> {
                            if (request.path().equals("/boom")) {
                                throw new IllegalStateException("secret detail");
                            }
                            return WebResponse.text(200, "got " + request.bodyLength());
                        })
                        .mountPath("/api")
                        .maxRequestBytes(2048)
                        .build(),
                16,
                "/api/*");

        HttpResponse<String> fits =
                send("/shop/api/x", b -> b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2048])));
        assertThat(fits.body()).isEqualTo("got 2048");

        HttpResponse<String> declared =
                send("/shop/api/x", b -> b.POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2049])));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.body()).contains("\"code\":\"payload_too_large\"").contains("2048 bytes");

        // no Content-Length (chunked): refused once the limit is passed
        HttpResponse<String> chunked = send(
                "/shop/api/x",
                b -> b.POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(new byte[5000]))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/json"));

        HttpResponse<String> boom = get("/shop/api/boom");
        assertThat(boom.statusCode()).isEqualTo(500);
        assertThat(boom.body())
                .isEqualTo(
                        "{\"error\":{\"code\":\"internal_error\",\"message\":\"the server failed to handle the request\"}}");

        assertThatThrownBy(
                        () -> OpenCxServlet.builder(r -> WebResponse.empty(204)).mountPath("/api/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'/api/'");
        assertThatThrownBy(
                        () -> OpenCxServlet.builder(r -> WebResponse.empty(204)).maxRequestBytes(10))
                .hasMessageContaining("was 10");
    }

    @Test
    void thirty_deferred_answers_wait_on_a_ten_thread_container_without_holding_its_threads() throws Exception {
        int pending = 30;
        Map<String, CompletableFuture<WebResponse>> answers = new ConcurrentHashMap<>();
        CountDownLatch arrived = new CountDownLatch(pending);
        serve(
                OpenCxServlet.builder(request -> {
                            CompletableFuture<WebResponse> answer = new CompletableFuture<>();
                            answers.put(request.path(), answer);
                            arrived.countDown();
                            return WebResponse.later(answer).withHeader("X-Decorated", "yes");
                        })
                        .build(),
                10,
                "/*");
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < pending; i++) {
            responses.add(http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shop/q" + i))
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        assertThat(arrived.await(20, TimeUnit.SECONDS))
                .as("every request reached the handler while the others waited")
                .isTrue();
        answers.forEach((path, answer) -> answer.complete(WebResponse.text(200, "answer for " + path)));
        for (int i = 0; i < pending; i++) {
            HttpResponse<String> r = responses.get(i).get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("answer for /q" + i);
            assertThat(r.headers().firstValue("X-Decorated")).contains("yes");
        }
    }

    @Test
    void a_deferred_answer_that_does_not_come_in_time_gets_503_with_retry_after() throws Exception {
        serve(
                OpenCxServlet.builder(request -> WebResponse.later(new CompletableFuture<>()))
                        .deferredTimeout(Duration.ofSeconds(1))
                        .build(),
                16,
                "/*");
        long start = System.nanoTime();
        HttpResponse<String> r = get("/shop/slow");
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.headers().firstValue("Retry-After")).contains("5");
        assertThat(r.body()).contains("\"code\":\"unavailable\"");
        assertThat(millis).isBetween(900L, 8_000L);
    }

    @Test
    void an_event_stream_delivers_each_event_as_it_is_sent_and_ends_when_the_handler_closes_it() throws Exception {
        AtomicReference<EventStream> open = new AtomicReference<>();
        CountDownLatch closed = new CountDownLatch(1);
        OpenCxServlet servlet = OpenCxServlet.builder(request -> WebResponse.eventStream(s -> {
                    s.onClose(closed::countDown);
                    open.set(s);
                }))
                .build();
        serve(servlet, 16, "/*");
        try (RawHttp client = RawHttp.connect(port)) {
            client.write("GET /shop/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n");
            String head = client.readUntil(": ok\n\n", WAIT);
            assertThat(head).startsWith("HTTP/1.1 200").containsIgnoringCase("content-type: text/event-stream");
            await().atMost(WAIT).until(() -> open.get() != null);
            assertThat(servlet.openStreams()).isEqualTo(1);

            for (int i = 1; i <= 3; i++) {
                assertThat(open.get().send(ServerSentEvent.of(String.valueOf(i), "message", "hello " + i)))
                        .isTrue();
                assertThat(client.readUntil("data: hello " + i + "\n\n", WAIT))
                        .as("event %s arrives without waiting for the next", i)
                        .contains("id: " + i);
            }
            assertThat(open.get().comment("beat")).isTrue();
            client.readUntil(": beat\n\n", WAIT);

            open.get().close();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            client.readUntil("0\r\n\r\n", WAIT); // the chunked body ends
            assertThat(open.get().isOpen()).isFalse();
            assertThat(open.get().send(ServerSentEvent.of("9", "message", "late")))
                    .isFalse();
            await().atMost(WAIT).until(() -> servlet.openStreams() == 0);
        }
    }

    @Test
    void a_deferred_answer_may_be_an_event_stream() throws Exception {
        CompletableFuture<WebResponse> later = new CompletableFuture<>();
        AtomicReference<EventStream> open = new AtomicReference<>();
        OpenCxServlet servlet =
                OpenCxServlet.builder(request -> WebResponse.later(later)).build();
        serve(servlet, 16, "/*");
        try (RawHttp client = RawHttp.connect(port)) {
            client.write("GET /shop/events HTTP/1.1\r\nHost: x\r\n\r\n");
            Thread.sleep(200);
            later.complete(WebResponse.eventStream(open::set));
            assertThat(client.readUntil(": ok\n\n", WAIT)).startsWith("HTTP/1.1 200");
            await().atMost(WAIT).until(() -> open.get() != null);
            assertThat(open.get().send(ServerSentEvent.of("1", "message", "after the wait")))
                    .isTrue();
            client.readUntil("data: after the wait", WAIT);
            assertThat(servlet.openStreams()).isEqualTo(1);
        }
    }

    @Test
    void a_client_that_goes_away_closes_its_stream() throws Exception {
        AtomicReference<EventStream> open = new AtomicReference<>();
        AtomicBoolean callback = new AtomicBoolean();
        OpenCxServlet servlet = OpenCxServlet.builder(request -> WebResponse.eventStream(s -> {
                    s.onClose(() -> callback.set(true));
                    open.set(s);
                }))
                .build();
        serve(servlet, 16, "/*");
        RawHttp client = RawHttp.connect(port);
        client.write("GET /shop/events HTTP/1.1\r\nHost: x\r\n\r\n");
        client.readUntil(": ok\n\n", WAIT);
        await().atMost(WAIT).until(() -> open.get() != null);
        client.abort();
        // the next heartbeats find the connection gone
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            open.get().comment("beat");
            return !open.get().isOpen();
        });
        assertThat(callback).isTrue();
        await().atMost(WAIT).until(() -> servlet.openStreams() == 0);
    }

    @Test
    void drain_ends_open_streams_and_waiting_deferred_answers_at_once_and_refuses_new_streams() throws Exception {
        List<EventStream> streams = new java.util.concurrent.CopyOnWriteArrayList<>();
        CountDownLatch closed = new CountDownLatch(3);
        OpenCxServlet servlet = OpenCxServlet.builder(request -> request.path().equals("/slow")
                        ? WebResponse.later(new CompletableFuture<>())
                        : WebResponse.eventStream(s -> {
                            s.onClose(closed::countDown);
                            streams.add(s);
                        }))
                .build();
        serve(servlet, 16, "/*");
        List<RawHttp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp c = RawHttp.connect(port);
                c.write("GET /shop/events HTTP/1.1\r\nHost: x\r\n\r\n");
                c.readUntil(": ok\n\n", WAIT);
                clients.add(c);
            }
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/shop/slow"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            await().atMost(WAIT).until(() -> servlet.openStreams() == 3);
            Thread.sleep(200); // the deferred request reaches the handler

            long start = System.nanoTime();
            servlet.drain();
            assertThat(closed.await(5, TimeUnit.SECONDS)).isTrue();
            for (RawHttp c : clients) {
                c.readUntil("0\r\n\r\n", WAIT);
            }
            HttpResponse<String> answered = slow.get(5, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("drain: 3 streams and 1 deferred answer ended in %d ms%n", millis);
            assertThat(answered.statusCode()).isEqualTo(503);
            assertThat(servlet.openStreams()).isZero();
            assertThat(servlet.isDraining()).isTrue();

            HttpResponse<String> refused = get("/shop/events");
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("shutting down");
        } finally {
            clients.forEach(RawHttp::close);
        }
    }
}
