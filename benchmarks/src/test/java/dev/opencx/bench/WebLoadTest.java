package dev.opencx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The web load driver end to end, small and fast: what it counts is what happened. */
class WebLoadTest {
    @Test
    @SuppressWarnings("unchecked")
    void a_short_run_delivers_every_reply_and_agent_message_once_through_drops_and_server_closes() throws Exception {
        Map<String, Object> report = WebLoad.run(Map.ofEntries(
                Map.entry("sessions", "20"),
                Map.entry("duration", "4"),
                Map.entry("warmup", "1"),
                Map.entry("rate", "20"),
                Map.entry("handoff-share", "0.3"),
                Map.entry("agent-think-ms", "100"),
                Map.entry("drops-per-s", "2"),
                Map.entry("close-streams-every", "2"),
                Map.entry("reconnect-ms", "200"),
                Map.entry("heartbeat-ms", "300"),
                Map.entry("timeout", "10"),
                Map.entry("server", "in-process")));

        Map<String, Object> errors = (Map<String, Object>) report.get("errors");
        assertThat(errors).containsEntry("total", 0L);
        Map<String, Object> measured = (Map<String, Object>) report.get("measured");
        assertThat((Long) measured.get("ai_replies")).isPositive();
        assertThat((Long) measured.get("agent_messages")).isPositive();
        Map<String, Object> recovered = (Map<String, Object>) report.get("recovered");
        assertThat((Long) recovered.get("sse_reconnects")).isPositive();
        assertThat((Map<String, Object>) report.get("reply_latency_ms")).containsKey("p99");
        assertThat(report).containsEntry("streams_open_at_end", 20);
    }
}
