package dev.opencx.outbox;

import dev.opencx.spi.SessionAccess;

/**
 * Does a module's outbox work: registered for one {@link OutboxKind} with {@link
 * dev.opencx.spi.ModuleContext#registerOutboxHandler}. The dispatcher calls it the way it delivers
 * core's work: on its own thread, in order per session, with exponential backoff after a failure.
 *
 * <pre>{@code
 * ctx.registerOutboxHandler(RECHECK, (entry, session) -> {
 *     Order o = orders.recheck(entry.item().payload(), entry.item().idempotencyKey());
 *     session.append(entry.sessionId(), new OrderRechecked(o.id(), o.status()));
 * });
 * }</pre>
 *
 * <p>Contract: return normally when the work is done (the entry is then marked delivered and never
 * handed out again); throw a retriable {@link dev.opencx.OpenCxException} (or any other runtime
 * exception) to be called again later, up to the configured attempts, and a non-retriable one
 * for work that can never succeed (the entry is given up on and a {@code DeliveryFailed} event is
 * logged). After a crash between the work and its being marked delivered the handler is called
 * again with the same entry: pass {@code entry.item().idempotencyKey()} to whatever you call, or
 * check the session's timeline, so the work takes effect once.
 */
@FunctionalInterface
public interface OutboxHandler {

    /**
     * Does the work of one entry.
     *
     * @param entry the entry, never null; {@code entry.attempts() + 1} is this attempt's number
     * @param session reads and writes of the entry's session (and others), never null
     */
    void handle(OutboxEntry entry, SessionAccess session);
}
