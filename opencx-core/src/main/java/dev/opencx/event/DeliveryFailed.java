package dev.opencx.event;

/** An outbox delivery gave up (after its retries) or failed permanently. */
public record DeliveryFailed(String messageId, String target, String error, int attempts) implements CoreEvent {}
