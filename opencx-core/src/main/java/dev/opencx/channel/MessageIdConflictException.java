package dev.opencx.channel;

import dev.opencx.OpenCxException;
import dev.opencx.conversation.ChannelId;
import java.util.Objects;

/**
 * A channel delivered a message under an external id it had already used for a different message
 * (another text, or another sender): OpenCX refuses it and stores nothing. A real resend of the same
 * message is not an error: it is answered with the original ids ({@link ReceiveReceipt#duplicate()}).
 * Never retriable: the client must send a new message with a new id. HTTP channels answer it with
 * {@code 409 Conflict}.
 *
 * <p>The message names the channel and the external id, never the texts.
 */
public final class MessageIdConflictException extends OpenCxException {
    private static final long serialVersionUID = 1L;

    private final ChannelId channel;
    private final String externalId;

    /**
     * @param channel the channel, never null
     * @param externalId the channel's id of the message, never null
     */
    public MessageIdConflictException(ChannelId channel, String externalId) {
        super(
                "channel '" + Objects.requireNonNull(channel, "channel") + "' already stored a different message"
                        + " under the id '" + Objects.requireNonNull(externalId, "externalId")
                        + "'; a resend must repeat the same text, and a new message needs a new id",
                false);
        this.channel = channel;
        this.externalId = externalId;
    }

    /** The channel that delivered the message. */
    public ChannelId channel() {
        return channel;
    }

    /** The channel's id of the message, as the channel gave it. */
    public String externalId() {
        return externalId;
    }
}
