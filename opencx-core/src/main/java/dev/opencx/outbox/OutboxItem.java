package dev.opencx.outbox;

import java.util.Objects;

/**
 * A unit of work to deliver later, written to the store in the same step as the event that caused
 * it so that a crash in between loses nothing.
 *
 * @param kind what to do
 * @param target the channel id or helpdesk name it goes to
 * @param idempotencyKey unique per item; passed to the receiver so a redelivery after a crash can be
 *     recognised
 * @param payload JSON the dispatcher hands to the handler of {@code kind}
 */
public record OutboxItem(OutboxKind kind, String target, String idempotencyKey, String payload) {
    public OutboxItem {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
        Objects.requireNonNull(payload, "payload");
    }
}
