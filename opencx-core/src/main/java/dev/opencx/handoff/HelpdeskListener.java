package dev.opencx.handoff;

import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.SessionEvent;

/**
 * How a helpdesk reports what agents do. OpenCX hands one to {@link Helpdesk#start}; the helpdesk
 * calls it from its webhook handler, poller or UI. Each call is stored in the session's log
 * before it returns; agent replies then reach the customer's channel through the outbox.
 *
 * <p>Calls for an unknown ticket throw {@link IllegalArgumentException}.
 */
public interface HelpdeskListener {

    /** An agent took the ticket. */
    void agentJoined(TicketNumber ticket, String agentId);

    /**
     * An agent answered the customer.
     *
     * @param externalId the helpdesk's id of the reply (a redelivery with the same id is ignored),
     *     may be empty
     */
    void agentReplied(TicketNumber ticket, String agentId, String text, String externalId);

    /** The ticket was solved. */
    void resolved(TicketNumber ticket, String agentId);

    /**
     * An agent wrote an internal note on the ticket: for the team only, never sent to the customer
     * nor shown to a responder. OpenCX redacts PII in it the way it redacts customer messages (the
     * session's channel policy; the log keeps placeholders, agents see what the policy reveals to
     * {@code AGENT_VIEW}) and stores it as a {@code NoteAdded} event.
     *
     * <pre>{@code
     * SessionEvent stored = listener.noteAdded(ticket, "maria", "card 4111 1111 1111 1111 refunded");
     * // ((NoteAdded) stored.payload()).text() is "card [CARD_1] refunded"
     * }</pre>
     *
     * @return the stored event (its text redacted), never null
     * @throws IllegalArgumentException for an unknown ticket, a blank agent id or a blank text
     * @throws UnsupportedOperationException when this listener does not keep notes (the default)
     */
    default SessionEvent noteAdded(TicketNumber ticket, String agentId, String text) {
        throw new UnsupportedOperationException("this HelpdeskListener does not keep internal notes");
    }
}
