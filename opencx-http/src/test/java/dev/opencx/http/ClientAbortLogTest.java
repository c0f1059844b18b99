package dev.opencx.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.http.testing.RawHttp;
import dev.opencx.webhook.WebResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A client that goes away in the middle of its upload is routine, not an error: each costs at
 * most one short log line (DEBUG, logger {@code dev.opencx.http.aborts}; this module's
 * tests turn it on to count them) and never a stack trace. The chaos tester's 170 aborted uploads
 * logged 3,478 lines.
 */
class ClientAbortLogTest {
    private static final int ABORTS = 60;

    @Test
    void aborted_uploads_log_at_most_one_short_line_each_and_no_stack_trace() {
        try (WebServer server = WebServer.builder()
                .port(0)
                .mount("/upload", r -> WebResponse.empty(204))
                .build()
                .start()) {
            try (RawHttp warm = RawHttp.connect(server.port())) {
                assertThat(warm.write("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nok")
                                .read(Duration.ofSeconds(10))
                                .status())
                        .isEqualTo(204);
            }
            await().until(() -> server.openConnections() == 0);

            PrintStream original = System.err;
            ByteArrayOutputStream captured = new ByteArrayOutputStream();
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            try {
                for (int i = 0; i < ABORTS; i++) {
                    RawHttp c = RawHttp.connect(RawHttp.loopback(2 + i % 3), server.port());
                    c.write("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: application/octet-stream\r\n"
                            + "Content-Length: 60000\r\n\r\n" + "x".repeat(1000));
                    if (i % 3 == 0) {
                        c.abort(); // reset, as a killed client
                    } else if (i % 3 == 1) {
                        c.close(); // an orderly close half way
                    } else {
                        c.write("y".repeat(20_000)).close();
                    }
                }
                await().atMost(Duration.ofSeconds(10)).until(() -> server.openConnections() == 0);
                Thread.sleep(300); // the last lines are written after the connection is gone
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                System.setErr(original);
            }
            List<String> lines =
                    captured.toString(StandardCharsets.UTF_8).lines().toList();
            System.out.println(ABORTS + " aborted uploads logged " + lines.size() + " line(s); first: "
                    + lines.stream().findFirst().orElse("(none)"));
            assertThat(lines).hasSizeLessThanOrEqualTo(ABORTS);
            assertThat(lines)
                    .as("no stack trace")
                    .noneMatch(l -> l.startsWith("\tat ") || l.strip().startsWith("at ") || l.startsWith("Caused by"));
            assertThat(lines).allMatch(l -> l.length() < 300, "short");
            assertThat(lines).allMatch(l -> l.contains("DEBUG dev.opencx.http.aborts"), "only the abort lines");
            assertThat(lines).anyMatch(l -> l.contains("went away during a request body: POST /upload"));
        }
    }
}
