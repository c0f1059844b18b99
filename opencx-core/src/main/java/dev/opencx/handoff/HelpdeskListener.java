package dev.opencx.handoff;

import dev.opencx.conversation.TicketNumber;

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
}
