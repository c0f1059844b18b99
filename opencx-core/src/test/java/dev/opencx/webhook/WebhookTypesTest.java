package dev.opencx.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
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
}
