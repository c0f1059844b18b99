package dev.opencx.event;

/** The channel accepted an outbound message. */
public record MessageDelivered(String messageId, String channel, String externalId, int attempts) implements CoreEvent {
    public MessageDelivered {
        channel = channel == null ? "" : channel.intern();
        externalId = externalId == null ? "" : externalId;
    }
}
