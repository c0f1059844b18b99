package dev.opencx.event;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.store.EventCodec;
import org.junit.jupiter.api.Test;

class LlmEventsCodecTest {

    @Test
    void a_reply_stored_before_evidence_was_recorded_reads_with_empty_evidence() {
        String old = "{\"type\":\"reply_sent\",\"message\":{\"id\":\"m-1\",\"author\":\"AI\",\"authorId\":\"\","
                + "\"text\":\"Hi\",\"attachments\":[],\"externalId\":\"\",\"at\":\"2026-01-01T00:00:00Z\"},"
                + "\"confidence\":0.9,\"threshold\":0.5,\"citations\":[],\"explanation\":\"scenario\"}";

        ReplySent r = (ReplySent) EventCodec.fromJson(old);

        assertThat(r.explanation()).isEqualTo("scenario");
        assertThat(r.evidence()).isEmpty();
    }

    @Test
    void model_and_tool_calls_are_stored_with_their_type_names() {
        ModelCalled m = new ModelCalled("gpt-4o-mini", "OPEN_AI", 1, true, 120, null, 7, "STOP", 0, "ok", "");
        ToolCalled t = new ToolCalled("order_status", "{}", "shipped", 30, "ok", 1);

        assertThat(EventCodec.toJson(m)).contains("\"type\":\"model_called\"").contains("\"inputTokens\":null");
        assertThat(EventCodec.fromJson(EventCodec.toJson(m))).isEqualTo(m);
        assertThat(EventCodec.toJson(t)).contains("\"type\":\"tool_called\"");
        assertThat(EventCodec.fromJson(EventCodec.toJson(t))).isEqualTo(t);
    }
}
