package dev.opencx.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Twilio intake driver end to end, small and slow: what it counts is what happened. */
class TwilioIntakeLoadTest {
    @Test
    @SuppressWarnings("unchecked")
    void a_short_run_stores_and_answers_every_webhook_once_retries_included(@TempDir Path dir) throws Exception {
        Map<String, Object> report = TwilioIntakeLoad.run(Map.ofEntries(
                Map.entry("rate", "40"),
                Map.entry("duration", "3"),
                Map.entry("warmup", "1"),
                Map.entry("customers", "20"),
                Map.entry("retry-share", "0.3"),
                Map.entry("retry-delay-ms", "500"),
                Map.entry("store", "sqlite"),
                Map.entry("data-dir", dir.toString())));

        Map<String, Object> counts = (Map<String, Object>) report.get("counts");
        Map<String, Object> checks = (Map<String, Object>) report.get("checks");
        assertThat((Long) counts.get("retries")).isPositive();
        long webhooks = ((Number) counts.get("webhooks")).longValue();
        assertThat(webhooks).isBetween(130L, 160L); // 40/s for 3 s after a 1 s warm-up that ramps up
        assertThat(counts.get("acknowledged_sids")).isEqualTo(webhooks);
        assertThat(checks)
                .containsEntry("lost", 0L)
                .containsEntry("processed_twice", 0L)
                .containsEntry("unacknowledged", 0L)
                .containsEntry("stored", (int) webhooks)
                .containsEntry("answered_twice", 0L)
                .containsEntry("unanswered", 0L)
                .containsEntry("outbox_drained", true);
        assertThat((Map<String, Object>) report.get("ack_latency_ms")).containsKey("p99");
    }
}
