package dev.opencx.store;

import dev.opencx.conversation.Message;
import dev.opencx.conversation.TicketNumber;
import java.util.Objects;

/**
 * A customer message as the store keeps it under its channel's external id: the ids it was
 * acknowledged with, so that a resend of the same message is answered with them (see {@link
 * ConversationStore#findInbound}).
 *
 * @param sessionId the session it was stored in
 * @param ticket that session's ticket number
 * @param contactId that session's contact now (after any merge)
 * @param seq its sequence number in the session log
 * @param message the message as stored: with PII redaction on, its text has placeholders ({@code
 *     [EMAIL_1]}) where the customer wrote values
 */
public record StoredInbound(String sessionId, TicketNumber ticket, String contactId, long seq, Message message) {
    public StoredInbound {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(message, "message");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
    }

    @Override
    public String toString() {
        return "StoredInbound[" + sessionId + ", " + ticket + ", seq " + seq + "]"; // never the text
    }
}
