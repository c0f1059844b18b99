package dev.opencx.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.store.EventCodec;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleEventCodecTest {
    record Flagged(String orderId, List<String> tags, Instant at) implements ModuleEvent {}

    record Typed(String type) implements ModuleEvent {}

    record Other(int n) implements ModuleEvent {}

    private static final EventTypes TYPES = EventTypes.core().with("acme.order_flagged", Flagged.class);

    @Test
    void core_names_come_from_the_closed_vocabulary_and_stay_as_stored() {
        assertThat(EventTypes.core().names()).hasSize(CoreEvent.class.getPermittedSubclasses().length);
        assertThat(EventTypes.core().name(ReplySent.class)).contains("reply_sent");
        assertThat(EventCodec.toJson(new AgentJoined("maria")))
                .isEqualTo("{\"type\":\"agent_joined\",\"agentId\":\"maria\"}");
        assertThat(EventCodec.of(TYPES).encode(new AgentJoined("maria")))
                .isEqualTo(EventCodec.toJson(new AgentJoined("maria")));
    }

    @Test
    void a_module_event_round_trips_under_its_type_name() throws Exception {
        EventCodec codec = EventCodec.of(TYPES);
        Flagged f = new Flagged("A-17", List.of("vip"), Instant.parse("2026-01-05T09:00:00Z"));
        String json = codec.encode(f);
        assertThat(new ObjectMapper().readTree(json).path("type").asText()).isEqualTo("acme.order_flagged");
        assertThat(codec.typeName(f)).isEqualTo("acme.order_flagged");
        assertThat(codec.decode(json)).isEqualTo(f);
    }

    @Test
    void a_reader_without_the_type_keeps_the_json_and_writes_it_back_unchanged() {
        String json = EventCodec.of(TYPES).encode(new Flagged("A-17", List.of(), Instant.EPOCH));
        EventPayload p = EventCodec.core().decode(json);
        assertThat(p).isEqualTo(new UnknownEvent("acme.order_flagged", json));
        assertThat(((UnknownEvent) p).fields().path("orderId").asText()).isEqualTo("A-17");
        assertThat(((UnknownEvent) p).fields().has("type")).isFalse();
        assertThat(EventCodec.core().encode(p)).isEqualTo(json);
        assertThat(EventCodec.core().typeName(p)).isEqualTo("acme.order_flagged");
        assertThat(EventCodec.of(TYPES).decode(EventCodec.core().encode(p))).isInstanceOf(Flagged.class);
    }

    @Test
    void a_module_event_the_module_can_no_longer_read_is_kept_as_unknown() {
        String changed = "{\"type\":\"acme.order_flagged\",\"orderId\":{\"nested\":true},\"at\":\"not a time\"}";
        assertThat(EventCodec.of(TYPES).decode(changed)).isEqualTo(new UnknownEvent("acme.order_flagged", changed));
    }

    @Test
    void encoding_an_unregistered_module_event_names_the_class() {
        assertThatThrownBy(() -> EventCodec.core().encode(new Other(1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Other.class.getName());
    }

    @Test
    void type_names_must_be_namespaced_and_not_core() {
        assertThatThrownBy(() -> EventTypes.core().with("reply_sent", Other.class))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'reply_sent' is core's");
        assertThatThrownBy(() -> EventTypes.core().with("opencx.other", Other.class))
                .hasMessageContaining("core's");
        assertThatThrownBy(() -> EventTypes.core().with("flagged", Other.class))
                .hasMessageContaining("'flagged' must be namespaced");
        assertThatThrownBy(() -> EventTypes.core().with("Acme.Flagged", Other.class))
                .hasMessageContaining("'Acme.Flagged' must be namespaced");
        assertThatThrownBy(() -> EventTypes.core().with("acme." + "x".repeat(60), Other.class))
                .hasMessageContaining("at most 64");
        assertThatThrownBy(() -> EventTypes.core().with("acme.typed", Typed.class))
                .hasMessageContaining("component called 'type'");
    }

    @Test
    void a_name_or_class_is_registered_once_and_merging_agrees() {
        assertThatThrownBy(() -> TYPES.with("acme.order_flagged", Other.class))
                .hasMessageContaining("'acme.order_flagged' is already registered for " + Flagged.class.getName());
        assertThatThrownBy(() -> TYPES.with("acme.other_name", Flagged.class))
                .hasMessageContaining("already registered as event type 'acme.order_flagged'");
        assertThat(TYPES.with("acme.order_flagged", Flagged.class)).isSameAs(TYPES);
        EventTypes merged = TYPES.merge(EventTypes.core().with("acme.other", Other.class));
        assertThat(merged.type("acme.other")).contains(Other.class);
        assertThat(merged.type("acme.order_flagged")).contains(Flagged.class);
        assertThatThrownBy(() -> TYPES.merge(EventTypes.core().with("acme.order_flagged", Other.class)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
