package dev.opencx.handoff;

import dev.opencx.conversation.Session;
import dev.opencx.event.SessionEvent;
import dev.opencx.spi.SessionAccess;
import dev.opencx.store.SessionQuery;
import java.util.List;

/**
 * What OpenCX gives a helpdesk at {@link Helpdesk#start(HelpdeskContext)}: the {@link
 * HelpdeskListener} for agents' actions, plus reads of sessions and their timelines and the
 * helpdesk's own {@link dev.opencx.event.ModuleEvent}s, so a helpdesk never writes to the store
 * itself.
 *
 * <pre>{@code
 * public void start(HelpdeskContext ctx) {
 *     this.ctx = ctx;
 *     for (Session s : ctx.sessions(SessionQuery.inStates(SessionState.HANDED_OFF))) {
 *         queue.add(s.ticket(), ctx.timeline(s.id()));
 *     }
 * }
 * }</pre>
 *
 * <p>Contract: thread-safe and valid until the {@code OpenCx} closes; no parameter may be null.
 */
public interface HelpdeskContext extends HelpdeskListener, SessionAccess {

    /** Sessions matching a query (e.g. the handed-off ones, to rebuild a queue at start). */
    List<Session> sessions(SessionQuery query);

    /**
     * Records that this helpdesk holds a ticket for the session although OpenCX did not hand it
     * off (an agent took it over from the AI in inspect mode): OpenCX then forwards the customer's
     * next messages to the ticket. Stored as a {@link dev.opencx.event.HandoffDelivered} event
     * naming this helpdesk.
     *
     * @param ticketRef the helpdesk's reference of the ticket, not blank
     * @return the stored event
     * @throws IllegalArgumentException for an unknown session or a blank reference
     */
    SessionEvent ticketOpened(String sessionId, String ticketRef);
}
