package dev.opencx.channel;

import dev.opencx.conversation.Identity;
import dev.opencx.conversation.TicketNumber;
import java.util.Objects;

/**
 * A piece of an AI reply streamed to a {@link StreamingChannel} while the model writes it.
 *
 * @param kind a delta of text, or the notice that the draft must be discarded
 * @param sessionId the session
 * @param ticket the session's ticket number
 * @param recipient the customer's identity on the channel
 * @param threadId the channel thread, empty when none
 * @param inReplyTo external id of the customer message being answered (as in the final {@link
 *     OutboundMessage#inReplyTo()}), empty when it has none
 * @param index 0 for the first delta of a reply, then 1, 2, …
 * @param text the new text to append to the draft (empty for {@link Kind#DISCARD})
 */
public record PartialReply(
        Kind kind,
        String sessionId,
        TicketNumber ticket,
        Identity recipient,
        String threadId,
        String inReplyTo,
        int index,
        String text) {

    /** What a partial reply says. */
    public enum Kind {
        /** Text to append to the draft. */
        DELTA,
        /** The draft will not become the reply (the turn was handed off): remove it. */
        DISCARD
    }

    public PartialReply {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(recipient, "recipient");
        threadId = threadId == null ? "" : threadId;
        inReplyTo = inReplyTo == null ? "" : inReplyTo;
        text = text == null ? "" : text;
    }

    @Override
    public String toString() {
        return "PartialReply{" + kind + " " + ticket + " #" + index + ", chars=" + text.length() + "}";
    }
}
