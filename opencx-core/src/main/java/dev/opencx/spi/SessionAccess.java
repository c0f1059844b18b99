package dev.opencx.spi;

import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.ModuleEvent;
import dev.opencx.event.SessionEvent;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.pii.PiiDestination;
import java.util.List;
import java.util.Optional;

/**
 * What an extension (a module's outbox handler, a channel, a helpdesk) may read and write at run
 * time, without reaching into the store or the client: sessions and their timelines, contacts,
 * and its own {@link ModuleEvent}s. Core's events are written by core only, so its invariants
 * (session state, turn order, dedupe) hold whatever the extensions do.
 *
 * <p>Contract: thread-safe; no parameter may be null; lists returned are snapshots and never null.
 * Methods taking a session id throw {@link IllegalArgumentException} for an unknown session.
 */
public interface SessionAccess {

    /** A session by id. */
    Optional<Session> session(String sessionId);

    /** A session by ticket number. */
    Optional<Session> sessionByTicket(TicketNumber ticket);

    /**
     * A session's whole event log, in order: core's events, registered module events, and {@link
     * dev.opencx.event.UnknownEvent}s for types not registered here.
     */
    List<SessionEvent> timeline(String sessionId);

    /**
     * Events with {@code seq > afterSeq}, in order, at most {@code limit}.
     *
     * @throws IllegalArgumentException also when {@code afterSeq < 0} or {@code limit < 1}
     */
    List<SessionEvent> timeline(String sessionId, long afterSeq, int limit);

    /** The contact with this id (for a merged-away id, the survivor). */
    Optional<Contact> contact(String contactId);

    /** The contact with this identity, if any. */
    Optional<Contact> findContact(Identity identity);

    /**
     * {@code text} of a session with the placeholders the channel's PII policy reveals to {@code
     * destination} replaced by their values (see {@code OpenCx.reveal}).
     */
    String reveal(String sessionId, String text, PiiDestination destination);

    /**
     * Appends a module event to a session's log.
     *
     * @return the stored event
     * @throws IllegalArgumentException also when the event's type is not registered by a module
     */
    default SessionEvent append(String sessionId, ModuleEvent event) {
        return append(sessionId, event, List.of());
    }

    /**
     * Appends a module event and queues module outbox work with it, in one atomic step (the work
     * is done only if the event is stored, and is not lost in a crash once it is).
     *
     * @param work entries whose kinds are module kinds ({@link dev.opencx.outbox.OutboxKind#of});
     *     core's kinds are queued by core only
     * @return the stored event
     * @throws IllegalArgumentException also when the event's type is not registered, or an item has
     *     a core kind
     */
    SessionEvent append(String sessionId, ModuleEvent event, List<OutboxItem> work);

    /**
     * A customer-facing text, core's or a module's ({@link ModuleContext#registerNotices}), in {@code
     * locale} ({@code "de"}, {@code "pt-BR"}; the language alone, then English, when there is no text
     * for it), with the user's overrides applied and each {@code {name}} placeholder filled from
     * {@code vars}.
     *
     * @throws IllegalArgumentException for a key no bundle defines
     */
    String notice(String key, String locale, java.util.Map<String, String> vars);
}
