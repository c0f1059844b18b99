package dev.opencx.event;

/**
 * A session-event payload that a module adds to the log: implement it with an immutable record,
 * and register the record under a type name your module owns with {@link
 * dev.opencx.spi.ModuleContext#registerEventType}.
 *
 * <pre>{@code
 * public record OrderFlagged(String orderId, String reason) implements ModuleEvent {}
 *
 * // in your OpenCxModule.setUp(ctx):
 * ctx.registerEventType("acme.order_flagged", OrderFlagged.class);
 * }</pre>
 *
 * <p>The record is stored as JSON (Jackson, with its components as properties and the type name in
 * a {@code type} property), so its components must be types Jackson reads and writes (strings,
 * numbers, booleans, {@code Instant}s, lists, maps, nested records) and none may be called {@code
 * type}. Keep the JSON compatible across versions of your module: a store keeps events for years.
 * A reader without your module sees the event as an {@link UnknownEvent} that keeps its JSON.
 *
 * <p>Module events do not change a session's state (core's {@link
 * dev.opencx.store.SessionProjection} ignores them) and are not messages of the conversation: no
 * responder sees them.
 */
public non-sealed interface ModuleEvent extends EventPayload {}
