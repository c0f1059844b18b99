package dev.opencx.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * An outbox item as stored.
 *
 * @param id store-assigned id, increasing in insertion order
 * @param sessionId the session it belongs to
 * @param item what to deliver
 * @param status where it stands
 * @param attempts attempts made so far
 * @param nextAttemptAt not before this instant
 * @param lastError the last failure, empty when none
 * @param createdAt when it was stored
 */
public record OutboxEntry(
        long id,
        String sessionId,
        OutboxItem item,
        OutboxStatus status,
        int attempts,
        Instant nextAttemptAt,
        String lastError,
        Instant createdAt) {
    public OutboxEntry {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        lastError = lastError == null ? "" : lastError;
        Objects.requireNonNull(createdAt, "createdAt");
    }
}
