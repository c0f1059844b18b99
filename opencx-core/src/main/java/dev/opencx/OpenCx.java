package dev.opencx;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.action.Action;
import dev.opencx.action.ActionContextProvider;
import dev.opencx.action.ActionInvoker;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ConfirmationDetector;
import dev.opencx.action.RuleBasedConfirmationDetector;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.EmbeddingTopicClassifier;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.AgentJoined;
import dev.opencx.event.AgentReplied;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.EventTypes;
import dev.opencx.event.HandoffDelivered;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ModuleEvent;
import dev.opencx.event.NoteAdded;
import dev.opencx.event.SessionClosed;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionResolved;
import dev.opencx.event.TurnCompleted;
import dev.opencx.handoff.FrustrationDetector;
import dev.opencx.handoff.Helpdesk;
import dev.opencx.handoff.HelpdeskContext;
import dev.opencx.handoff.HelpdeskListener;
import dev.opencx.handoff.HumanRequestDetector;
import dev.opencx.handoff.LexicalFrustrationDetector;
import dev.opencx.handoff.RuleBasedHumanRequestDetector;
import dev.opencx.i18n.Notices;
import dev.opencx.internal.AgentActions;
import dev.opencx.internal.Ids;
import dev.opencx.internal.MessageCap;
import dev.opencx.internal.Modules;
import dev.opencx.internal.Outbox;
import dev.opencx.internal.OutboxDispatcher;
import dev.opencx.internal.PiiGuard;
import dev.opencx.internal.RealChain;
import dev.opencx.internal.Runtime;
import dev.opencx.internal.SessionWorkers;
import dev.opencx.internal.Steps;
import dev.opencx.knowledge.CachingEmbeddingModel;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.ScenarioMatcher;
import dev.opencx.knowledge.TrainingScenario;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiVault;
import dev.opencx.pipeline.ConversationInterceptor;
import dev.opencx.pipeline.Step;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnListener;
import dev.opencx.pipeline.TurnResult;
import dev.opencx.pipeline.TurnResult.Outcome;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.responder.Responder;
import dev.opencx.responder.ResponderContext;
import dev.opencx.responder.ResponderFactory;
import dev.opencx.spi.OpenCxModule;
import dev.opencx.spi.SessionAccess;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.EventCodec;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.NewSession;
import dev.opencx.store.SessionQuery;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenCX client: one per application, shared, immutable, thread-safe.
 *
 * <pre>{@code
 * ApiChannel api = ApiChannel.create();
 * try (OpenCx cx = OpenCx.builder()
 *         .channel(api)
 *         .knowledge(knowledgeStore)              // help-center passages
 *         .embeddingModel(embeddingModel)         // for scenarios and topics
 *         .helpdesk(inbox)                        // where handoffs go
 *         .build()) {
 *     api.onReply(reply -> System.out.println(reply.text()));
 *     api.receive(Identity.email("ana@example.com"), "Where is my order?").join();
 * }
 * }</pre>
 *
 * <p>{@link #receive} returns once the message is durably stored; the turn (autopilot, responder,
 * handoff) then runs on the executor, one turn at a time per session and sessions in parallel.
 * Replies and helpdesk operations go through the store's outbox and are delivered with retries by
 * a dispatcher thread; after a crash, {@link Builder#build()} finishes what was stored but not yet
 * processed or delivered.
 */
public final class OpenCx implements InboundSink, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OpenCx.class);
    private static final int LOCK_STRIPES = 64;

    private final Runtime rt;
    private final List<ConversationInterceptor> intake;
    private final List<ConversationInterceptor> turnChain;
    private final SessionWorkers workers;
    private final OutboxDispatcher dispatcher;
    private final ExecutorService ownedExecutor;
    private final ReentrantLock[] stripes = new ReentrantLock[LOCK_STRIPES];
    private final List<AutoCloseable> owned;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final HelpdeskEvents helpdeskEvents = new HelpdeskEvents();
    private final Access access = new Access();

    private OpenCx(
            Builder b,
            Runtime rt,
            ExecutorService ownedExecutor,
            java.util.concurrent.Executor executor,
            List<AutoCloseable> owned) {
        this.rt = rt;
        this.ownedExecutor = ownedExecutor;
        this.owned = owned;
        for (int i = 0; i < LOCK_STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
        List<ConversationInterceptor> in = new ArrayList<>();
        List<ConversationInterceptor> turn = new ArrayList<>();
        for (Steps.BuiltIn step : Steps.all(rt)) {
            List<ConversationInterceptor> target = step.step().phase() == Step.Phase.INTAKE ? in : turn;
            target.addAll(b.interceptors.getOrDefault(step.step(), List.of()));
            target.add(step);
        }
        this.intake = List.copyOf(in);
        this.turnChain = List.copyOf(turn);
        this.workers = new SessionWorkers(executor);
        this.dispatcher = new OutboxDispatcher(rt, b.outboxSettings, access);
    }

    /** A builder with the embedded defaults. */
    public static Builder builder() {
        return new Builder();
    }

    private OpenCx start() {
        for (Channel c : rt.channels().values()) {
            c.start(new ChannelAccess(c.id()));
        }
        rt.helpdesk().start(helpdeskEvents);
        recoverPendingTurns();
        dispatcher.start();
        return this;
    }

    /**
     * Accepts a customer message. The future completes once the message is stored, or found to be a
     * resend of a message stored before under the same channel external id: then the receipt is
     * marked {@link ReceiveReceipt#duplicate()} and carries the original's ids. It fails with {@link
     * IllegalArgumentException} for a message that can never be accepted (among them {@link
     * SessionMessageLimitException}, when its session already holds {@link
     * Builder#maxMessagesPerSession} customer messages), with {@link
     * dev.opencx.channel.MessageIdConflictException} when the external id was used for a different
     * message (nothing is stored), and with a retriable {@link OpenCxException} when the store is
     * unreachable.
     */
    @Override
    public CompletableFuture<ReceiveReceipt> receive(InboundMessage message) {
        try {
            return CompletableFuture.completedFuture(receiveNow(message));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private ReceiveReceipt receiveNow(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (closed.get()) {
            throw new IllegalStateException("this OpenCx is closed");
        }
        if (!rt.channels().containsKey(message.channel())) {
            throw new IllegalArgumentException("unknown channel '" + message.channel() + "'; registered: "
                    + rt.channels().keySet());
        }
        if (message.text().length() > rt.maxMessageChars()) {
            throw new IllegalArgumentException("message of " + message.text().length()
                    + " characters exceeds the limit of " + rt.maxMessageChars() + " (OpenCx.Builder.maxMessageChars)");
        }
        String key = message.channel().value() + '\0' + message.from().key() + '\0' + message.threadId();
        ReentrantLock lock = stripes[Math.floorMod(key.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            Turn turn = new Turn(message, rt.store());
            TurnResult r = RealChain.run(intake, turn, t -> TurnResult.of(Outcome.ACCEPTED, t, "stored"));
            if (r.outcome() == Outcome.DUPLICATE) {
                LOG.debug("duplicate message on {} answered with the original's ids", message.channel());
                return turn.duplicateOf()
                        .map(o -> new ReceiveReceipt(
                                o.sessionId(), o.ticket(), o.message().id(), o.seq(), true))
                        .orElseGet(() -> new ReceiveReceipt(r.sessionId(), r.ticket(), r.messageId(), 0, true));
            }
            if (turn.message() == null) {
                // an intake interceptor stopped the chain before PERSIST
                return new ReceiveReceipt(r.sessionId(), r.ticket(), "", 0, false);
            }
            workers.submit(turn.session().id(), () -> runTurn(turn));
            return new ReceiveReceipt(
                    turn.session().id(), turn.session().ticket(), turn.message().id(), turn.messageSeq(), false);
        } finally {
            lock.unlock();
        }
    }

    private void runTurn(Turn turn) {
        long t0 = System.nanoTime();
        TurnResult result;
        String error = "";
        try {
            result = RealChain.run(
                    turnChain, turn, t -> TurnResult.of(Outcome.STOPPED, t, "no step replied or handed off"));
        } catch (RuntimeException e) {
            LOG.error("turn failed for session {}", turn.session().ticket(), e);
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
            result = TurnResult.of(Outcome.FAILED, turn, error);
            result = handOffAfterFailure(turn, error).orElse(result);
        }
        try {
            turn.commit(new TurnCompleted(
                    turn.messageSeq(), result.outcome().name(), error, (System.nanoTime() - t0) / 1000));
        } catch (RuntimeException e) {
            LOG.error(
                    "cannot record the end of a turn for session {}; it will be processed again after a restart",
                    turn.session().ticket(),
                    e);
            if (result.outcome() != Outcome.FAILED) {
                result = TurnResult.of(Outcome.FAILED, turn, "the turn's outcome could not be stored: " + e);
            }
        }
        dispatcher.signal();
        for (TurnListener l : rt.listeners()) {
            try {
                l.onTurnCompleted(result);
            } catch (RuntimeException e) {
                LOG.warn("turn listener {} threw", l.getClass().getName(), e);
            }
        }
    }

    /** A failed turn must not leave the customer without an answer: hand off when the AI still owns the session. */
    private Optional<TurnResult> handOffAfterFailure(Turn turn, String error) {
        try {
            if (turn.message() == null || turn.hasStagedOutcome()) {
                return Optional.empty();
            }
            Session fresh = rt.store().session(turn.session().id()).orElseThrow();
            if (fresh.state() != dev.opencx.conversation.SessionState.AI_ACTIVE) {
                return Optional.empty();
            }
            turn.session(fresh);
            if (turn.contact() == null) {
                turn.contact(rt.store().contact(fresh.contactId()).orElseThrow());
            }
            turn.handOff(dev.opencx.handoff.HandoffReason.RESPONDER_ERROR, "the pipeline failed: " + error, Map.of());
            return Optional.of(Steps.emitHandoff(rt, turn));
        } catch (RuntimeException e) {
            LOG.error(
                    "cannot hand off session {} after a failed turn",
                    turn.session().ticket(),
                    e);
            return Optional.empty();
        }
    }

    private void recoverPendingTurns() {
        int n = 0;
        for (Session s : rt.store().sessions(SessionQuery.pendingTurns())) {
            for (SessionEvent e : rt.store().events(s.id(), s.handledSeq(), Integer.MAX_VALUE)) {
                if (e.payload() instanceof MessageReceived mr) {
                    Contact c = rt.store().contact(s.contactId()).orElse(null);
                    if (c == null || c.identities().isEmpty()) {
                        continue;
                    }
                    Identity from = recipient(s, c);
                    InboundMessage in = InboundMessage.builder(s.channel())
                            .from(from)
                            .threadId(s.threadId())
                            .text(
                                    mr.message().text().isEmpty()
                                            ? " "
                                            : mr.message().text())
                            .externalId(mr.message().externalId())
                            .receivedAt(mr.message().at())
                            .build();
                    Turn turn = new Turn(in, rt.store());
                    turn.contact(c);
                    turn.session(s);
                    turn.stored(mr.message(), e.seq());
                    turn.locale(s.locale());
                    workers.submit(s.id(), () -> runTurn(turn));
                    n++;
                }
            }
        }
        if (n > 0) {
            LOG.info("resuming {} customer message(s) stored before the last shutdown", n);
        }
    }

    /** The store this client writes to. */
    public ConversationStore store() {
        return rt.store();
    }

    /** A session by id. */
    public Optional<Session> session(String sessionId) {
        return rt.store().session(sessionId);
    }

    /**
     * A session's event log: every message, decision and delivery, with the why. Events of the
     * registered modules' types come back as their records; events of types no module here
     * registered as {@link dev.opencx.event.UnknownEvent}s that keep their JSON.
     */
    public List<SessionEvent> events(String sessionId) {
        return rt.store().events(sessionId);
    }

    /**
     * The event types this client knows: core's and those its modules registered (e.g. to show any
     * event generically with {@link EventCodec#of(EventTypes)}).
     */
    public EventTypes eventTypes() {
        return rt.modules().eventTypes();
    }

    /**
     * Reads of sessions and timelines, and appends of module events with their outbox work, for
     * host-app code and the services of modules (outbox handlers get the same access as their
     * second argument, channels and helpdesks through their context).
     *
     * <pre>{@code
     * cx.sessionAccess().append(sessionId, new OrderFlagged("A-17", "chargeback"),
     *         List.of(new OutboxItem(RECHECK, "acme-orders", "recheck-A-17", "{\"orderId\":\"A-17\"}")));
     * }</pre>
     */
    public SessionAccess sessionAccess() {
        return access;
    }

    /** The names of the registered modules, in registration order. */
    public List<String> moduleNames() {
        return rt.modules().names();
    }

    /**
     * {@code text} of a session (e.g. a stored message) with the placeholders that the channel's PII
     * policy reveals to {@code destination} replaced by their real values; the rest stay
     * placeholders. Use it for your agent view ({@link PiiDestination#AGENT_VIEW}) and actions
     * ({@link PiiDestination#ACTION}).
     *
     * @throws IllegalArgumentException when the session does not exist
     */
    public String reveal(String sessionId, String text, PiiDestination destination) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(destination, "destination");
        Session s = rt.store()
                .session(Objects.requireNonNull(sessionId, "sessionId"))
                .orElseThrow(() -> new IllegalArgumentException("unknown session " + sessionId));
        return rt.pii().reveal(s.id(), s.channel(), text, destination);
    }

    /**
     * The display name of a session's contact as {@code destination} may see it (e.g. {@link
     * PiiDestination#AGENT_VIEW} for your agent UI). A name stored in clear is returned as it is; a
     * redacted one ({@link dev.opencx.pii.PiiRedactor#CONTACT_NAME}) is revealed from the session's
     * vault where the channel's PII policy allows, like {@link #reveal} does for message text.
     *
     * @throws IllegalArgumentException when the session does not exist
     */
    public String contactName(String sessionId, PiiDestination destination) {
        Objects.requireNonNull(destination, "destination");
        Session s = rt.store()
                .session(Objects.requireNonNull(sessionId, "sessionId"))
                .orElseThrow(() -> new IllegalArgumentException("unknown session " + sessionId));
        return rt.store()
                .contact(s.contactId())
                .map(c -> rt.pii().contactName(s, c, destination))
                .orElse("");
    }

    /**
     * The contact with this identity, created when there is none: for a channel that records a
     * customer before their first message (a chat widget's sign-in, a REST "create session"). The
     * display name of a new contact is stored as the channel's PII policy says: where names are
     * redacted the contact's name is the placeholder {@link dev.opencx.pii.PiiRedactor#CONTACT_NAME}
     * and the value is kept, sealed, in the vault of each of its sessions (pass it to {@link
     * #openSession} too). An existing contact keeps its name. Prefer this to {@code
     * store().findOrCreateContact}, which stores the name as given.
     */
    public Contact contact(ChannelId channel, Identity identity, String displayName) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(identity, "identity");
        String name = displayName == null ? "" : displayName.strip();
        return rt.store().findOrCreateContact(identity, rt.pii().nameToStore(channel, name));
    }

    /**
     * Opens a session before the contact's first message (a widget's "start chat"), and gives it the
     * contact's redacted name: copied from the contact's latest session, else {@code displayName}
     * (the name that came with the request; may be empty).
     */
    public Session openSession(NewSession session, String displayName) {
        Objects.requireNonNull(session, "session");
        Session s = rt.store().openSession(session);
        rt.store().contact(s.contactId()).ifPresent(c -> rt.pii()
                .shareContactName(s, c, displayName == null ? "" : displayName));
        return s;
    }

    /** The PII policy that applies to a channel ({@link PiiPolicy#off()} when redaction is off). */
    public PiiPolicy piiPolicy(ChannelId channel) {
        return rt.pii().policy(Objects.requireNonNull(channel, "channel"));
    }

    /** The ids of the registered channels. */
    public Set<ChannelId> channelIds() {
        return rt.channels().keySet();
    }

    /** The current autopilot policy. */
    public AutopilotPolicy autopilot() {
        return rt.policy().get();
    }

    /** Changes the autopilot policy at run time; applies to the next turns. */
    public AutopilotPolicy updateAutopilot(UnaryOperator<AutopilotPolicy> change) {
        return rt.policy().updateAndGet(p -> Objects.requireNonNull(change.apply(p), "new policy"));
    }

    /**
     * Where a helpdesk reports agents' actions (joined, replied, resolved). Helpdesks get it in
     * {@link Helpdesk#start}; it is public for host apps that drive a helpdesk themselves.
     */
    public HelpdeskListener helpdeskEvents() {
        return helpdeskEvents;
    }

    /** Resolves a session on OpenCX's side (the helpdesk, if any, is told). */
    public void resolve(String sessionId, String by) {
        Session s = rt.store()
                .session(sessionId)
                .orElseThrow(() -> new IllegalArgumentException("unknown session " + sessionId));
        List<OutboxItem> items = s.state().isOwnedByTeam()
                ? List.of(new OutboxItem(
                        OutboxKind.HELPDESK_RESOLVE, rt.helpdesk().name(), "resolve-" + s.id(), "{}"))
                : List.of();
        rt.store().append(s.id(), new SessionResolved(by), items);
        dispatcher.signal();
        tellChannel(s.id());
    }

    /** Tells the session's channel that the session changed outside a reply (see {@link Channel#sessionChanged}). */
    private void tellChannel(String sessionId) {
        Session s = rt.store().session(sessionId).orElse(null);
        Channel channel = s == null ? null : rt.channels().get(s.channel());
        if (channel == null) {
            return;
        }
        try {
            channel.sessionChanged(s);
        } catch (RuntimeException e) {
            LOG.warn("channel {} failed on a change of session {}: {}", channel.id(), s.ticket(), e.toString());
        }
    }

    /**
     * Waits until every accepted message has been processed and the outbox has nothing due (for
     * tests, scripts and graceful shutdown).
     *
     * @return true when idle, false when the timeout passed first
     */
    public boolean awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int idleChecks = 0;
        while (System.nanoTime() < deadline) {
            if (workers.inFlight() == 0 && dispatcher.isIdle()) {
                if (++idleChecks >= 2) {
                    return true;
                }
                dispatcher.signal();
            } else {
                idleChecks = 0;
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /**
     * Stops accepting messages, lets running turns finish (up to 10 s), stops the dispatcher (what
     * it has not delivered stays in the outbox for the next start), stops channels and the
     * helpdesk, and closes what the builder created itself. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (workers.inFlight() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        dispatcher.close();
        for (Channel c : rt.channels().values()) {
            closeQuietly(c);
        }
        closeQuietly(rt.helpdesk());
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        for (AutoCloseable c : owned) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed", c.getClass().getName(), e);
        }
    }

    /** What extensions (module outbox handlers, channels, helpdesks) read and write. */
    private class Access implements SessionAccess {
        @Override
        public Optional<Session> session(String sessionId) {
            return rt.store().session(Objects.requireNonNull(sessionId, "sessionId"));
        }

        @Override
        public Optional<Session> sessionByTicket(TicketNumber ticket) {
            return rt.store().sessionByTicket(Objects.requireNonNull(ticket, "ticket"));
        }

        @Override
        public List<SessionEvent> timeline(String sessionId) {
            return rt.store().events(Objects.requireNonNull(sessionId, "sessionId"));
        }

        @Override
        public List<SessionEvent> timeline(String sessionId, long afterSeq, int limit) {
            return rt.store().events(Objects.requireNonNull(sessionId, "sessionId"), afterSeq, limit);
        }

        @Override
        public Optional<Contact> contact(String contactId) {
            return rt.store().contact(Objects.requireNonNull(contactId, "contactId"));
        }

        @Override
        public Optional<Contact> findContact(Identity identity) {
            return rt.store().findContact(Objects.requireNonNull(identity, "identity"));
        }

        @Override
        public String reveal(String sessionId, String text, PiiDestination destination) {
            return OpenCx.this.reveal(sessionId, text, destination);
        }

        @Override
        public String notice(String key, String locale, Map<String, String> vars) {
            String text = rt.notices().apply(Objects.requireNonNull(key, "key"), locale);
            for (Map.Entry<String, String> v : vars.entrySet()) {
                text = text.replace("{" + v.getKey() + "}", v.getValue());
            }
            return text;
        }

        @Override
        public SessionEvent append(String sessionId, ModuleEvent event, List<OutboxItem> work) {
            Objects.requireNonNull(sessionId, "sessionId");
            Objects.requireNonNull(event, "event");
            List<OutboxItem> items = List.copyOf(Objects.requireNonNull(work, "work"));
            rt.modules().eventTypes().nameOf(event); // refuses a type no module registered
            for (OutboxItem i : items) {
                if (i.kind().isCore()) {
                    throw new IllegalArgumentException("outbox kind " + i.kind()
                            + " is queued by core only; queue work of a module kind (OutboxKind.of(\"acme.x\"))");
                }
            }
            SessionEvent stored = rt.store().append(sessionId, event, items);
            if (!items.isEmpty()) {
                dispatcher.signal();
            }
            return stored;
        }
    }

    /** The context a channel gets at start. */
    private final class ChannelAccess extends Access implements ChannelContext {
        private final ChannelId channel;

        ChannelAccess(ChannelId channel) {
            this.channel = channel;
        }

        @Override
        public CompletableFuture<ReceiveReceipt> receive(InboundMessage message) {
            return OpenCx.this.receive(message);
        }

        @Override
        public ChannelId channelId() {
            return channel;
        }

        @Override
        public Contact contact(Identity identity, String displayName) {
            return OpenCx.this.contact(channel, identity, displayName);
        }

        @Override
        public Optional<Session> findOpenSession(String contactId, String threadId) {
            return rt.store()
                    .findOpenSession(
                            Objects.requireNonNull(contactId, "contactId"),
                            channel,
                            Objects.requireNonNull(threadId, "threadId"));
        }

        @Override
        public Session openSession(NewSession session, String displayName) {
            Objects.requireNonNull(session, "session");
            if (!session.channel().equals(channel)) {
                throw new IllegalArgumentException(
                        "channel '" + channel + "' cannot open a session on channel '" + session.channel() + "'");
            }
            return OpenCx.this.openSession(session, displayName);
        }

        @Override
        public List<dev.opencx.outbox.OutboxEntry> outbox(String sessionId) {
            return rt.store().outbox(Objects.requireNonNull(sessionId, "sessionId"));
        }

        @Override
        public boolean dropsDeliveredPayloads() {
            return rt.store() instanceof InMemoryConversationStore;
        }

        @Override
        public SessionEvent deliveryUpdated(String sessionId, DeliveryUpdated update) {
            Objects.requireNonNull(update, "update");
            if (!update.channel().equals(channel.value())) {
                throw new IllegalArgumentException(
                        "channel '" + channel + "' cannot report deliveries of channel '" + update.channel() + "'");
            }
            return rt.store().append(ownSession(sessionId).id(), update);
        }

        @Override
        public void endSession(String sessionId, String reason) {
            Objects.requireNonNull(reason, "reason");
            Session s = ownSession(sessionId);
            if (s.state().isOpen()) {
                rt.store().append(s.id(), new SessionClosed(reason));
                tellChannel(s.id());
            }
        }

        private Session ownSession(String sessionId) {
            Session s = rt.store()
                    .session(Objects.requireNonNull(sessionId, "sessionId"))
                    .orElseThrow(() -> new IllegalArgumentException("unknown session " + sessionId));
            if (!s.channel().equals(channel)) {
                throw new IllegalArgumentException(
                        "session " + s.ticket() + " is on channel '" + s.channel() + "', not '" + channel + "'");
            }
            return s;
        }
    }

    private final class HelpdeskEvents extends Access implements HelpdeskContext {
        @Override
        public List<Session> sessions(SessionQuery query) {
            return rt.store().sessions(Objects.requireNonNull(query, "query"));
        }

        @Override
        public SessionEvent ticketOpened(String sessionId, String ticketRef) {
            Objects.requireNonNull(ticketRef, "ticketRef");
            if (ticketRef.isBlank()) {
                throw new IllegalArgumentException("ticket reference is blank");
            }
            Session s = rt.store()
                    .session(Objects.requireNonNull(sessionId, "sessionId"))
                    .orElseThrow(() -> new IllegalArgumentException("unknown session " + sessionId));
            return rt.store().append(s.id(), new HandoffDelivered(rt.helpdesk().name(), ticketRef));
        }

        @Override
        public void agentJoined(TicketNumber ticket, String agentId) {
            Session s = byTicket(ticket);
            rt.store().append(s.id(), new AgentJoined(requireAgent(agentId)));
            tellChannel(s.id());
        }

        @Override
        public void agentReplied(TicketNumber ticket, String agentId, String text, String externalId) {
            Session s = byTicket(ticket);
            requireAgent(agentId);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("agent reply for " + ticket + " is blank");
            }
            String ext = externalId == null ? "" : externalId;
            if (!ext.isEmpty()) {
                for (SessionEvent e : rt.store().events(s.id())) {
                    if (e.payload() instanceof AgentReplied ar
                            && ar.message().externalId().equals(ext)) {
                        return; // a redelivered webhook
                    }
                }
            }
            Contact c = rt.store().contact(s.contactId()).orElseThrow();
            Identity to = recipient(s, c);
            // an agent may quote the customer's data: the log keeps placeholders, the customer gets the values back
            PiiGuard.Outcome redacted = rt.pii().redact(s.id(), s.channel(), text);
            String stored = redacted.text();
            Message m = new Message(
                    Ids.newId(),
                    Author.AGENT,
                    agentId,
                    stored,
                    List.of(),
                    ext,
                    rt.clock().instant());
            OutboundMessage out = new OutboundMessage(
                    m.id(),
                    s.id(),
                    s.ticket(),
                    s.channel(),
                    to,
                    s.threadId(),
                    OutboundMessage.Kind.AGENT_REPLY,
                    Author.AGENT,
                    agentId,
                    redacted.reversible() ? stored : text, // one-way redaction cannot restore: send as written
                    List.of(),
                    "",
                    "msg-" + m.id());
            rt.store()
                    .append(
                            s.id(),
                            new AgentReplied(m),
                            List.of(new OutboxItem(
                                    OutboxKind.CHANNEL_SEND,
                                    s.channel().value(),
                                    out.idempotencyKey(),
                                    Outbox.json(out))));
            dispatcher.signal();
        }

        @Override
        public SessionEvent noteAdded(TicketNumber ticket, String agentId, String text) {
            Session s = byTicket(ticket);
            requireAgent(agentId);
            if (text == null || text.isBlank()) {
                throw new IllegalArgumentException("note for " + ticket + " is blank");
            }
            // redacted like the customer's messages: the log holds placeholders, agents see what AGENT_VIEW reveals
            String stored = rt.pii().redact(s.id(), s.channel(), text).text();
            return rt.store().append(s.id(), new NoteAdded(agentId, stored));
        }

        @Override
        public void resolved(TicketNumber ticket, String agentId) {
            Session s = byTicket(ticket);
            if (s.state().isOpen()) {
                rt.store().append(s.id(), new SessionResolved(requireAgent(agentId)));
                tellChannel(s.id());
            }
        }

        private Session byTicket(TicketNumber ticket) {
            Objects.requireNonNull(ticket, "ticket");
            return rt.store()
                    .sessionByTicket(ticket)
                    .orElseThrow(() -> new IllegalArgumentException("unknown ticket " + ticket));
        }

        private String requireAgent(String agentId) {
            if (agentId == null || agentId.isBlank()) {
                throw new IllegalArgumentException("agent id is blank");
            }
            return agentId;
        }
    }

    /**
     * The identity to answer on the session's channel: the contact's first identity of the first
     * type the channel answers on ({@link Channel#answersOn()}), else its first identity.
     */
    private Identity recipient(Session s, Contact c) {
        Channel channel = rt.channels().get(s.channel());
        List<IdentityType> wanted = channel == null ? List.of() : channel.answersOn();
        for (IdentityType type : wanted) {
            for (Identity i : c.identities()) {
                if (i.type() == type) {
                    return i;
                }
            }
        }
        return c.identities().get(0);
    }

    /**
     * Configures an {@link OpenCx}. Defaults: an in-memory store (not durable — use {@code
     * JdbcConversationStore} for that), autopilot on with the BALANCED preset, the rule-based
     * detectors, the {@link EmbeddedResponder} over the knowledge store and scenarios, no helpdesk
     * (handoffs are recorded in the session log only), a pool of named turn threads.
     */
    public static final class Builder {
        private ConversationStore store;
        private final Map<ChannelId, Channel> channels = new LinkedHashMap<>();
        private Helpdesk helpdesk;
        private Responder responder;
        private ResponderFactory responderFactory;
        private KnowledgeStore knowledge;
        private ActionRegistry actions;
        private ActionInvoker actionExecutor;
        private Function<Contact, Set<String>> actionSegments = contact -> Set.of();
        private ActionContextProvider actionContext = ActionContextProvider.NONE;
        private Duration pendingActionTtl = Duration.ofMinutes(10);
        private ConfirmationDetector confirmationDetector = new RuleBasedConfirmationDetector();
        private EmbeddingModel embeddingModel;
        private final List<TrainingScenario> scenarios = new ArrayList<>();
        private double scenarioThreshold = ScenarioMatcher.DEFAULT_THRESHOLD;
        private EmbeddedResponder.ConfidenceModel confidenceModel = EmbeddedResponder.ConfidenceModel.defaults();
        private AutopilotPolicy policy = AutopilotPolicy.defaults();
        private final List<Topic> topics = new ArrayList<>();
        private TopicClassifier topicClassifier;
        private java.util.function.Function<EmbeddingModel, ? extends TopicClassifier> topicClassifierFactory;
        private final List<String> prohibitedTopics = new ArrayList<>();
        private HumanRequestDetector humanRequestDetector;
        private FrustrationDetector frustrationDetector;
        private java.util.concurrent.Executor executor;
        private Clock clock = Clock.systemUTC();
        private int maxMessageChars = 16_000;
        private int maxMessagesPerSession = 2_000;
        private final List<TurnListener> listeners = new ArrayList<>();
        private final EnumMap<Step, List<ConversationInterceptor>> interceptors = new EnumMap<>(Step.class);
        private OutboxDispatcher.Settings outboxSettings = OutboxDispatcher.Settings.defaults();
        private final Notices.Builder notices = Notices.builder();
        private final Map<ChannelId, List<String>> channelProhibitedTopics = new LinkedHashMap<>();
        private PiiDetector piiDetector;
        private PiiPolicy piiPolicy = PiiPolicy.defaults();
        private final Map<ChannelId, PiiPolicy> channelPiiPolicies = new LinkedHashMap<>();
        private PiiVault piiVault;
        private final Map<String, OpenCxModule> modules = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a module: {@code build()} calls its {@link OpenCxModule#setUp} to register its event
         * types and outbox handlers, in the order the modules were added. Default: none.
         *
         * @throws IllegalArgumentException when a module with the same name was already added
         */
        public Builder module(OpenCxModule module) {
            Objects.requireNonNull(module, "module");
            String name = Objects.requireNonNull(module.name(), "module name");
            if (name.isBlank()) {
                throw new IllegalArgumentException("module " + module.getClass().getName() + " has a blank name");
            }
            OpenCxModule before = modules.putIfAbsent(name, module);
            if (before != null) {
                throw new IllegalArgumentException("a module named '" + name + "' was already added ("
                        + before.getClass().getName() + "); module names must be unique");
            }
            return this;
        }

        /** Adds several modules, in order (see {@link #module(OpenCxModule)}). */
        public Builder modules(OpenCxModule... modules) {
            for (OpenCxModule m : modules) {
                module(m);
            }
            return this;
        }

        /** Adds several modules, in order (see {@link #module(OpenCxModule)}). */
        public Builder modules(List<? extends OpenCxModule> modules) {
            for (OpenCxModule m : modules) {
                module(m);
            }
            return this;
        }

        /** Where conversations live (default: in memory, lost on exit). */
        public Builder store(ConversationStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /** Adds a channel; its id must be unique. */
        public Builder channel(Channel channel) {
            Objects.requireNonNull(channel, "channel");
            if (channels.putIfAbsent(channel.id(), channel) != null) {
                throw new IllegalArgumentException("channel '" + channel.id() + "' was already added");
            }
            return this;
        }

        /** Where handoffs go (e.g. the built-in inbox). Default: none, handoffs are only logged. */
        public Builder helpdesk(Helpdesk helpdesk) {
            this.helpdesk = Objects.requireNonNull(helpdesk, "helpdesk");
            return this;
        }

        /**
         * Replaces the default {@link EmbeddedResponder} with a responder you made and own (close it
         * yourself). Replaces an earlier {@link #responder(ResponderFactory)}.
         */
        public Builder responder(Responder responder) {
            this.responder = Objects.requireNonNull(responder, "responder");
            this.responderFactory = null;
            return this;
        }

        /**
         * Replaces the default {@link EmbeddedResponder} with one made at {@link #build()} from this
         * builder's knowledge store, scenarios and embedding model, e.g. {@code
         * responder(LlmResponder.builder().chatModel(model))}. The client owns it: an {@link
         * AutoCloseable} responder is closed with the client. Replaces an earlier {@link
         * #responder(Responder)}.
         */
        public Builder responder(ResponderFactory factory) {
            this.responderFactory = Objects.requireNonNull(factory, "responder factory");
            this.responder = null;
            return this;
        }

        /** The knowledge the default responder answers from. */
        public Builder knowledge(KnowledgeStore knowledge) {
            this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
            return this;
        }

        /**
         * The customer's APIs the AI may call, through this invoker (e.g. {@code ActionExecutor} from {@code opencx-actions-http}; you own it: close it after
         * the client). Each turn a responder is offered the actions that are visible and enabled for
         * the session's channel and the contact's {@link #actionSegments segments}; the LLM
         * responder gets them as tools, the embedded responder matches them from the message (their
         * description and {@link dev.opencx.action.ActionSettings#examples() examples}). An action
         * that {@link Action#requiresConfirmation() requires confirmation} is proposed with its
         * values and called only after an explicit yes in the customer's next message.
         */
        public Builder actions(ActionRegistry actions, ActionInvoker executor) {
            this.actions = Objects.requireNonNull(actions, "actions");
            this.actionExecutor = Objects.requireNonNull(executor, "action executor");
            return this;
        }

        /**
         * The segments of a contact ({@code vip}, {@code trial}), for actions enabled for some
         * segments only; by default a contact is in none, so only actions for every contact are
         * offered.
         */
        public Builder actionSegments(Function<Contact, Set<String>> segments) {
            this.actionSegments = Objects.requireNonNull(segments, "action segments");
            return this;
        }

        /**
         * Adds the contact's own credentials ({@link dev.opencx.action.ActionAuth#perContactBearer()})
         * and {@code contact.attribute.*} values to each action call, looked up by your application
         * at call time; never shown to the model or logged.
         */
        public Builder actionContext(ActionContextProvider provider) {
            this.actionContext = Objects.requireNonNull(provider, "action context provider");
            return this;
        }

        /**
         * How long the AI's question about an action (a missing value, "shall I go ahead?") stays
         * open; an answer after that does nothing (default 10 minutes).
         */
        public Builder pendingActionTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "pending action ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("pending action ttl must be positive, was " + ttl);
            }
            this.pendingActionTtl = ttl;
            return this;
        }

        /** Reads the customer's yes or no to a proposed action (default {@link RuleBasedConfirmationDetector}). */
        public Builder confirmationDetector(ConfirmationDetector detector) {
            this.confirmationDetector = Objects.requireNonNull(detector, "confirmation detector");
            return this;
        }

        /**
         * The embedding model for scenarios and topic classification (any LangChain4j model). It is
         * wrapped in a {@link CachingEmbeddingModel} so a message is embedded once per turn; pass
         * the same wrapped instance to your knowledge store to share that cache with search.
         */
        public Builder embeddingModel(EmbeddingModel model) {
            this.embeddingModel = CachingEmbeddingModel.wrap(Objects.requireNonNull(model, "embeddingModel"), 4096);
            return this;
        }

        /** Training scenarios (BEHAVIORAL rules and SCENARIO_SPECIFIC exact answers). */
        public Builder scenarios(List<TrainingScenario> scenarios) {
            this.scenarios.addAll(scenarios);
            return this;
        }

        /** Similarity a message needs to trigger a scenario (default 0.80). */
        public Builder scenarioThreshold(double threshold) {
            if (Double.isNaN(threshold) || threshold <= 0 || threshold > 1) {
                throw new IllegalArgumentException("scenarioThreshold must be within (0, 1], was " + threshold);
            }
            this.scenarioThreshold = threshold;
            return this;
        }

        /**
         * The embedded responder's confidence model (default: fitted on StackFAQ and the quickstart's
         * calibration questions). Fit one for your help center with {@code opencx-eval calibrate}.
         */
        public Builder confidenceModel(EmbeddedResponder.ConfidenceModel model) {
            this.confidenceModel = Objects.requireNonNull(model, "confidenceModel");
            return this;
        }

        /** The autopilot policy (default: on everywhere, BALANCED). */
        public Builder autopilot(AutopilotPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Topics for topic gates; classified with the embedding model unless a classifier is set. */
        public Builder topics(List<Topic> topics) {
            this.topics.addAll(topics);
            return this;
        }

        /** A topic classifier of your own (replaces the embedding classifier over {@link #topics}). */
        public Builder topicClassifier(TopicClassifier classifier) {
            this.topicClassifier = Objects.requireNonNull(classifier, "topicClassifier");
            return this;
        }

        /**
         * A topic classifier built at {@code build()} over the shared (caching) {@link
         * #embeddingModel(EmbeddingModel) embedding model}, so the message is embedded once per turn
         * for scenarios, topics and knowledge: {@code .topicClassifierFactory(m ->
         * TrainedTopicClassifier.builder(m).addTopics(topics).build())}. Replaces the embedding
         * classifier over {@link #topics}; needs an embedding model.
         */
        public Builder topicClassifierFactory(
                java.util.function.Function<EmbeddingModel, ? extends TopicClassifier> factory) {
            this.topicClassifierFactory = Objects.requireNonNull(factory, "topicClassifier factory");
            return this;
        }

        /** Prohibited topics in plain language, one per entry ("medical advice"); a match hands off. */
        public Builder prohibitedTopics(List<String> descriptions) {
            for (String d : descriptions) {
                if (d == null || d.isBlank()) {
                    throw new IllegalArgumentException("prohibited topic is blank");
                }
                prohibitedTopics.add(d.strip());
            }
            return this;
        }

        /**
         * Prohibited topics of one channel, replacing the global {@link #prohibitedTopics} there; an
         * empty list means none on that channel.
         */
        public Builder prohibitedTopics(ChannelId channel, List<String> descriptions) {
            Objects.requireNonNull(channel, "channel");
            List<String> clean = new ArrayList<>();
            for (String d : descriptions) {
                if (d == null || d.isBlank()) {
                    throw new IllegalArgumentException("prohibited topic for channel '" + channel + "' is blank");
                }
                clean.add(d.strip());
            }
            if (channelProhibitedTopics.putIfAbsent(channel, List.copyOf(clean)) != null) {
                throw new IllegalArgumentException("prohibited topics for channel '" + channel + "' were already set");
            }
            return this;
        }

        /**
         * Turns on PII redaction: every customer message is scanned by {@code detector} (e.g. {@code
         * BuiltInPiiDetectors.all()} from {@code opencx-pii}) and what {@code policy} redacts is
         * replaced by typed placeholders ({@code [EMAIL_1]}) before the message is stored, logged or
         * shown to the AI. Default: off. Add {@link #piiVault} so real values can be restored for
         * the helpdesk, agents, actions and the customer where the policy allows.
         */
        public Builder pii(PiiDetector detector, PiiPolicy policy) {
            this.piiDetector = Objects.requireNonNull(detector, "detector");
            this.piiPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The PII policy of one channel, replacing the default of {@link #pii} there ({@link PiiPolicy#off()} to disable). */
        public Builder piiPolicy(ChannelId channel, PiiPolicy policy) {
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(policy, "policy");
            if (channelPiiPolicies.putIfAbsent(channel, policy) != null) {
                throw new IllegalArgumentException("the PII policy of channel '" + channel + "' was already set");
            }
            return this;
        }

        /**
         * Makes redaction reversible: values behind placeholders are sealed with this vault's key and
         * kept in the store (it must support the PII vault, as the in-memory and JDBC stores do).
         * Without a vault, redaction is one-way.
         */
        public Builder piiVault(PiiVault vault) {
            this.piiVault = Objects.requireNonNull(vault, "vault");
            return this;
        }

        public Builder humanRequestDetector(HumanRequestDetector detector) {
            this.humanRequestDetector = Objects.requireNonNull(detector, "humanRequestDetector");
            return this;
        }

        public Builder frustrationDetector(FrustrationDetector detector) {
            this.frustrationDetector = Objects.requireNonNull(detector, "frustrationDetector");
            return this;
        }

        /** Runs turns (default: a pool of daemon threads named {@code opencx-turn-N}, closed with the client). */
        public Builder executor(java.util.concurrent.Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Longest customer message accepted, in characters (default 16,000). */
        public Builder maxMessageChars(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxMessageChars must be >= 1, was " + max);
            }
            this.maxMessageChars = max;
            return this;
        }

        /**
         * The most customer messages one session takes (default 2,000; checked by {@link #build()}:
         * at least 1). One more is refused with {@link SessionMessageLimitException}, an {@link
         * IllegalArgumentException}, before anything of it is stored: the web and REST API channels
         * answer {@code 429 session_message_limit}, and a new session starts once the full one is
         * resolved or closed. It bounds what one conversation can make the store, the inbox and
         * every turn's history read.
         */
        public Builder maxMessagesPerSession(int max) {
            this.maxMessagesPerSession = max;
            return this;
        }

        public Builder listener(TurnListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Adds an interceptor before the AUTOPILOT step. */
        public Builder interceptor(ConversationInterceptor interceptor) {
            return interceptor(Step.AUTOPILOT, interceptor);
        }

        /** Adds an interceptor right before a built-in step (after earlier ones added there). */
        public Builder interceptor(Step before, ConversationInterceptor interceptor) {
            Objects.requireNonNull(before, "before");
            interceptors
                    .computeIfAbsent(before, k -> new ArrayList<>())
                    .add(Objects.requireNonNull(interceptor, "interceptor"));
            return this;
        }

        /** Outbox delivery: attempts before giving up, first and longest backoff. */
        public Builder outboxRetries(int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
            }
            if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
                throw new IllegalArgumentException(
                        "backoff must satisfy 0 <= initial <= max, was " + initialBackoff + " / " + maxBackoff);
            }
            var d = outboxSettings;
            this.outboxSettings = new OutboxDispatcher.Settings(
                    maxAttempts, initialBackoff, maxBackoff, d.pollInterval(), d.lease(), d.batchSize());
            return this;
        }

        /**
         * Overrides one customer-facing text in one locale ({@code "de"}; {@code "pt-BR"} for that
         * region only), ahead of every bundle. The keys and their placeholders are those of {@code
         * dev/opencx/i18n/notices_en.properties}: {@code handoff} ({@code {ticket}}), {@code
         * cannot_help}, and the texts of actions: {@code action_confirm} ({@code {action}}, {@code
         * {values}}), {@code action_ask} ({@code {action}}, {@code {parameter}}), {@code action_done}
         * ({@code {action}}, {@code {values}}), {@code action_found} ({@code {action}}, {@code
         * {fields}}), {@code action_more} ({@code {count}}), {@code action_failed} ({@code {action}},
         * {@code {reason}}), {@code action_not_found}, {@code action_declined}, {@code
         * action_expired}. OpenCX ships them in en, es, fr, de and pt; a customer gets the session's
         * language, else its language without the region, else English.
         *
         * @throws IllegalArgumentException if the text is blank or the locale names no language; an
         *     unknown key fails {@link #build()}, naming the known keys
         */
        public Builder notice(String key, String locale, String text) {
            notices.override(key, locale, text);
            return this;
        }

        /**
         * Your own resource bundle of customer-facing texts, read with this class's class loader:
         * {@code notices("com.example.support.texts")} reads {@code
         * com/example/support/texts_de.properties} (UTF-8) and the like. Any key it defines in a locale
         * wins over OpenCX's text in that locale; keys it leaves out keep OpenCX's. Later calls win over
         * earlier ones; {@link #notice(String, String, String)} wins over all bundles.
         *
         * @throws IllegalArgumentException if the base name is blank
         */
        public Builder notices(String baseName) {
            return notices(baseName, OpenCx.class.getClassLoader());
        }

        /** Like {@link #notices(String)}, with the class loader that sees the bundle. */
        public Builder notices(String baseName, ClassLoader loader) {
            notices.overrideBundle(baseName, loader);
            return this;
        }

        /**
         * @throws IllegalStateException when no channel was added, or no responder can be made
         * @throws IllegalArgumentException when a {@link #notice(String, String, String) notice} names an
         *     unknown key
         */
        public OpenCx build() {
            if (channels.isEmpty()) {
                throw new IllegalStateException(
                        "add at least one channel: OpenCx.builder().channel(ApiChannel.create())");
            }
            if (maxMessagesPerSession < 1) {
                throw new IllegalArgumentException(
                        "maxMessagesPerSession must be at least 1, was " + maxMessagesPerSession);
            }
            Modules mods = Modules.setUp(List.copyOf(modules.values()));
            Notices.Builder allNotices = notices.copy();
            mods.noticeBundles().forEach(b -> allNotices.bundle(b.baseName(), b.loader()));
            BiFunction<String, String, String> noticeFn = allNotices.build()::text;
            List<AutoCloseable> owned = new ArrayList<>();
            ConversationStore s = store;
            if (s == null) {
                s = new InMemoryConversationStore(clock);
                owned.add(s);
                LOG.info("no store configured: conversations are kept in memory only");
            }
            Responder r = responder;
            if (r == null && responderFactory != null) {
                r = Objects.requireNonNull(
                        responderFactory.create(
                                new ResponderContext(knowledge, matcher(), embeddingModel, prohibitedTopics, actions)),
                        "the responder factory returned null");
                if (r instanceof AutoCloseable c) {
                    owned.add(c);
                }
            }
            if (r == null) {
                if (knowledge == null) {
                    throw new IllegalStateException(
                            "set a knowledge store (for the embedded responder) or a responder");
                }
                ScenarioMatcher matcher = matcher();
                EmbeddedResponder.Builder eb = EmbeddedResponder.builder()
                        .knowledge(knowledge)
                        .scenarios(matcher)
                        .confidence(confidenceModel);
                if (actions != null && !actions.isEmpty()) {
                    if (embeddingModel == null) {
                        throw new IllegalStateException(
                                "the embedded responder matches actions by meaning: set an embedding model, or use an LLM responder");
                    }
                    eb.actions(actions, embeddingModel);
                }
                r = eb.build();
            }
            for (String gated : policy.gates().keySet()) {
                if (topics.stream().noneMatch(t -> t.name().equals(gated))
                        && topicClassifier == null
                        && topicClassifierFactory == null) {
                    throw new IllegalStateException(
                            "autopilot gates topic '" + gated + "' but no such topic was configured; topics: "
                                    + topics.stream().map(Topic::name).toList());
                }
            }
            TopicClassifier tc = topicClassifier;
            if (tc == null && topicClassifierFactory != null) {
                if (embeddingModel == null) {
                    throw new IllegalStateException("a topic classifier factory needs an embedding model");
                }
                tc = Objects.requireNonNull(
                        topicClassifierFactory.apply(embeddingModel), "topic classifier factory returned null");
            }
            if (tc == null && !topics.isEmpty()) {
                if (embeddingModel == null) {
                    throw new IllegalStateException("topics need an embedding model or a topic classifier");
                }
                tc = EmbeddingTopicClassifier.builder(embeddingModel)
                        .addTopics(topics)
                        .build();
            }
            TopicClassifier prohibited = null;
            if (!prohibitedTopics.isEmpty()) {
                if (embeddingModel == null) {
                    throw new IllegalStateException("prohibited topics need an embedding model");
                }
                List<Topic> pts = prohibitedTopics.stream()
                        .map(d -> new Topic(d, d, List.of(d)))
                        .toList();
                prohibited = EmbeddingTopicClassifier.builder(embeddingModel)
                        .addTopics(pts)
                        .threshold(0.62)
                        .build();
            }
            Map<ChannelId, Optional<TopicClassifier>> channelProhibited = new LinkedHashMap<>();
            for (Map.Entry<ChannelId, List<String>> e : channelProhibitedTopics.entrySet()) {
                if (!channels.containsKey(e.getKey())) {
                    throw new IllegalStateException("prohibited topics were set for channel '" + e.getKey()
                            + "', which was not added; channels: " + channels.keySet());
                }
                if (e.getValue().isEmpty()) {
                    channelProhibited.put(e.getKey(), Optional.empty());
                    continue;
                }
                if (embeddingModel == null) {
                    throw new IllegalStateException("prohibited topics need an embedding model");
                }
                channelProhibited.put(
                        e.getKey(),
                        Optional.of(EmbeddingTopicClassifier.builder(embeddingModel)
                                .addTopics(e.getValue().stream()
                                        .map(d -> new Topic(d, d, List.of(d)))
                                        .toList())
                                .threshold(0.62)
                                .build()));
            }
            for (ChannelId c : channelPiiPolicies.keySet()) {
                if (!channels.containsKey(c)) {
                    throw new IllegalStateException("a PII policy was set for channel '" + c
                            + "', which was not added; channels: " + channels.keySet());
                }
            }
            if (piiDetector == null && (!channelPiiPolicies.isEmpty() || piiVault != null)) {
                throw new IllegalStateException(
                        "a PII policy or vault was set but no detector: call pii(detector, policy), e.g. with BuiltInPiiDetectors.all()");
            }
            if (piiDetector != null) {
                try {
                    s.vaultEntries("opencx-capability-probe");
                } catch (UnsupportedOperationException e) {
                    throw new IllegalStateException(
                            "PII redaction keeps placeholders in the store, but "
                                    + s.getClass().getName() + " does not support the PII vault",
                            e);
                } catch (IllegalArgumentException expected) {
                    // the probe session does not exist: the capability is there
                }
            }
            s.registerEventTypes(mods.eventTypes());
            PiiGuard pii = new PiiGuard(piiDetector, piiPolicy, channelPiiPolicies, piiVault, s);
            Helpdesk h = helpdesk != null ? helpdesk : new LogOnlyHelpdesk();
            ExecutorService ownedExec = null;
            java.util.concurrent.Executor exec = executor;
            if (exec == null) {
                ownedExec = Executors.newFixedThreadPool(
                        Math.max(2, java.lang.Runtime.getRuntime().availableProcessors()), named("opencx-turn-"));
                exec = ownedExec;
            }
            Runtime rt = new Runtime(
                    s,
                    Map.copyOf(channels),
                    h,
                    r,
                    new AtomicReference<>(policy),
                    tc,
                    prohibited,
                    humanRequestDetector != null
                            ? humanRequestDetector
                            : RuleBasedHumanRequestDetector.builder().build(),
                    frustrationDetector != null
                            ? frustrationDetector
                            : LexicalFrustrationDetector.builder().build(),
                    clock,
                    maxMessageChars,
                    List.copyOf(listeners),
                    noticeFn,
                    pii,
                    Map.copyOf(channelProhibited),
                    actions == null
                            ? null
                            : new AgentActions(
                                    actions,
                                    actionExecutor,
                                    actionSegments,
                                    actionContext,
                                    pendingActionTtl,
                                    confirmationDetector),
                    new MessageCap(maxMessagesPerSession),
                    mods);
            return new OpenCx(this, rt, ownedExec, exec, owned).start();
        }

        private ScenarioMatcher matcher() {
            if (scenarios.isEmpty()) {
                return null;
            }
            if (embeddingModel == null) {
                throw new IllegalStateException("training scenarios need an embedding model: call embeddingModel(...)");
            }
            return new ScenarioMatcher(embeddingModel, scenarios, scenarioThreshold);
        }

        private static ThreadFactory named(String prefix) {
            AtomicInteger n = new AtomicInteger();
            return task -> {
                Thread t = new Thread(task, prefix + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            };
        }
    }

    /** The helpdesk used when none is configured: handoffs stay in the session log. */
    private static final class LogOnlyHelpdesk implements Helpdesk {
        private final AtomicBoolean warned = new AtomicBoolean();

        @Override
        public String name() {
            return "none";
        }

        @Override
        public String openTicket(dev.opencx.handoff.HandoffTicket ticket) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn(
                        "session {} was handed off ({}) but no helpdesk is configured: see OpenCx.Builder.helpdesk",
                        ticket.ticket(),
                        ticket.reason());
            }
            return "";
        }

        @Override
        public void appendMessage(String ticketRef, TicketNumber ticket, Message message) {}
    }
}
