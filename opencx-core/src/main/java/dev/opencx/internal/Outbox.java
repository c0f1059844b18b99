package dev.opencx.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCxException;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.store.EventCodec;

/** JSON payloads of outbox items. */
public final class Outbox {
    static final ObjectMapper MAPPER = EventCodec.newMapper();

    private Outbox() {}

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent(
                    "cannot encode outbox payload " + value.getClass().getSimpleName(), e);
        }
    }

    public static OutboundMessage outbound(String json) {
        try {
            return MAPPER.readValue(json, OutboundMessage.class);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent("corrupt outbox payload: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent("corrupt outbox payload: " + e.getOriginalMessage(), e);
        }
    }
}
