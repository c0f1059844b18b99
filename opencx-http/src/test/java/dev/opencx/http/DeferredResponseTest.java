package dev.opencx.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.http.testing.RawHttp;
import dev.opencx.webhook.WebResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Deferred responses ({@link WebResponse#later}) on the embedded server: answered when they
 * complete, with no thread held meanwhile, 500 when they fail, 503 when they do not come in time.
 */
class DeferredResponseTest {
    private static final Duration READ = Duration.ofSeconds(30);

    @Test
    void two_hundred_pending_answers_hold_no_thread_and_health_still_answers_at_once() throws Exception {
        int pending = 200;
        ConcurrentHashMap<String, CompletableFuture<WebResponse>> answers = new ConcurrentHashMap<>();
        CountDownLatch arrived = new CountDownLatch(pending);
        try (WebServer server = WebServer.builder()
                .port(0)
                .maxThreads(8) // the smallest pool: 200 waiting threads are not there to be had
                .mount("/slow", request -> {
                    CompletableFuture<WebResponse> answer = new CompletableFuture<>();
                    answers.put(request.path(), answer);
                    arrived.countDown();
                    // decorations apply to the eventual answer
                    return WebResponse.later(answer).withHeader("X-Decorated", "yes");
                })
                .build()
                .start()) {
            List<RawHttp> clients = new ArrayList<>();
            try {
                for (int i = 0; i < pending; i++) {
                    clients.add(RawHttp.connect(server.port())
                            .write("GET /slow/" + i + " HTTP/1.1\r\nHost: localhost\r\n\r\n"));
                }
                assertThat(arrived.await(30, TimeUnit.SECONDS))
                        .as("every request reached its handler")
                        .isTrue();

                long start = System.nanoTime();
                try (RawHttp health = RawHttp.connect(server.port())) {
                    RawHttp.Response ok = health.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                            .read(Duration.ofSeconds(10));
                    long ms = (System.nanoTime() - start) / 1_000_000;
                    System.out.println("DeferredResponseTest: /health with " + pending
                            + " deferred answers pending on 8 threads: " + ms + " ms");
                    assertThat(ok.status()).isEqualTo(200);
                    assertThat(ok.body()).isEqualTo("{\"status\":\"ok\"}");
                }

                // completed from a thread that is not the server's
                answers.forEach((path, answer) -> answer.complete(WebResponse.text(200, "done " + path)));
                for (int i = 0; i < pending; i++) {
                    RawHttp.Response r = clients.get(i).read(READ);
                    assertThat(r.status()).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("done /" + i);
                    assertThat(r.headers()).containsEntry("x-decorated", "yes");
                }
            } finally {
                clients.forEach(RawHttp::close);
            }
        }
    }

    @Test
    void a_deferred_answer_that_fails_is_a_500_without_details() {
        try (WebServer server = WebServer.builder()
                        .port(0)
                        .mount(
                                "/fail",
                                request -> WebResponse.later(CompletableFuture.supplyAsync(() -> {
                                    throw new IllegalStateException("secret database password in the message");
                                })))
                        .mount("/null", request -> WebResponse.later(CompletableFuture.completedFuture(null)))
                        .build()
                        .start();
                RawHttp client = RawHttp.connect(server.port())) {
            for (String path : List.of("/fail", "/null")) {
                RawHttp.Response r = client.write("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        .read(READ);
                assertThat(r.status()).as(path).isEqualTo(500);
                assertThat(r.headers().get("content-type")).startsWith("application/json");
                assertThat(r.body())
                        .isEqualTo("{\"error\":{\"code\":\"internal_error\","
                                + "\"message\":\"the server failed to handle the request\"}}");
            }
        }
    }

    @Test
    void a_deferred_answer_that_does_not_come_in_time_is_a_503_with_retry_after() {
        CompletableFuture<WebResponse> never = new CompletableFuture<>();
        try (WebServer server = WebServer.builder()
                        .port(0)
                        .deferredTimeout(Duration.ofSeconds(1))
                        .mount("/never", request -> WebResponse.later(never))
                        .build()
                        .start();
                RawHttp client = RawHttp.connect(server.port())) {
            long start = System.nanoTime();
            RawHttp.Response r = client.write("GET /never HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .read(READ);
            long ms = (System.nanoTime() - start) / 1_000_000;
            assertThat(r.status()).isEqualTo(503);
            assertThat(r.headers()).containsEntry("retry-after", "5");
            assertThat(r.body()).startsWith("{\"error\":{\"code\":\"unavailable\"");
            assertThat(ms).as("answered at the deadline, not before").isGreaterThanOrEqualTo(900);
            // a completion after the deadline is ignored, and the connection serves the next request
            never.complete(WebResponse.text(200, "too late"));
            RawHttp.Response health = client.write("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    .read(READ);
            assertThat(health.status()).isEqualTo(200);
        }
        assertThatThrownBy(() -> WebServer.builder().deferredTimeout(Duration.ofMillis(10)))
                .hasMessage("deferredTimeout must be from 1 s to 10 min, was PT0.01S");
    }

    @Test
    void a_deferred_event_stream_opens_when_it_comes() {
        CompletableFuture<WebResponse> stream = new CompletableFuture<>();
        try (WebServer server = WebServer.builder()
                        .port(0)
                        .mount("/events", request -> WebResponse.later(stream))
                        .build()
                        .start();
                RawHttp client = RawHttp.connect(server.port())) {
            client.write("GET /events HTTP/1.1\r\nHost: localhost\r\n\r\n");
            stream.complete(WebResponse.eventStream(s -> {
                s.comment("hello");
                s.close();
            }));
            RawHttp.Response head = client.read(READ);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Content-Type")).startsWith("text/event-stream");
            assertThat(client.readUntil(": hello", READ)).contains(": hello");
        }
    }
}
