package dev.opencx.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.opencx.OpenCxException;
import dev.opencx.event.EventPayload;

/**
 * JSON form of event payloads, for stores that keep events as text (the JDBC store does). The
 * format is stable: a {@code type} property plus the record's components.
 */
public final class EventCodec {
    private static final ObjectMapper MAPPER = newMapper();

    private EventCodec() {}

    /** A mapper configured like the codec's: ISO-8601 instants, unknown properties ignored. */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    public static String toJson(EventPayload payload) {
        try {
            return MAPPER.writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent(
                    "cannot encode event " + payload.getClass().getSimpleName(), e);
        }
    }

    public static EventPayload fromJson(String json) {
        try {
            return MAPPER.readValue(json, EventPayload.class);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent("cannot decode stored event: " + e.getOriginalMessage(), e);
        }
    }
}
