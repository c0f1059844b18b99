package dev.opencx.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A stored event whose type this reader does not know: written by a module that is not registered
 * with this {@code OpenCx} (or with this store), or by a later version. It keeps the stored JSON as
 * it was, so nothing is lost: appending it to a store writes the same JSON back, and a reader that
 * registers the module later reads the module's record again.
 *
 * <p>Core never acts on it; inspect mode shows its type and fields. Readers that only care about
 * core events skip it like any event they do not handle.
 *
 * @param type the stored type name ({@code acme.order_flagged}); empty when the JSON had none
 * @param json the stored JSON object, {@code type} property included
 */
public record UnknownEvent(String type, String json) implements EventPayload {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public UnknownEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(json, "json");
    }

    /**
     * The stored properties without {@code type}, as a JSON object (for display).
     *
     * @throws IllegalStateException when {@link #json} is not a JSON object
     */
    public ObjectNode fields() {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalStateException("the stored event of type '" + type + "' is not a JSON object");
            }
            o.remove("type");
            return o;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "the stored event of type '" + type + "' is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
