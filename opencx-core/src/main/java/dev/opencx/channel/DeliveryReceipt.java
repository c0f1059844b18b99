package dev.opencx.channel;

/**
 * The channel's acknowledgement of a sent message.
 *
 * @param externalId the provider's id of the sent message, empty when it has none
 */
public record DeliveryReceipt(String externalId) {
    public DeliveryReceipt {
        externalId = externalId == null ? "" : externalId;
    }

    public static DeliveryReceipt none() {
        return new DeliveryReceipt("");
    }
}
