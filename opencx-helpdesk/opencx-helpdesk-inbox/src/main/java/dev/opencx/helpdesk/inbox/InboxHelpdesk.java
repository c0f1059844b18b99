package dev.opencx.helpdesk.inbox;

import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.NoteAdded;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.handoff.Helpdesk;
import dev.opencx.handoff.HelpdeskContext;
import dev.opencx.handoff.HelpdeskListener;
import dev.opencx.pipeline.Turn;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.SessionQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The built-in team inbox: the embedded default helpdesk. Handed-off sessions queue here; agents
 * claim them, reply (the reply reaches the customer's channel through OpenCX's outbox), add
 * internal notes and resolve.
 *
 * <pre>{@code
 * InboxHelpdesk inbox = InboxHelpdesk.builder().store(store).build();
 * OpenCx cx = OpenCx.builder().store(store).helpdesk(inbox)...build();
 * for (InboxTicket t : inbox.queue()) {
 *     inbox.claim(t.ticket(), "maria");
 *     inbox.reply(t.ticket(), "maria", "Hi! I've refunded the second charge.");
 *     inbox.resolve(t.ticket(), "maria");
 * }
 * }</pre>
 *
 * <p>With a store, the inbox rebuilds its queue from the store's handed-off sessions at start, so it
 * survives restarts, internal notes included (they are kept in the session log). Thread-safe. Its
 * web UI for agents is {@link dev.opencx.helpdesk.inbox.web.InboxWeb}.
 */
public final class InboxHelpdesk implements Helpdesk {
    private final ConversationStore store;
    private final Clock clock;
    private final Map<TicketNumber, InboxTicket> tickets = new ConcurrentHashMap<>();
    private final List<Consumer<InboxTicket>> changeListeners = new CopyOnWriteArrayList<>();
    private final AtomicLong replySeq = new AtomicLong();
    private volatile HelpdeskContext listener;

    private InboxHelpdesk(Builder b) {
        this.store = b.store;
        this.clock = b.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return "inbox";
    }

    /**
     * Called by {@code OpenCx.build()}: keeps the context and rebuilds the queue from the handed-off
     * sessions (when the inbox was built with a store). Reads and the take-over record go through
     * the context, never straight to the store.
     */
    @Override
    public void start(HelpdeskContext context) {
        this.listener = Objects.requireNonNull(context, "context");
        if (store != null) {
            rebuild(context);
        }
    }

    /**
     * The inbox reads sessions and records take-overs through a {@link HelpdeskContext}: OpenCX
     * passes one to {@link #start(HelpdeskContext)}. A bare listener is refused.
     *
     * @throws UnsupportedOperationException when {@code listener} is not a {@link HelpdeskContext}
     */
    @Override
    public void start(HelpdeskListener listener) {
        if (listener instanceof HelpdeskContext ctx) {
            start(ctx);
            return;
        }
        throw new UnsupportedOperationException(
                "the inbox needs a HelpdeskContext: register it with OpenCx.builder().helpdesk(inbox)");
    }

    private void rebuild(HelpdeskContext ctx) {
        for (Session s : ctx.sessions(SessionQuery.inStates(SessionState.HANDED_OFF, SessionState.AGENT_ACTIVE))) {
            HandoffRequested handoff = null;
            Instant at = s.updatedAt();
            List<SessionEvent> events = ctx.timeline(s.id());
            for (SessionEvent e : events) {
                if (e.payload() instanceof HandoffRequested hr) {
                    handoff = hr;
                    at = e.at();
                }
            }
            if (handoff == null && s.state() != SessionState.AGENT_ACTIVE) {
                continue;
            }
            if (handoff == null) {
                // taken over from the AI in inspect mode: there was no handoff
                handoff = new HandoffRequested(HandoffReason.CUSTOM, takeOverDetail(s.assignee()), "", Map.of());
            }
            InboxTicket.Status st =
                    s.state() == SessionState.AGENT_ACTIVE ? InboxTicket.Status.CLAIMED : InboxTicket.Status.WAITING;
            tickets.put(s.ticket(), ticketOf(ctx, s, handoff, events, st, s.assignee(), at));
        }
    }

    @Override
    public String openTicket(HandoffTicket t) {
        // notes written on an earlier ticket of the session stay with it
        HelpdeskContext ctx = listener;
        List<InboxTicket.Note> notes = store == null || ctx == null ? List.of() : notes(ctx.timeline(t.sessionId()));
        tickets.compute(
                t.ticket(),
                (k, existing) -> existing != null && existing.status() != InboxTicket.Status.RESOLVED
                        ? existing
                        : new InboxTicket(
                                t.ticket(),
                                t.sessionId(),
                                t.contact().id(),
                                t.contact().displayName(),
                                t.channel(),
                                t.topic(),
                                t.reason(),
                                t.detail(),
                                t.summary(),
                                t.transcript(),
                                notes,
                                InboxTicket.Status.WAITING,
                                "",
                                clock.instant()));
        changed(t.ticket());
        return ticketRef(t.ticket());
    }

    @Override
    public void appendMessage(String ticketRef, TicketNumber ticket, Message message) {
        tickets.computeIfPresent(ticket, (k, t) -> {
            if (t.transcript().stream().anyMatch(m -> m.id().equals(message.id()))) {
                return t;
            }
            List<Message> all = new ArrayList<>(t.transcript());
            all.add(message);
            InboxTicket.Status st = t.status() == InboxTicket.Status.RESOLVED ? InboxTicket.Status.WAITING : t.status();
            return t.with(st, t.assignee(), all, t.notes());
        });
        changed(ticket);
    }

    @Override
    public void sessionResolved(String ticketRef, TicketNumber ticket) {
        tickets.computeIfPresent(
                ticket, (k, t) -> t.with(InboxTicket.Status.RESOLVED, t.assignee(), t.transcript(), t.notes()));
        changed(ticket);
    }

    /** Tickets waiting for an agent, longest-waiting first. */
    public List<InboxTicket> queue() {
        return tickets.values().stream()
                .filter(t -> t.status() == InboxTicket.Status.WAITING)
                .sorted(Comparator.comparing(InboxTicket::openedAt))
                .toList();
    }

    /** Every ticket the inbox holds, newest ticket number first. */
    public List<InboxTicket> tickets() {
        return tickets.values().stream()
                .sorted(Comparator.comparing(InboxTicket::ticket).reversed())
                .toList();
    }

    public Optional<InboxTicket> ticket(TicketNumber ticket) {
        return Optional.ofNullable(tickets.get(ticket));
    }

    /**
     * An agent takes a ticket.
     *
     * @throws IllegalStateException when another agent has it
     */
    public InboxTicket claim(TicketNumber ticket, String agentId) {
        requireAgent(agentId);
        InboxTicket t = require(ticket);
        if (t.status() == InboxTicket.Status.CLAIMED && !t.assignee().equals(agentId)) {
            throw new IllegalStateException("ticket " + ticket + " is claimed by " + t.assignee());
        }
        listener().agentJoined(ticket, agentId);
        InboxTicket updated = tickets.computeIfPresent(
                ticket, (k, x) -> x.with(InboxTicket.Status.CLAIMED, agentId, x.transcript(), x.notes()));
        changed(ticket);
        return updated;
    }

    /**
     * An agent takes a session over from the AI (inspect mode): the session becomes agent-owned, the
     * AI stays silent from the next customer message on, and the session joins the inbox as a
     * ticket claimed by the agent (reason {@link HandoffReason#CUSTOM}). A turn the AI is running
     * at that moment still finishes. On a session that is already in the inbox this is {@link
     * #claim}.
     *
     * @throws IllegalArgumentException for an unknown session
     * @throws IllegalStateException when the session is resolved or closed, another agent has it,
     *     or the inbox was built without a store
     */
    public InboxTicket takeOver(String sessionId, String agentId) {
        requireAgent(agentId);
        Objects.requireNonNull(sessionId, "sessionId");
        if (store == null) {
            throw new IllegalStateException(
                    "taking over a session needs the store: InboxHelpdesk.builder().store(...)");
        }
        HelpdeskContext ctx = listener();
        Session s =
                ctx.session(sessionId).orElseThrow(() -> new IllegalArgumentException("unknown session " + sessionId));
        if (!s.state().isOpen()) {
            throw new IllegalStateException("session " + s.ticket() + " is " + s.state() + ", it cannot be taken over");
        }
        InboxTicket existing = tickets.get(s.ticket());
        if (existing != null && existing.status() != InboxTicket.Status.RESOLVED) {
            return claim(s.ticket(), agentId);
        }
        if (s.state().isOwnedByTeam()) {
            if (!s.assignee().isEmpty() && !s.assignee().equals(agentId)) {
                throw new IllegalStateException("ticket " + s.ticket() + " is claimed by " + s.assignee());
            }
        }
        InboxTicket t = ticketOf(
                ctx,
                s,
                new HandoffRequested(HandoffReason.CUSTOM, takeOverDetail(agentId), "", Map.of()),
                ctx.timeline(s.id()),
                InboxTicket.Status.CLAIMED,
                agentId,
                clock.instant());
        tickets.put(s.ticket(), t);
        try {
            // the ticket is open in the inbox: OpenCX forwards the customer's next messages to it
            ctx.ticketOpened(s.id(), ticketRef(s.ticket()));
            ctx.agentJoined(s.ticket(), agentId);
        } catch (RuntimeException e) {
            tickets.remove(s.ticket(), t);
            throw e;
        }
        changed(s.ticket());
        return t;
    }

    /** A ticket for a session of the store, with its contact's name, transcript and notes from its log. */
    private static InboxTicket ticketOf(
            HelpdeskContext ctx,
            Session s,
            HandoffRequested handoff,
            List<SessionEvent> events,
            InboxTicket.Status status,
            String assignee,
            Instant at) {
        return new InboxTicket(
                s.ticket(),
                s.id(),
                s.contactId(),
                ctx.contact(s.contactId()).map(Contact::displayName).orElse(""),
                s.channel(),
                s.topic(),
                handoff.reason(),
                handoff.detail(),
                handoff.summary(),
                transcript(events),
                notes(events),
                status,
                assignee,
                at);
    }

    private static List<InboxTicket.Note> notes(List<SessionEvent> events) {
        List<InboxTicket.Note> notes = new ArrayList<>();
        for (SessionEvent e : events) {
            if (e.payload() instanceof NoteAdded n) {
                notes.add(new InboxTicket.Note(n.agentId(), n.text(), e.at()));
            }
        }
        return notes;
    }

    private static List<Message> transcript(List<SessionEvent> events) {
        List<Message> transcript = new ArrayList<>();
        for (SessionEvent e : events) {
            Message m = Turn.messageOf(e.payload());
            if (m != null) {
                transcript.add(m);
            }
        }
        return transcript;
    }

    private static String ticketRef(TicketNumber ticket) {
        return "inbox-" + ticket.value();
    }

    private static String takeOverDetail(String agentId) {
        return "taken over from the AI by " + (agentId.isEmpty() ? "an agent" : agentId) + " in inspect mode";
    }

    /**
     * An agent answers the customer; claims the ticket first when nobody has. The reply is stored in
     * the session and delivered to the customer's channel by the outbox.
     */
    public void reply(TicketNumber ticket, String agentId, String text) {
        requireAgent(agentId);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("reply text is blank");
        }
        InboxTicket t = require(ticket);
        if (t.status() == InboxTicket.Status.RESOLVED) {
            throw new IllegalStateException("ticket " + ticket + " is resolved");
        }
        if (t.status() != InboxTicket.Status.CLAIMED) {
            claim(ticket, agentId);
        } else if (!t.assignee().equals(agentId)) {
            throw new IllegalStateException("ticket " + ticket + " is claimed by " + t.assignee());
        }
        listener()
                .agentReplied(
                        ticket,
                        agentId,
                        text,
                        "inbox-reply-" + ticket.value() + "-" + replySeq.incrementAndGet() + "-" + clock.millis());
        tickets.computeIfPresent(ticket, (k, x) -> {
            List<Message> all = new ArrayList<>(x.transcript());
            all.add(new Message(
                    "inbox-" + replySeq.get(),
                    dev.opencx.conversation.Author.AGENT,
                    agentId,
                    text,
                    List.of(),
                    "",
                    clock.instant()));
            return x.with(x.status(), x.assignee(), all, x.notes());
        });
        changed(ticket);
    }

    /**
     * Adds an internal note (never sent to the customer). OpenCX redacts its PII the way it redacts
     * customer messages and keeps it in the session's log ({@link NoteAdded}) before it shows, so it
     * survives restarts; the ticket's {@link InboxTicket#notes()} hold the stored (redacted) text.
     */
    public void note(TicketNumber ticket, String agentId, String text) {
        requireAgent(agentId);
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("note text is blank");
        }
        require(ticket);
        SessionEvent stored = listener().noteAdded(ticket, agentId, text);
        String kept = ((NoteAdded) stored.payload()).text();
        tickets.computeIfPresent(ticket, (k, x) -> {
            List<InboxTicket.Note> n = new ArrayList<>(x.notes());
            n.add(new InboxTicket.Note(agentId, kept, stored.at()));
            return x.with(x.status(), x.assignee(), x.transcript(), n);
        });
        changed(ticket);
    }

    /** Resolves a ticket (and its session). */
    public void resolve(TicketNumber ticket, String agentId) {
        requireAgent(agentId);
        require(ticket);
        listener().resolved(ticket, agentId);
        tickets.computeIfPresent(
                ticket,
                (k, x) -> x.with(
                        InboxTicket.Status.RESOLVED,
                        x.assignee().isEmpty() ? agentId : x.assignee(),
                        x.transcript(),
                        x.notes()));
        changed(ticket);
    }

    /** Called after every change of a ticket (for live UIs). */
    public void onChange(Consumer<InboxTicket> l) {
        changeListeners.add(Objects.requireNonNull(l, "listener"));
    }

    private void changed(TicketNumber ticket) {
        InboxTicket t = tickets.get(ticket);
        if (t != null) {
            for (Consumer<InboxTicket> l : changeListeners) {
                l.accept(t);
            }
        }
    }

    private InboxTicket require(TicketNumber ticket) {
        Objects.requireNonNull(ticket, "ticket");
        InboxTicket t = tickets.get(ticket);
        if (t == null) {
            throw new IllegalArgumentException("no ticket " + ticket + " in the inbox");
        }
        return t;
    }

    private HelpdeskContext listener() {
        HelpdeskContext l = listener;
        if (l == null) {
            throw new IllegalStateException("the inbox is not started: pass it to OpenCx.builder().helpdesk(...)");
        }
        return l;
    }

    private static void requireAgent(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("agent id is blank");
        }
    }

    /** Builds an {@link InboxHelpdesk}. */
    public static final class Builder {
        private ConversationStore store;
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /** The store to rebuild the queue from at start (recommended; the same store OpenCx uses). */
        public Builder store(ConversationStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public InboxHelpdesk build() {
            return new InboxHelpdesk(this);
        }
    }
}
