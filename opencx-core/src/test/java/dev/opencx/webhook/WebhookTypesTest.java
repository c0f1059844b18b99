package dev.opencx.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WebhookTypesTest {

    @Test
    void server_sent_events_encode_ids_names_multi_line_data_and_retry() {
        assertThat(ServerSentEvent.of("12", "message", "line 1\nline 2").encode())
                .isEqualTo("id: 12\nevent: message\ndata: line 1\ndata: line 2\n\n");
        assertThat(ServerSentEvent.transientEvent("typing", "{}").encode()).isEqualTo("event: typing\ndata: {}\n\n");
        assertThat(ServerSentEvent.retry(2000).encode()).isEqualTo("retry: 2000\n\n");
        assertThat(ServerSentEvent.comment("ping\nx")).isEqualTo(": ping x\n\n");
        assertThatThrownBy(() -> ServerSentEvent.of("1\n2", "m", "")).hasMessageContaining("'1\n2'");
    }

    @Test
    void requests_parse_the_query_and_read_headers_case_insensitively() {
        WebRequest r = WebRequest.builder("post", "/v1/x")
                .query("?a=1&b=x%20y&a=2&flag")
                .header("Content-Type", "Application/JSON; charset=utf-8")
                .body("{}".getBytes(StandardCharsets.UTF_8))
                .build();
        assertThat(r.method()).isEqualTo("POST");
        assertThat(r.queryParam("a")).hasValue("1");
        assertThat(r.queryParams().get("a")).containsExactly("1", "2");
        assertThat(r.queryParam("b")).hasValue("x y");
        assertThat(r.queryParam("flag")).hasValue("");
        assertThat(r.header("content-type")).isPresent();
        assertThat(r.mediaType()).isEqualTo("application/json");
        assertThat(r.toString()).doesNotContain("{}");
        assertThatThrownBy(() -> WebRequest.builder("GET", "v1")).hasMessageContaining("'v1'");
    }

    @Test
    void errors_are_json_with_escaped_text() {
        WebResponse e = WebResponse.error(400, "invalid_json", "bad \"quote\" <script>\n");
        assertThat(e.bodyText())
                .isEqualTo(
                        "{\"error\":{\"code\":\"invalid_json\",\"message\":\"bad \\\"quote\\\" \\u003cscript\\u003e\\n\"}}");
        assertThat(e.header("content-type")).startsWith("application/json");
        assertThatThrownBy(() -> WebResponse.empty(42)).hasMessageContaining("was 42");
        assertThatThrownBy(() -> e.withHeader("X", "a\r\nSet-Cookie: x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.openEventStream(EventStream.blocking(new ByteArrayOutputStream(), () -> {})))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void a_blocking_event_stream_writes_frames_and_closes_once() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger callbacks = new AtomicInteger();
        EventStream s = EventStream.blocking(out, finished::incrementAndGet);
        s.onClose(callbacks::incrementAndGet);
        assertThat(s.send(ServerSentEvent.of("1", "m", "x"))).isTrue();
        assertThat(s.comment("ping")).isTrue();
        s.close();
        s.close();
        assertThat(s.send(ServerSentEvent.of("2", "m", "y"))).isFalse();
        s.onClose(callbacks::incrementAndGet); // after close: runs at once
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("id: 1\nevent: m\ndata: x\n\n: ping\n\n");
        assertThat(finished).hasValue(1);
        assertThat(callbacks).hasValue(2);
    }

    @Test
    void a_deferred_response_takes_its_decorations_to_the_eventual_response() throws Exception {
        CompletableFuture<WebResponse> answer = new CompletableFuture<>();
        WebResponse later = WebResponse.later(answer)
                .withHeader("X-First", "1")
                .map(r -> r.header("Cache-Control") == null ? r.withHeader("Cache-Control", "no-store") : r);
        assertThat(later.isDeferred()).isTrue();
        assertThat(later.isEventStream()).isFalse();
        assertThat(later.toString()).isEqualTo("WebResponse{deferred}");
        assertThatThrownBy(later::status)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("await(limit)");
        assertThatThrownBy(() -> later.header("X-First")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> later.withHeader("Bad\nName", "x")).isInstanceOf(IllegalArgumentException.class);
        CompletableFuture<WebResponse> eventual = later.completion().toCompletableFuture();
        assertThat(eventual).isNotDone();

        answer.complete(WebResponse.later(CompletableFuture.completedFuture(WebResponse.json(201, "{}"))));
        WebResponse r = eventual.get(5, TimeUnit.SECONDS);
        assertThat(r.isDeferred()).as("nested deferrals are flattened").isFalse();
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("X-First")).isEqualTo("1");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(later.await(Duration.ofSeconds(1)).status()).isEqualTo(201);
    }

    @Test
    void a_response_that_is_here_is_decorated_at_once_and_not_waited_for() {
        WebResponse now = WebResponse.text(200, "hi");
        assertThat(now.isDeferred()).isFalse();
        assertThat(now.map(r -> r.withHeader("X", "y")).header("X")).isEqualTo("y");
        assertThat(now.await(Duration.ofMillis(1))).isSameAs(now);
        assertThat(now.completion().toCompletableFuture()).isCompletedWithValue(now);
        assertThatThrownBy(() -> now.await(Duration.ZERO)).hasMessage("limit must be positive, was PT0S");
        assertThatThrownBy(() -> WebResponse.later(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void a_deferred_response_that_fails_or_is_late_becomes_a_json_error_without_details() {
        WebResponse failed = WebResponse.later(CompletableFuture.failedFuture(new IllegalStateException("db password")))
                .withHeader("X-Kept", "yes");
        WebResponse r = failed.await(Duration.ofSeconds(5));
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.bodyText()).contains("internal_error").doesNotContain("db password");
        assertThat(r.header("X-Kept")).isEqualTo("yes");

        WebResponse nulled = WebResponse.later(CompletableFuture.completedFuture(null));
        assertThat(nulled.await(Duration.ofSeconds(5)).status()).isEqualTo(500);

        WebResponse throwing = WebResponse.later(CompletableFuture.completedFuture(WebResponse.text(200, "x")))
                .map(x -> {
                    throw new IllegalStateException("decorator bug");
                });
        assertThat(throwing.await(Duration.ofSeconds(5)).status()).isEqualTo(500);

        WebResponse late = WebResponse.later(new CompletableFuture<>()).await(Duration.ofMillis(50));
        assertThat(late.status()).isEqualTo(503);
        assertThat(late.header("Retry-After")).isEqualTo("5");
        assertThat(late.bodyText()).contains("\"code\":\"unavailable\"");
    }
}
