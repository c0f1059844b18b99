package dev.opencx.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class OutboxKindTest {
    @Test
    void core_kinds_keep_the_stored_names_of_the_former_enum() {
        assertThat(OutboxKind.core())
                .extracting(OutboxKind::name)
                .containsExactly("CHANNEL_SEND", "HELPDESK_OPEN", "HELPDESK_APPEND", "HELPDESK_RESOLVE");
        assertThat(OutboxKind.valueOf("CHANNEL_SEND")).isSameAs(OutboxKind.CHANNEL_SEND);
        assertThat(OutboxKind.of("HELPDESK_RESOLVE").isCore()).isTrue();
    }

    @Test
    void module_kinds_are_values_with_namespaced_names() throws Exception {
        OutboxKind k = OutboxKind.of("acme.recheck_order");
        assertThat(k)
                .isEqualTo(OutboxKind.of("acme.recheck_order"))
                .hasSameHashCodeAs(OutboxKind.of("acme.recheck_order"));
        assertThat(k.isCore()).isFalse();
        assertThat(k).hasToString("acme.recheck_order");
        ObjectMapper json = new ObjectMapper();
        assertThat(json.writeValueAsString(k)).isEqualTo("\"acme.recheck_order\"");
        assertThat(json.readValue("\"acme.recheck_order\"", OutboxKind.class)).isEqualTo(k);
    }

    @Test
    void bad_kind_names_are_refused_with_the_name() {
        assertThatThrownBy(() -> OutboxKind.of("recheck")).hasMessageContaining("'recheck'");
        assertThatThrownBy(() -> OutboxKind.of("channel_send")).hasMessageContaining("'channel_send'");
        assertThatThrownBy(() -> OutboxKind.of("opencx.send")).hasMessageContaining("reserved for core");
        assertThatThrownBy(() -> OutboxKind.of("acme." + "x".repeat(30))).hasMessageContaining("at most 32");
    }
}
