package dev.opencx.event;

import java.util.Objects;

/**
 * What the provider reported later about a message it accepted ({@link MessageDelivered}): a
 * Twilio status callback, a WhatsApp status, an e-mail bounce. Recorded by the channel through
 * {@code ChannelContext.deliveryUpdated}; a provider that repeats a report is recorded as often as
 * it repeats it unless the channel drops the repeat.
 *
 * @param messageId OpenCX's id of the message, empty when the provider's report cannot be traced
 *     back to one (the {@code externalId} still names it)
 * @param channel the channel's id
 * @param externalId the provider's id of the message
 * @param state the state in OpenCX's words
 * @param providerStatus the provider's own word for it ({@code undelivered}, {@code read}, …)
 * @param error the provider's error code and text when {@code state} is {@code FAILED}, else empty
 */
public record DeliveryUpdated(
        String messageId, String channel, String externalId, State state, String providerStatus, String error)
        implements CoreEvent {

    /** Where a sent message is, as far as the provider knows. */
    public enum State {
        /** The provider handed it on (to the carrier, to WhatsApp's servers). */
        SENT,
        /** It reached the customer's device or mailbox. */
        DELIVERED,
        /** The customer opened it. */
        READ,
        /** It will not arrive: {@code error} says why. */
        FAILED
    }

    public DeliveryUpdated {
        messageId = messageId == null ? "" : messageId;
        channel = channel == null ? "" : channel.intern();
        externalId = externalId == null ? "" : externalId;
        Objects.requireNonNull(state, "state");
        providerStatus = providerStatus == null ? "" : providerStatus;
        error = error == null ? "" : error;
    }
}
