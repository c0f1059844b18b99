package dev.opencx.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The event types a reader knows, by stored type name: core's closed vocabulary ({@link
 * CoreEvent}) plus the {@link ModuleEvent}s registered by modules. Immutable; {@link #with} and
 * {@link #merge} return new instances.
 *
 * <p>Module type names are namespaced by the module's owner, lower case: {@code acme.order_flagged}
 * (letters, digits and {@code _}, segments separated by dots, at most {@value #MAX_NAME_LENGTH}
 * characters). Core's names have no dot and the {@code opencx.} namespace is reserved, so a module
 * can never take a core name. {@code OpenCx.build()} hands the result to the store with {@link
 * dev.opencx.store.ConversationStore#registerEventTypes}.
 */
public final class EventTypes {
    /** The longest type name a store keeps (the JDBC store's {@code event_type} column). */
    public static final int MAX_NAME_LENGTH = 64;

    private static final Pattern MODULE_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");
    private static final EventTypes CORE = loadCore();

    private final Map<String, Class<? extends EventPayload>> byName;
    private final Map<Class<?>, String> byClass;

    private EventTypes(Map<String, Class<? extends EventPayload>> byName) {
        this.byName = Collections.unmodifiableMap(new LinkedHashMap<>(byName));
        Map<Class<?>, String> inverse = new LinkedHashMap<>();
        byName.forEach((n, c) -> inverse.put(c, n));
        this.byClass = Collections.unmodifiableMap(inverse);
    }

    /** Core's event types only. */
    public static EventTypes core() {
        return CORE;
    }

    private static EventTypes loadCore() {
        Map<String, Class<? extends EventPayload>> m = new LinkedHashMap<>();
        for (JsonSubTypes.Type t :
                CoreEvent.class.getAnnotation(JsonSubTypes.class).value()) {
            m.put(t.name(), t.value().asSubclass(EventPayload.class));
        }
        return new EventTypes(m);
    }

    /**
     * These types plus a module's type.
     *
     * @throws IllegalArgumentException when the name is not a namespaced module name, is a core name,
     *     is taken by another class, or the class is already registered under another name, or is
     *     not a record, or has a component called {@code type}
     */
    public EventTypes with(String name, Class<? extends ModuleEvent> type) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        if (CORE.byName.containsKey(name) || name.startsWith("opencx.")) {
            throw new IllegalArgumentException(
                    "event type name '" + name + "' is core's; a module must use a name in its own namespace,"
                            + " e.g. 'acme." + name.replace("opencx.", "") + "'");
        }
        if (name.length() > MAX_NAME_LENGTH || !MODULE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("event type name '" + name + "' must be namespaced and lower case,"
                    + " like 'acme.order_flagged' (letters, digits, '_', dot-separated, at most "
                    + MAX_NAME_LENGTH + " characters)");
        }
        if (!type.isRecord()) {
            throw new IllegalArgumentException(
                    "event type '" + name + "': " + type.getName() + " must be an immutable record");
        }
        for (var c : type.getRecordComponents()) {
            if (c.getName().equals("type")) {
                throw new IllegalArgumentException("event type '" + name + "': " + type.getName()
                        + " has a component called 'type', which is where the stored type name goes; rename it");
            }
        }
        Class<? extends EventPayload> existing = byName.get(name);
        if (existing != null) {
            if (existing == type) {
                return this;
            }
            throw new IllegalArgumentException("event type name '" + name + "' is already registered for "
                    + existing.getName() + ", cannot register it for " + type.getName());
        }
        String other = byClass.get(type);
        if (other != null) {
            throw new IllegalArgumentException(
                    type.getName() + " is already registered as event type '" + other + "', not '" + name + "'");
        }
        Map<String, Class<? extends EventPayload>> m = new LinkedHashMap<>(byName);
        m.put(name, type);
        return new EventTypes(m);
    }

    /**
     * These types plus the other's.
     *
     * @throws IllegalArgumentException when a name or class is registered differently in both
     */
    public EventTypes merge(EventTypes other) {
        Objects.requireNonNull(other, "other");
        EventTypes out = this;
        for (Map.Entry<String, Class<? extends EventPayload>> e : other.byName.entrySet()) {
            if (!CORE.byName.containsKey(e.getKey())) {
                out = out.with(e.getKey(), e.getValue().asSubclass(ModuleEvent.class));
            }
        }
        return out;
    }

    /** The class stored under this type name, if known. */
    public Optional<Class<? extends EventPayload>> type(String name) {
        return Optional.ofNullable(byName.get(Objects.requireNonNull(name, "name")));
    }

    /** The type name of a payload class, if known. */
    public Optional<String> name(Class<?> type) {
        return Optional.ofNullable(byClass.get(Objects.requireNonNull(type, "type")));
    }

    /**
     * The stored type name of a payload: its registered name, or an {@link UnknownEvent}'s own.
     *
     * @throws IllegalArgumentException for a module event whose type is not registered here
     */
    public String nameOf(EventPayload payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload instanceof UnknownEvent u) {
            return u.type();
        }
        String n = byClass.get(payload.getClass());
        if (n == null) {
            throw new IllegalArgumentException(
                    "event type " + payload.getClass().getName()
                            + " is not registered: register it in a module with ModuleContext.registerEventType");
        }
        return n;
    }

    /** True for one of core's type names. */
    public static boolean isCore(String name) {
        return CORE.byName.containsKey(name);
    }

    /** Every known type name: core's first, in a stable order. */
    public Set<String> names() {
        return byName.keySet();
    }

    /** True when no module type is registered. */
    public boolean isCoreOnly() {
        return byName.size() == CORE.byName.size();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EventTypes t && t.byName.equals(byName);
    }

    @Override
    public int hashCode() {
        return byName.hashCode();
    }

    @Override
    public String toString() {
        return "EventTypes" + byName.keySet();
    }
}
