package dev.opencx.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.jsontype.NamedType;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.opencx.OpenCxException;
import dev.opencx.event.EventPayload;
import dev.opencx.event.EventTypes;
import dev.opencx.event.ModuleEvent;
import dev.opencx.event.UnknownEvent;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON form of event payloads, for stores that keep events as text (the JDBC store does). The
 * format is stable: a {@code type} property plus the record's components.
 *
 * <p>A codec knows the {@link EventTypes} it was made with: {@link #core()} knows core's events,
 * {@link #of(EventTypes)} adds modules' events too. Decoding a type the codec does not know gives an
 * {@link UnknownEvent} that keeps the JSON (a store opened without a module still reads its
 * sessions); encoding an {@link UnknownEvent} writes its JSON back unchanged. Thread-safe.
 *
 * <pre>{@code
 * EventCodec codec = EventCodec.of(types);          // types from OpenCx's modules
 * String json = codec.encode(new OrderFlagged("A-17", "chargeback"));
 * EventPayload back = codec.decode(json);           // an OrderFlagged again
 * EventPayload opaque = EventCodec.core().decode(json); // an UnknownEvent("acme.order_flagged", json)
 * }</pre>
 */
public final class EventCodec {
    private static final Logger LOG = LoggerFactory.getLogger(EventCodec.class);
    private static final EventCodec CORE = new EventCodec(EventTypes.core());

    private final EventTypes types;
    private final ObjectMapper mapper;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    private EventCodec(EventTypes types) {
        this.types = types;
        this.mapper = newMapper();
        for (String name : types.names()) {
            mapper.registerSubtypes(new NamedType(types.type(name).orElseThrow(), name));
        }
    }

    /** A codec for core's events only. */
    public static EventCodec core() {
        return CORE;
    }

    /** A codec for these types. */
    public static EventCodec of(EventTypes types) {
        Objects.requireNonNull(types, "types");
        return types.equals(CORE.types) ? CORE : new EventCodec(types);
    }

    /** The types this codec knows. */
    public EventTypes types() {
        return types;
    }

    /** A codec that knows these types and {@code more} (see {@link EventTypes#merge}). */
    public EventCodec with(EventTypes more) {
        EventTypes merged = types.merge(more);
        return merged.equals(types) ? this : new EventCodec(merged);
    }

    /** A mapper configured like the codec's: ISO-8601 instants, unknown properties ignored. */
    public static ObjectMapper newMapper() {
        return new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    /**
     * The stored type name of a payload ({@code reply_sent}, {@code acme.order_flagged}).
     *
     * @throws IllegalArgumentException for a module event whose type this codec does not know
     */
    public String typeName(EventPayload payload) {
        return types.nameOf(payload);
    }

    /**
     * The payload as JSON; an {@link UnknownEvent}'s JSON as it was stored.
     *
     * @throws IllegalArgumentException for a module event whose type this codec does not know
     * @throws OpenCxException (permanent) when Jackson cannot write it
     */
    public String encode(EventPayload payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload instanceof UnknownEvent u) {
            return u.json();
        }
        types.nameOf(payload); // fails clearly for an unregistered module type
        try {
            return mapper.writerFor(EventPayload.class).writeValueAsString(payload);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent(
                    "cannot encode event " + payload.getClass().getSimpleName(), e);
        }
    }

    /**
     * A stored payload. A type this codec does not know, and a module event it cannot read (its
     * module changed its JSON), come back as an {@link UnknownEvent} with the JSON as stored.
     *
     * @throws OpenCxException (permanent) when the JSON is not an object, or a core event cannot be read
     */
    public EventPayload decode(String json) {
        Objects.requireNonNull(json, "json");
        JsonNode node;
        try {
            node = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw OpenCxException.permanent("cannot decode stored event: " + e.getOriginalMessage(), e);
        }
        if (node == null || !node.isObject()) {
            throw OpenCxException.permanent("cannot decode stored event: not a JSON object", null);
        }
        String type = node.path("type").asText("");
        Class<? extends EventPayload> cls = types.type(type).orElse(null);
        if (cls == null) {
            return new UnknownEvent(type, json);
        }
        try {
            return mapper.treeToValue(node, EventPayload.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (ModuleEvent.class.isAssignableFrom(cls)) {
                if (warned.add(type)) {
                    LOG.warn(
                            "cannot read stored events of type '{}' as {} ({}); they are shown as unknown events",
                            type,
                            cls.getName(),
                            e.getMessage());
                }
                return new UnknownEvent(type, json);
            }
            String why = e instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : e.getMessage();
            throw OpenCxException.permanent("cannot decode stored event: " + why, e);
        }
    }

    /** {@link #encode} with {@link #core()}. */
    public static String toJson(EventPayload payload) {
        return CORE.encode(payload);
    }

    /** {@link #decode} with {@link #core()}. */
    public static EventPayload fromJson(String json) {
        return CORE.decode(json);
    }
}
