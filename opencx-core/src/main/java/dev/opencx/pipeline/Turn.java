package dev.opencx.pipeline;

import dev.opencx.action.PendingAction;
import dev.opencx.autopilot.AutopilotDecision;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.AgentReplied;
import dev.opencx.event.EventPayload;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.responder.Reply;
import dev.opencx.store.ConversationStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One customer message on its way through the pipeline. Steps fill it in as they go (contact,
 * session, stored message, autopilot decision, reply, handoff); interceptors read it, add
 * attributes, record events in the session log, or hand the session off.
 *
 * <p>A turn belongs to one thread at a time; it is not thread-safe, except {@link #record}.
 */
public final class Turn {
    /** How many earlier messages a turn reads when asked for its {@link #history()}. */
    public static final int HISTORY_MESSAGES = 50;

    /**
     * How many earlier messages the pipeline's own checks read ({@link #previousCustomerTexts()},
     * {@link #previousReplyText()}, {@link #previousPending()}): the detectors look at the recent
     * turns, and only a responder that asks for the {@link #history()} pays for the longer read.
     */
    public static final int RECENT_MESSAGES = 12;

    private final InboundMessage inbound;
    private final ConversationStore store;
    private final Map<String, Object> attributes = new HashMap<>();
    private Contact contact;
    private Session session;
    private Message message;
    private long messageSeq;
    private dev.opencx.store.StoredInbound duplicateOf;
    private String locale = "";
    private String topic = "";
    private AutopilotDecision decision;
    private Reply reply;
    private HandoffReason handoffReason;
    private String handoffDetail = "";
    private Map<String, Object> handoffEvidence = Map.of();
    private List<Message> history;
    private List<Message> recent;
    private PendingAction previousPending;
    private PendingAction leavePending;
    // record() may come from a responder's worker thread (a tool call that outlived its timeout)
    private final List<EventPayload> pending = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<OutboxItem> pendingOutbox = new ArrayList<>();

    /**
     * @param inbound the message as the channel delivered it
     * @param store where {@link #record} appends
     */
    public Turn(InboundMessage inbound, ConversationStore store) {
        this.inbound = Objects.requireNonNull(inbound, "inbound");
        this.store = Objects.requireNonNull(store, "store");
    }

    public InboundMessage inbound() {
        return inbound;
    }

    /** The contact, once the CONTACT step has run; null before. */
    public Contact contact() {
        return contact;
    }

    public void contact(Contact c) {
        this.contact = Objects.requireNonNull(c, "contact");
    }

    /** The session, once the SESSION step has run; null before. */
    public Session session() {
        return session;
    }

    public void session(Session s) {
        this.session = Objects.requireNonNull(s, "session");
    }

    /** The stored message, once the PERSIST step has run; null before. */
    public Message message() {
        return message;
    }

    /** Sequence number of the stored message in the session log, 0 before PERSIST. */
    public long messageSeq() {
        return messageSeq;
    }

    public void stored(Message m, long seq) {
        this.message = Objects.requireNonNull(m, "message");
        this.messageSeq = seq;
    }

    /**
     * For a message the channel had already delivered (outcome {@code DUPLICATE}): the message
     * stored the first time, whose ids answer the resend; empty otherwise.
     */
    public Optional<dev.opencx.store.StoredInbound> duplicateOf() {
        return Optional.ofNullable(duplicateOf);
    }

    public void duplicateOf(dev.opencx.store.StoredInbound original) {
        this.duplicateOf = Objects.requireNonNull(original, "original");
    }

    /** The language of the message (BCP 47), guessed or from the channel; empty when unknown. */
    public String locale() {
        return locale.isEmpty() && session != null ? session.locale() : locale;
    }

    public void locale(String l) {
        this.locale = l == null ? "" : l;
    }

    /** The classified topic, empty when none. */
    public String topic() {
        return topic;
    }

    public void topic(String t) {
        this.topic = t == null ? "" : t;
    }

    /** Autopilot's decision, null before the AUTOPILOT step. */
    public AutopilotDecision decision() {
        return decision;
    }

    public void decision(AutopilotDecision d) {
        this.decision = d;
    }

    /** The responder's reply, null before RESPONDER (or when it was skipped). */
    public Reply reply() {
        return reply;
    }

    public void reply(Reply r) {
        this.reply = r;
    }

    /**
     * Hands the session off: later steps skip the responder, and EMIT records the handoff and
     * opens a ticket. The first reason given wins.
     */
    public void handOff(HandoffReason reason, String detail, Map<String, Object> evidence) {
        if (handoffReason == null) {
            handoffReason = Objects.requireNonNull(reason, "reason");
            handoffDetail = detail == null ? "" : detail;
            handoffEvidence = evidence == null ? Map.of() : new LinkedHashMap<>(evidence);
        }
    }

    /** The handoff reason, null when the turn is not handed off. */
    public HandoffReason handoffReason() {
        return handoffReason;
    }

    public String handoffDetail() {
        return handoffDetail;
    }

    public Map<String, Object> handoffEvidence() {
        return handoffEvidence;
    }

    public boolean isHandedOff() {
        return handoffReason != null;
    }

    /** Free-form values interceptors share within one turn. */
    public Map<String, Object> attributes() {
        return attributes;
    }

    /**
     * Records an event in the session log (e.g. what your interceptor decided and why). Events of
     * the turn phase are written together with the turn's outcome, in one atomic append, when the
     * turn ends; in the intake phase they are written at once.
     *
     * @throws IllegalStateException before the SESSION step
     */
    public void record(EventPayload payload) {
        if (session == null) {
            throw new IllegalStateException("no session yet: record events after the SESSION step");
        }
        if (message == null) {
            store.append(session.id(), payload);
        } else {
            pending.add(java.util.Objects.requireNonNull(payload, "payload"));
        }
    }

    /**
     * Records the turn's outcome (a reply, a handoff, a forwarded message) with the outbox items it
     * causes; written with the rest of the turn's events when the turn ends.
     */
    public void stage(EventPayload outcome, List<OutboxItem> outbox) {
        pending.add(java.util.Objects.requireNonNull(outcome, "outcome"));
        pendingOutbox.addAll(outbox);
    }

    /** True when an outcome with outbox items (a reply, a handoff, a forward) has been staged. */
    public boolean hasStagedOutcome() {
        return !pendingOutbox.isEmpty();
    }

    /**
     * Writes every recorded and staged event, then {@code last}, with the staged outbox items, in
     * one atomic append. Called by OpenCX at the end of the turn.
     */
    public List<SessionEvent> commit(EventPayload last) {
        List<EventPayload> all;
        synchronized (pending) {
            all = new ArrayList<>(pending);
        }
        all.add(last);
        List<SessionEvent> written = store.appendAll(session.id(), all, List.copyOf(pendingOutbox));
        pending.clear();
        pendingOutbox.clear();
        return written;
    }

    /**
     * The session's earlier messages (customer, AI, agent), oldest first, excluding this one: the
     * newest {@value #HISTORY_MESSAGES}, so a long session costs a turn no more than a short one.
     */
    public List<Message> history() {
        if (session == null) {
            return List.of(); // not known yet: nothing to read, nothing to keep
        }
        if (history == null) {
            List<Message> r = recent();
            // fewer than asked for: the session has no older message
            history = r.size() < RECENT_MESSAGES ? r : read(HISTORY_MESSAGES);
        }
        return history;
    }

    /** The newest {@value #RECENT_MESSAGES} earlier messages, oldest first: the tail of {@link #history()}. */
    private List<Message> recent() {
        if (session == null) {
            return List.of();
        }
        if (recent == null) {
            recent = history != null
                    ? history.subList(Math.max(0, history.size() - RECENT_MESSAGES), history.size())
                    : read(RECENT_MESSAGES);
        }
        return recent;
    }

    private List<Message> read(int limit) {
        List<Message> out = new ArrayList<>();
        // only the message events, not the whole log (decisions, retrievals, deliveries)
        for (SessionEvent e : store.messageEvents(session.id(), messageSeq > 0 ? messageSeq : Long.MAX_VALUE, limit)) {
            Message m = messageOf(e.payload());
            if (m != null) {
                out.add(m);
                // only the last message can leave an action open for this one
                previousPending = e.payload() instanceof ReplySent rs ? rs.pending() : null;
            }
        }
        return List.copyOf(out);
    }

    /**
     * The action the AI's reply just before this message left open (asking for values or for a
     * yes), if that reply is the last message before this one; this message is its answer.
     */
    public Optional<PendingAction> previousPending() {
        recent();
        return Optional.ofNullable(previousPending);
    }

    /**
     * Leaves an action open with this turn's reply: stored with the reply when it is sent, it makes
     * the customer's next message its answer. Ignored when the turn ends in a handoff.
     */
    public void leavePending(PendingAction pending) {
        this.leavePending = pending;
    }

    /** The action this turn's reply leaves open, if any. */
    public Optional<PendingAction> leftPending() {
        return Optional.ofNullable(leavePending);
    }

    /** The customer's texts among the newest {@value #RECENT_MESSAGES} earlier messages, oldest first. */
    public List<String> previousCustomerTexts() {
        return recent().stream()
                .filter(m -> m.author() == Author.CUSTOMER)
                .map(Message::text)
                .toList();
    }

    /** The text of the last AI or agent message before this turn's message, {@code ""} when none. */
    public String previousReplyText() {
        List<Message> h = recent();
        for (int i = h.size() - 1; i >= 0; i--) {
            Author a = h.get(i).author();
            if (a == Author.AI || a == Author.AGENT) {
                return h.get(i).text();
            }
        }
        return "";
    }

    /** The message an event carries, or null. */
    public static Message messageOf(EventPayload p) {
        if (p instanceof MessageReceived mr) {
            return mr.message();
        } else if (p instanceof ReplySent rs) {
            return rs.message();
        } else if (p instanceof AgentReplied ar) {
            return ar.message();
        }
        return null;
    }
}
