package dev.opencx.helpdesk.inbox;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.handoff.HandoffReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A handed-off session as the team inbox shows it.
 *
 * @param ticket the session's ticket number
 * @param sessionId the session
 * @param contactId the customer
 * @param contactName the customer's display name, may be empty
 * @param channel where the customer is
 * @param topic the session's topic, empty when none
 * @param reason why the AI handed off
 * @param detail the specifics of the reason
 * @param summary a summary for the agent
 * @param transcript every message, oldest first
 * @param notes internal notes (never sent to the customer)
 * @param status waiting, claimed or resolved
 * @param assignee the agent who claimed it, empty when none
 * @param openedAt when it reached the inbox
 */
public record InboxTicket(
        TicketNumber ticket,
        String sessionId,
        String contactId,
        String contactName,
        ChannelId channel,
        String topic,
        HandoffReason reason,
        String detail,
        String summary,
        List<Message> transcript,
        List<Note> notes,
        Status status,
        String assignee,
        Instant openedAt) {

    /** Where a ticket stands in the inbox. */
    public enum Status {
        WAITING,
        CLAIMED,
        RESOLVED
    }

    /** An internal note by an agent; {@code text} as stored: PII replaced by placeholders, like the transcript. */
    public record Note(String agentId, String text, Instant at) {}

    public InboxTicket {
        Objects.requireNonNull(ticket, "ticket");
        transcript = List.copyOf(transcript);
        notes = List.copyOf(notes);
        assignee = assignee == null ? "" : assignee;
    }

    /** How long the customer has waited since the handoff. */
    public Duration waiting(Instant now) {
        return Duration.between(openedAt, now);
    }

    InboxTicket with(Status s, String who, List<Message> messages, List<Note> n) {
        return new InboxTicket(
                ticket,
                sessionId,
                contactId,
                contactName,
                channel,
                topic,
                reason,
                detail,
                summary,
                messages,
                n,
                s,
                who,
                openedAt);
    }
}
