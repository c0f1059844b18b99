package dev.opencx.outbox;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What an outbox entry asks the dispatcher to do, by a stable stored name. Core's four kinds are
 * the constants below (their names are those of the enum this class replaced, so existing
 * databases keep working); modules add their own with {@link #of(String)} under a namespaced name
 * and register a {@link OutboxHandler} for it with {@link
 * dev.opencx.spi.ModuleContext#registerOutboxHandler}.
 *
 * <pre>{@code
 * static final OutboxKind RECHECK = OutboxKind.of("acme.recheck_order");
 * }</pre>
 *
 * <p>Kinds are values: compare them with {@link #equals}. {@link #of(String)} returns the core
 * constants for core names.
 */
public final class OutboxKind {
    /** The longest kind name a store keeps (the JDBC store's {@code kind} column). */
    public static final int MAX_NAME_LENGTH = 32;

    private static final Pattern MODULE_NAME = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

    /** Send a message on a channel. */
    public static final OutboxKind CHANNEL_SEND = new OutboxKind("CHANNEL_SEND");
    /** Open a ticket in the helpdesk for a handed-off session. */
    public static final OutboxKind HELPDESK_OPEN = new OutboxKind("HELPDESK_OPEN");
    /** Append a later customer message to the session's ticket. */
    public static final OutboxKind HELPDESK_APPEND = new OutboxKind("HELPDESK_APPEND");
    /** Tell the helpdesk the session was resolved on our side. */
    public static final OutboxKind HELPDESK_RESOLVE = new OutboxKind("HELPDESK_RESOLVE");

    private static final List<OutboxKind> CORE =
            List.of(CHANNEL_SEND, HELPDESK_OPEN, HELPDESK_APPEND, HELPDESK_RESOLVE);

    private final String name;

    private OutboxKind(String name) {
        this.name = name;
    }

    /**
     * The kind stored under this name: a core constant, or a module's kind.
     *
     * @throws IllegalArgumentException when the name is neither a core name nor a namespaced lower-case
     *     name like {@code acme.recheck_order} of at most {@value #MAX_NAME_LENGTH} characters
     */
    @JsonCreator
    public static OutboxKind of(String name) {
        Objects.requireNonNull(name, "name");
        for (OutboxKind k : CORE) {
            if (k.name.equals(name)) {
                return k;
            }
        }
        if (name.startsWith("opencx.")) {
            throw new IllegalArgumentException("outbox kind '" + name + "' is in the namespace reserved for core");
        }
        if (name.length() > MAX_NAME_LENGTH || !MODULE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("outbox kind '" + name + "' must be a core kind " + CORE
                    + " or namespaced and lower case, like 'acme.recheck_order' (letters, digits, '_',"
                    + " dot-separated, at most " + MAX_NAME_LENGTH + " characters)");
        }
        return new OutboxKind(name);
    }

    /** Same as {@link #of(String)}; kept so code written against the former enum still compiles. */
    public static OutboxKind valueOf(String name) {
        return of(name);
    }

    /** Core's four kinds. */
    public static List<OutboxKind> core() {
        return CORE;
    }

    /** The stored name ({@code CHANNEL_SEND}, {@code acme.recheck_order}). */
    @JsonValue
    public String name() {
        return name;
    }

    /** True for one of core's four kinds (the dispatcher handles them itself). */
    public boolean isCore() {
        return CORE.contains(this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboxKind k && k.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /** The stored name. */
    @Override
    public String toString() {
        return name;
    }
}
