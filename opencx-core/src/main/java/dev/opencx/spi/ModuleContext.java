package dev.opencx.spi;

import dev.opencx.event.ModuleEvent;
import dev.opencx.outbox.OutboxHandler;
import dev.opencx.outbox.OutboxKind;

/**
 * What a module registers in {@link OpenCxModule#setUp}. Each registration is checked at once and
 * fails with an {@link IllegalArgumentException} naming the module and the bad value; the context
 * must not be kept after {@code setUp} returns (registrations made later fail).
 */
public interface ModuleContext {

    /** The name of the module being set up. */
    String moduleName();

    /**
     * Adds a session-event payload type, stored under {@code typeName}. Every store reads such
     * events back as {@code type}; readers without the module see an {@link
     * dev.opencx.event.UnknownEvent} that keeps their JSON.
     *
     * @param typeName namespaced and lower case ({@code acme.order_flagged}), not one of core's
     *     names (see {@link dev.opencx.event.EventTypes})
     * @param type an immutable record implementing {@link ModuleEvent}
     * @throws IllegalArgumentException for a bad or core name, a name or class registered before
     *     (by this module or another), or a class that is not a record
     */
    <T extends ModuleEvent> void registerEventType(String typeName, Class<T> type);

    /**
     * Routes outbox entries of {@code kind} to {@code handler}: durable work, retried with backoff,
     * in order per session, exactly like core's deliveries. Queue such work with {@link
     * SessionAccess#append(String, ModuleEvent, java.util.List)}.
     *
     * @param kind a module kind made with {@link OutboxKind#of(String)}, not one of core's four
     * @throws IllegalArgumentException for a core kind, or a kind that already has a handler
     */
    void registerOutboxHandler(OutboxKind kind, OutboxHandler handler);

    /**
     * Adds the module's own customer-facing texts: a resource bundle of keys ({@code
     * <baseName>_en.properties} defines every key, {@code _es}, {@code _fr}, {@code _de}, {@code _pt}…
     * translate them), read with the session's language like core's notices. Users override them
     * like any notice ({@code OpenCx.Builder.notice(key, locale, text)}).
     *
     * @param baseName a {@link java.util.ResourceBundle} base name, e.g. {@code "com.acme.cx.notices"}
     * @param loader the class loader that sees the bundle, usually the module's own
     */
    void registerNotices(String baseName, ClassLoader loader);
}
