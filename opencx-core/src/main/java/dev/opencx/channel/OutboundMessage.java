package dev.opencx.channel;

import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.knowledge.Citation;
import java.util.List;
import java.util.Objects;

/**
 * A message for the customer, handed to {@link Channel#send} by the outbox dispatcher.
 *
 * @param messageId OpenCX's id of the message (as in the session log)
 * @param sessionId the session
 * @param ticket the session's ticket number
 * @param channel the channel to send on
 * @param recipient the contact's identity on that channel
 * @param threadId the channel thread, empty when none
 * @param kind AI reply, agent reply, handoff notice, …
 * @param author who wrote it
 * @param authorId the agent's id for agent replies, empty otherwise
 * @param text the text (markdown on channels that render it)
 * @param sources articles the reply drew on, never null
 * @param inReplyTo external id of the customer message it answers, empty when none
 * @param idempotencyKey unique per message and stable across redeliveries: a channel that can
 *     should pass it on to its provider, or drop a message whose key it has already sent
 */
public record OutboundMessage(
        String messageId,
        String sessionId,
        TicketNumber ticket,
        ChannelId channel,
        Identity recipient,
        String threadId,
        Kind kind,
        Author author,
        String authorId,
        String text,
        List<Citation> sources,
        String inReplyTo,
        String idempotencyKey) {

    /** Why the message is sent. */
    public enum Kind {
        /** The AI's answer. */
        AI_REPLY,
        /** A human agent's answer. */
        AGENT_REPLY,
        /** Tells the customer a human will take over. */
        HANDOFF_NOTICE,
        /** Anything else the system says (resolution, errors). */
        SYSTEM_NOTICE
    }

    public OutboundMessage {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(recipient, "recipient");
        threadId = threadId == null ? "" : threadId;
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(author, "author");
        authorId = authorId == null ? "" : authorId;
        Objects.requireNonNull(text, "text");
        sources = sources == null ? List.of() : List.copyOf(sources);
        inReplyTo = inReplyTo == null ? "" : inReplyTo;
        Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    }

    @Override
    public String toString() {
        return "OutboundMessage{" + kind + " " + ticket + " on " + channel + ", chars=" + text.length() + "}";
    }
}
