package dev.opencx.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The embedded server: builder checks, ports, routing by prefix, limits and failures. */
class WebServerTest {
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void the_builder_fails_fast_naming_the_bad_value() {
        assertThatThrownBy(() -> WebServer.builder().port(-1)).hasMessage("port must be from 0 to 65535, was -1");
        assertThatThrownBy(() -> WebServer.builder().port(70000)).hasMessageContaining("was 70000");
        assertThatThrownBy(() -> WebServer.builder().host(" ")).hasMessageContaining("was ' '");
        assertThatThrownBy(() -> WebServer.builder().maxRequestBytes(10)).hasMessageContaining("was 10");
        assertThatThrownBy(() -> WebServer.builder().idleTimeout(Duration.ofMillis(5)))
                .hasMessageContaining("PT0.005S");
        assertThatThrownBy(() -> WebServer.builder().maxThreads(2)).hasMessageContaining("was 2");
        assertThatThrownBy(() -> WebServer.builder().headerTimeout(Duration.ofMillis(500)))
                .hasMessage("headerTimeout must be from 1 s to 5 min, was PT0.5S");
        assertThatThrownBy(() -> WebServer.builder().bodyTimeout(Duration.ofMinutes(11)))
                .hasMessage("bodyTimeout must be from 1 s to 10 min, was PT11M");
        assertThatThrownBy(() -> WebServer.builder().maxConnections(3))
                .hasMessage("maxConnections must be from 16 to 1000000, was 3");
        assertThatThrownBy(() -> WebServer.builder().maxConnectionsPerAddress(0))
                .hasMessage("maxConnectionsPerAddress must be from 1 to 1000000, was 0");
        assertThatThrownBy(() -> WebServer.builder()
                        .maxConnections(100)
                        .maxConnectionsPerAddress(256)
                        .mount("/", r -> WebResponse.empty(204))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("maxConnectionsPerAddress (256) must not be above maxConnections (100)");
        assertThatThrownBy(() -> WebServer.builder().mount("hooks", r -> WebResponse.empty(204)))
                .hasMessageContaining("was 'hooks'");
        assertThatThrownBy(() -> WebServer.builder().mount("/hooks/", r -> WebResponse.empty(204)))
                .hasMessageContaining("was '/hooks/'");
        assertThatThrownBy(() -> WebServer.builder()
                        .mount("/hooks", r -> WebResponse.empty(204))
                        .mount("/hooks", r -> WebResponse.empty(204)))
                .hasMessage("prefix '/hooks' is already mounted");
        assertThatThrownBy(() -> WebServer.builder().webhook("Zendesk!", r -> WebResponse.empty(204)))
                .hasMessageContaining("was 'Zendesk!'");
        assertThatThrownBy(() -> WebServer.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("nothing to serve");
    }

    @Test
    void serves_mounted_handlers_by_longest_prefix_on_an_ephemeral_port() throws Exception {
        AtomicReference<WebRequest> seen = new AtomicReference<>();
        WebServer server = WebServer.builder()
                .port(0)
                .mount("/", r -> WebResponse.text(200, "root " + r.path()))
                .mount("/webhooks", r -> WebResponse.text(200, "hooks " + r.path()))
                .webhook("shop", r -> {
                    seen.set(r);
                    return WebResponse.json(200, "{\"ok\":true}").withHeader("X-Seen", r.path());
                })
                .build();
        assertThatThrownBy(server::port).isInstanceOf(IllegalStateException.class);
        try (server) {
            server.start();
            assertThat(server.port()).isPositive();
            assertThat(server.uri()).isEqualTo(URI.create("http://127.0.0.1:" + server.port() + "/"));

            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(server.uri().resolve("/webhooks/shop/orders?x=1&y=a%20b"))
                            .header("X-Signature", "abc")
                            .POST(HttpRequest.BodyPublishers.ofString("raw-bytes"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("X-Seen")).hasValue("/orders");
            assertThat(seen.get().method()).isEqualTo("POST");
            assertThat(seen.get().queryParam("y")).hasValue("a b");
            assertThat(seen.get().header("x-signature")).hasValue("abc");
            assertThat(seen.get().bodyText()).isEqualTo("raw-bytes");
            assertThat(seen.get().remoteAddress()).isNotEmpty();

            assertThat(get(server, "/webhooks/shopping").body()).isEqualTo("hooks /shopping");
            assertThat(get(server, "/webhooks").body()).isEqualTo("hooks /");
            assertThat(get(server, "/other/path").body()).isEqualTo("root /other/path");
            HttpResponse<String> health = get(server, "/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("ok");
            assertThat(health.headers().firstValue("Server")).isEmpty();
            assertThatThrownBy(server::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already started");
        }
        server.close();
        assertThatThrownBy(server::start).hasMessageContaining("closed");
    }

    @Test
    void unknown_paths_oversized_bodies_and_failing_handlers_get_json_errors() throws Exception {
        try (WebServer server = WebServer.builder()
                .port(0)
                .maxRequestBytes(2048)
                .mount("/hooks", r -> WebResponse.empty(204))
                .mount("/boom", r -> {
                    throw new IllegalStateException("secret detail");
                })
                .build()
                .start()) {
            HttpResponse<String> missing = get(server, "/nothing");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).contains("\"code\":\"not_found\"");

            HttpResponse<String> big = http.send(
                    HttpRequest.newBuilder(server.uri().resolve("/hooks"))
                            .POST(HttpRequest.BodyPublishers.ofString("x".repeat(4096)))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(big.statusCode()).isEqualTo(413);
            assertThat(big.body()).contains("payload_too_large").contains("2048");

            HttpResponse<String> boom = get(server, "/boom");
            assertThat(boom.statusCode()).isEqualTo(500);
            assertThat(boom.body()).contains("internal_error").doesNotContain("secret detail");
        }
    }

    @Test
    void a_port_in_use_fails_clearly() {
        try (WebServer first = WebServer.builder()
                .port(0)
                .mount("/", r -> WebResponse.empty(204))
                .build()
                .start()) {
            WebServer second = WebServer.builder()
                    .port(first.port())
                    .mount("/", r -> WebResponse.empty(204))
                    .build();
            assertThatThrownBy(second::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
        }
    }

    @Test
    void an_open_event_stream_holds_little_heap() throws Exception {
        AtomicInteger open = new AtomicInteger();
        try (WebServer server = WebServer.builder()
                .port(0)
                .maxConnectionsPerAddress(1000) // every stream comes from 127.0.0.1 here
                .mount("/events", r -> WebResponse.eventStream(stream -> open.incrementAndGet()))
                .build()
                .start()) {
            openStreams(server, 20); // classes loaded, pools warm: outside the measurement
            int n = 300;
            long before = usedHeapAfterGc();
            List<HttpResponse<InputStream>> streams = openStreams(server, n);
            long perStream = (usedHeapAfterGc() - before) / n;
            assertThat(open).hasValue(20 + n);
            // both ends of each connection, the JDK client's included (≈ 30 KB); Jetty's default
            // per-connection header cache alone took 98 KB of each (a char[1024 * 48] trie)
            assertThat(perStream).as("heap per open stream, bytes").isLessThan(55_000);
            for (HttpResponse<InputStream> s : streams) {
                s.body().close();
            }
        }
    }

    /** {@code n} streams, each on a connection that served a request before (as a widget's does). */
    private List<HttpResponse<InputStream>> openStreams(WebServer server, int n) throws Exception {
        List<CompletableFuture<HttpResponse<String>>> first = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            first.add(http.sendAsync(
                    HttpRequest.newBuilder(server.uri().resolve("/health"))
                            .header("Authorization", "Bearer visitor-token-" + i)
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> f : first) {
            assertThat(f.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        }
        List<CompletableFuture<HttpResponse<InputStream>>> pending = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pending.add(http.sendAsync(
                    HttpRequest.newBuilder(server.uri().resolve("/events"))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream()));
        }
        List<HttpResponse<InputStream>> out = new ArrayList<>();
        for (CompletableFuture<HttpResponse<InputStream>> f : pending) {
            HttpResponse<InputStream> r = f.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            out.add(r);
        }
        return out;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            min = Math.min(
                    min,
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return min;
    }

    private HttpResponse<String> get(WebServer server, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(server.uri().resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
