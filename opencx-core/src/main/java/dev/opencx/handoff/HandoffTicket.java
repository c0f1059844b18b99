package dev.opencx.handoff;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.TicketNumber;
import java.util.List;
import java.util.Objects;

/**
 * Everything a helpdesk needs to open a ticket for a handed-off session.
 *
 * @param ticket the session's ticket number (use it as the helpdesk's external id)
 * @param sessionId the session
 * @param contact the customer
 * @param channel where the customer is
 * @param topic the session's topic, empty when none
 * @param reason why the AI handed off
 * @param detail the specifics of the reason
 * @param summary a short summary for the agent
 * @param transcript every message so far, oldest first
 */
public record HandoffTicket(
        TicketNumber ticket,
        String sessionId,
        Contact contact,
        ChannelId channel,
        String topic,
        HandoffReason reason,
        String detail,
        String summary,
        List<Message> transcript) {
    public HandoffTicket {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(contact, "contact");
        Objects.requireNonNull(channel, "channel");
        topic = topic == null ? "" : topic;
        Objects.requireNonNull(reason, "reason");
        detail = detail == null ? "" : detail;
        summary = summary == null ? "" : summary;
        transcript = List.copyOf(transcript);
    }
}
