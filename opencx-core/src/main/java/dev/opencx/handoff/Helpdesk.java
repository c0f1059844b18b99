package dev.opencx.handoff;

import dev.opencx.conversation.Message;
import dev.opencx.conversation.TicketNumber;

/**
 * Where handed-off conversations go: the built-in inbox, Zendesk, HubSpot, Intercom.
 *
 * <p>OpenCX calls {@link #openTicket}, {@link #appendMessage} and {@link #sessionResolved} from its
 * outbox dispatcher, with retries: each must be idempotent for the same ticket number and message
 * id. Agents' actions come back through the {@link HelpdeskListener} given to {@link
 * #start(HelpdeskListener)} (a {@link HelpdeskContext} at {@link #start(HelpdeskContext)}).
 * Throw a retriable {@link dev.opencx.OpenCxException} when the helpdesk is unreachable.
 */
public interface Helpdesk extends AutoCloseable {

    /** A short name for logs and the session log ({@code inbox}, {@code zendesk}). */
    String name();

    /**
     * Keeps the listener for agents' actions. OpenCX calls {@link #start(HelpdeskContext)}, whose
     * default calls this: a helpdesk that only reports agents' actions overrides this one.
     */
    default void start(HelpdeskListener listener) {}

    /**
     * Called once by {@code OpenCx.build()}. The default calls {@link #start(HelpdeskListener)}
     * with the context; a helpdesk that reads sessions and timelines, or records a take-over,
     * overrides this one and keeps the context.
     *
     * @param context the listener for agents' actions and read access to sessions, never null
     */
    default void start(HelpdeskContext context) {
        start((HelpdeskListener) context);
    }

    /**
     * Opens (or, when one exists for this ticket number, returns) the ticket.
     *
     * @return the helpdesk's own reference of the ticket
     */
    String openTicket(HandoffTicket ticket);

    /** Adds a later customer message to the ticket. */
    void appendMessage(String ticketRef, TicketNumber ticket, Message message);

    /** The session was resolved on OpenCX's side (e.g. the customer said it is solved). */
    default void sessionResolved(String ticketRef, TicketNumber ticket) {}

    @Override
    default void close() {}
}
