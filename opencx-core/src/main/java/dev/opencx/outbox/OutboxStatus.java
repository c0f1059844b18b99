package dev.opencx.outbox;

/** Where an outbox entry stands. */
public enum OutboxStatus {
    /** Waiting for (another) attempt. */
    PENDING,
    /** Delivered; kept for audit. */
    DELIVERED,
    /** Given up on after its retries or a permanent error. */
    DEAD
}
