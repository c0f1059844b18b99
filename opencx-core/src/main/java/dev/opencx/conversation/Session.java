package dev.opencx.conversation;

import java.time.Instant;
import java.util.Objects;

/**
 * One conversation with a contact on one channel. A session is a projection of its event log: the
 * store updates it as events are appended, and it can always be rebuilt from the events.
 *
 * @param id stable id
 * @param ticket the human-readable ticket number
 * @param channel the channel it runs on
 * @param contactId the contact
 * @param threadId the channel's thread (an e-mail thread, a Slack thread), empty when the channel has none
 * @param state where it stands
 * @param assignee agent id when an agent owns it, empty otherwise
 * @param topic the last classified topic, empty when none
 * @param locale BCP 47 language tag, e.g. {@code en} or {@code es-MX}
 * @param openedAt first message
 * @param updatedAt last event
 * @param lastSeq sequence number of the last event
 * @param lastMessageSeq sequence number of the last customer message
 * @param handledSeq sequence number of the last customer message whose turn has completed
 */
public record Session(
        String id,
        TicketNumber ticket,
        ChannelId channel,
        String contactId,
        String threadId,
        SessionState state,
        String assignee,
        String topic,
        String locale,
        Instant openedAt,
        Instant updatedAt,
        long lastSeq,
        long lastMessageSeq,
        long handledSeq) {
    public Session {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(contactId, "contactId");
        threadId = threadId == null ? "" : threadId;
        Objects.requireNonNull(state, "state");
        assignee = assignee == null ? "" : assignee;
        topic = topic == null ? "" : topic;
        locale = locale == null || locale.isBlank() ? "en" : locale;
        Objects.requireNonNull(openedAt, "openedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    /** True when a customer message has been stored but its turn has not completed yet. */
    public boolean hasPendingTurn() {
        return lastMessageSeq > handledSeq;
    }

    public Session withState(SessionState s) {
        return new Session(
                id,
                ticket,
                channel,
                contactId,
                threadId,
                s,
                assignee,
                topic,
                locale,
                openedAt,
                updatedAt,
                lastSeq,
                lastMessageSeq,
                handledSeq);
    }
}
