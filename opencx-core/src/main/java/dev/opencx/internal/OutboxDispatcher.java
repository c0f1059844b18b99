package dev.opencx.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.HandoffDelivered;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pipeline.Turn;
import dev.opencx.spi.SessionAccess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers outbox entries (channel sends, helpdesk tickets, modules' work through their handlers)
 * on its own thread, with exponential backoff and jitter, in order per session (and per module kind).
 * An entry of a kind that no module here handles stays pending, with one warning per kind. Entries survive crashes in the store: whatever was not
 * marked delivered is claimed again after its lease runs out.
 */
public final class OutboxDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OutboxDispatcher.class);

    /** Delivery settings. */
    public record Settings(
            int maxAttempts,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration pollInterval,
            Duration lease,
            int batchSize) {
        public static Settings defaults() {
            return new Settings(
                    10,
                    Duration.ofMillis(500),
                    Duration.ofMinutes(5),
                    Duration.ofMillis(250),
                    Duration.ofSeconds(60),
                    64);
        }
    }

    private final Runtime rt;
    private final Settings settings;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    private volatile boolean running = true;
    private volatile boolean busy;
    private volatile boolean lastPollEmpty;
    private boolean signalled;
    private final Set<Long> retrying = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Set<OutboxKind> warnedKinds = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Per lane, the earliest entry waiting to be retried and when: the lane's later entries wait for it. */
    private final java.util.Map<String, Waiting> waiting = new java.util.concurrent.ConcurrentHashMap<>();

    private record Waiting(long entryId, Instant until) {}

    private final SessionAccess access;

    public OutboxDispatcher(Runtime rt, Settings settings, SessionAccess access) {
        this.rt = rt;
        this.settings = settings;
        this.access = access;
        this.thread = new Thread(this::loop, "opencx-outbox");
        this.thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    /** Asks the dispatcher to poll now (after new entries were stored). */
    public void signal() {
        lock.lock();
        try {
            signalled = true;
            lastPollEmpty = false;
            wake.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** True when the last poll found nothing due, no delivery is running and no retry is scheduled. */
    public boolean isIdle() {
        return lastPollEmpty && !busy && retrying.isEmpty();
    }

    private void loop() {
        while (running) {
            boolean didWork = false;
            try {
                busy = true;
                didWork = pollOnce();
            } catch (RuntimeException e) {
                LOG.warn("outbox poll failed (will retry): {}", e.toString());
            } finally {
                busy = false;
            }
            if (!didWork) {
                lock.lock();
                try {
                    if (!signalled && running) {
                        wake.await(settings.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    }
                    signalled = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /** Claims and delivers one batch; true when anything was claimed. */
    boolean pollOnce() {
        List<OutboxEntry> batch = rt.store().claimOutbox(rt.clock().instant(), settings.batchSize(), settings.lease());
        if (batch.isEmpty()) {
            lastPollEmpty = true;
            return false;
        }
        lastPollEmpty = false;
        Set<String> blocked = new HashSet<>();
        for (OutboxEntry e : batch) {
            OutboxKind kind = e.item().kind();
            if (!kind.isCore() && rt.modules().handler(kind) == null) {
                park(e);
                continue;
            }
            // core's work keeps its order per session; each module kind has its own order per session,
            // so that a module's failing work never holds up a customer's replies
            String lane = kind.isCore() ? e.sessionId() : e.sessionId() + '\0' + kind.name();
            Waiting earlier = waiting.get(lane);
            if (blocked.contains(lane) || (earlier != null && earlier.entryId() < e.id())) {
                // keep per-session order: retry this one after the earlier failure, no sooner than it
                Instant soonest = rt.clock().instant().plus(settings.initialBackoff());
                rt.store()
                        .outboxRetry(
                                e.id(),
                                e.attempts(),
                                earlier != null && earlier.until().isAfter(soonest) ? earlier.until() : soonest,
                                "waiting for an earlier message of the session");
                retrying.add(e.id());
                continue;
            }
            if (!deliver(e, lane)) {
                blocked.add(lane);
            }
        }
        return true;
    }

    private boolean deliver(OutboxEntry e, String lane) {
        int attempt = e.attempts() + 1;
        try {
            OutboxKind kind = e.item().kind();
            if (kind.equals(OutboxKind.CHANNEL_SEND)) {
                sendOnChannel(e, attempt);
            } else if (kind.equals(OutboxKind.HELPDESK_OPEN)) {
                openTicket(e);
            } else if (kind.equals(OutboxKind.HELPDESK_APPEND)) {
                appendToTicket(e);
            } else if (kind.equals(OutboxKind.HELPDESK_RESOLVE)) {
                resolveTicket(e);
            } else {
                rt.modules().handler(kind).handle(e, access);
            }
            rt.store().outboxDelivered(e.id(), attempt);
            retrying.remove(e.id());
            waiting.computeIfPresent(lane, (k, w) -> w.entryId() == e.id() ? null : w);
            return true;
        } catch (RuntimeException ex) {
            boolean retriable = !(ex instanceof OpenCxException oe) || oe.isRetriable();
            String error = ex.getClass().getSimpleName() + ": " + ex.getMessage();
            if (retriable && attempt < settings.maxAttempts()) {
                Duration wait = backoff(attempt);
                Duration asked =
                        ex instanceof OpenCxException oe ? oe.retryAfter().orElse(Duration.ZERO) : Duration.ZERO;
                Instant next = rt.clock()
                        .instant()
                        .plus(asked.compareTo(wait) > 0 ? asked : wait); // never before the provider said
                LOG.info(
                        "outbox {} for session {} failed (attempt {}/{}), retrying at {}: {}",
                        e.item().kind(),
                        e.sessionId(),
                        attempt,
                        settings.maxAttempts(),
                        next,
                        ex.toString());
                rt.store().outboxRetry(e.id(), attempt, next, error);
                retrying.add(e.id());
                // later entries of the lane, claimed in later polls while this one waits, wait for it
                waiting.merge(lane, new Waiting(e.id(), next), (old, now) -> old.entryId() < now.entryId() ? old : now);
            } else {
                retrying.remove(e.id());
                waiting.computeIfPresent(lane, (k, w) -> w.entryId() == e.id() ? null : w);
                LOG.warn(
                        "outbox {} for session {} gave up after {} attempt(s): {}",
                        e.item().kind(),
                        e.sessionId(),
                        attempt,
                        ex.toString());
                rt.store().outboxDead(e.id(), attempt, error);
                rt.store()
                        .append(
                                e.sessionId(),
                                new DeliveryFailed(
                                        e.item().idempotencyKey(), e.item().target(), error, attempt));
            }
            return false;
        }
    }

    /**
     * An entry of a kind no registered module handles: it stays pending, untouched (a node or a later
     * start with the module does it), and is looked at again after the longest backoff.
     */
    private void park(OutboxEntry e) {
        OutboxKind kind = e.item().kind();
        if (warnedKinds.add(kind)) {
            LOG.warn(
                    "outbox entries of kind '{}' are kept pending: no module registered with this OpenCx handles"
                            + " that kind (register the module that queued them, e.g. OpenCx.builder().module(...))",
                    kind);
        }
        rt.store()
                .outboxRetry(
                        e.id(),
                        e.attempts(),
                        rt.clock().instant().plus(settings.maxBackoff()),
                        "no module registered here handles outbox kind '" + kind + "'");
    }

    Duration backoff(int attempt) {
        long base = settings.initialBackoff().toMillis() * (1L << Math.min(attempt - 1, 20));
        long capped = Math.min(base, settings.maxBackoff().toMillis());
        long jitter = ThreadLocalRandom.current().nextLong(capped / 4 + 1);
        return Duration.ofMillis(capped - capped / 8 + jitter);
    }

    private void sendOnChannel(OutboxEntry e, int attempt) {
        Channel channel =
                rt.channels().get(dev.opencx.conversation.ChannelId.of(e.item().target()));
        if (channel == null) {
            throw OpenCxException.permanent(
                    "channel '" + e.item().target() + "' is not registered with this OpenCx", null);
        }
        OutboundMessage stored = Outbox.outbound(e.item().payload());
        // the stored text holds placeholders; the customer gets their own values back where the policy allows
        OutboundMessage m =
                withText(stored, rt.pii().reveal(e.sessionId(), channel.id(), stored.text(), PiiDestination.CUSTOMER));
        DeliveryReceipt receipt = channel.send(m);
        rt.store()
                .append(
                        e.sessionId(),
                        new MessageDelivered(m.messageId(), channel.id().value(), receipt.externalId(), attempt));
    }

    private void openTicket(OutboxEntry e) {
        JsonNode p = Outbox.tree(e.item().payload());
        Session s = rt.store()
                .session(e.sessionId())
                .orElseThrow(() -> OpenCxException.permanent("session vanished: " + e.sessionId(), null));
        Contact c = rt.store()
                .contact(s.contactId())
                .orElseThrow(() -> OpenCxException.permanent("contact vanished for " + s.ticket(), null));
        List<Message> transcript = new ArrayList<>();
        for (SessionEvent ev : rt.store().events(s.id())) {
            Message m = Turn.messageOf(ev.payload());
            if (m != null) {
                transcript.add(forHelpdesk(s, m));
            }
        }
        String name = rt.pii().contactName(s, c, PiiDestination.HELPDESK);
        if (!name.equals(c.displayName())) {
            c = new Contact(c.id(), name, c.identities(), c.createdAt());
        }
        c = rt.pii().forDestination(c, s.channel(), PiiDestination.HELPDESK); // identities as the policy allows
        HandoffTicket ticket = new HandoffTicket(
                s.ticket(),
                s.id(),
                c,
                s.channel(),
                s.topic(),
                HandoffReason.valueOf(p.path("reason").asText()),
                p.path("detail").asText(),
                rt.pii().reveal(s.id(), s.channel(), p.path("summary").asText(), PiiDestination.HELPDESK),
                transcript);
        String ref = rt.helpdesk().openTicket(ticket);
        rt.store().append(s.id(), new HandoffDelivered(rt.helpdesk().name(), ref == null ? "" : ref));
    }

    private void appendToTicket(OutboxEntry e) {
        String messageId = Outbox.tree(e.item().payload()).path("messageId").asText();
        Session s = rt.store()
                .session(e.sessionId())
                .orElseThrow(() -> OpenCxException.permanent("session vanished: " + e.sessionId(), null));
        String ref = null;
        Message message = null;
        for (SessionEvent ev : rt.store().events(s.id())) {
            if (ev.payload() instanceof HandoffDelivered hd) {
                ref = hd.ticketRef();
            }
            Message m = Turn.messageOf(ev.payload());
            if (m != null && m.id().equals(messageId)) {
                message = m;
            }
        }
        if (message == null) {
            throw OpenCxException.permanent("message " + messageId + " is not in session " + s.ticket(), null);
        }
        if (ref == null) {
            throw OpenCxException.retriable("the helpdesk ticket for " + s.ticket() + " is not open yet", null);
        }
        rt.helpdesk().appendMessage(ref, s.ticket(), forHelpdesk(s, message));
    }

    /** A stored message with the values the session's PII policy reveals to the helpdesk. */
    private Message forHelpdesk(Session s, Message m) {
        String text = rt.pii().reveal(s.id(), s.channel(), m.text(), PiiDestination.HELPDESK);
        return text.equals(m.text())
                ? m
                : new Message(m.id(), m.author(), m.authorId(), text, m.attachments(), m.externalId(), m.at());
    }

    private static OutboundMessage withText(OutboundMessage o, String text) {
        if (text.equals(o.text())) {
            return o;
        }
        return new OutboundMessage(
                o.messageId(),
                o.sessionId(),
                o.ticket(),
                o.channel(),
                o.recipient(),
                o.threadId(),
                o.kind(),
                o.author(),
                o.authorId(),
                text,
                o.sources(),
                o.inReplyTo(),
                o.idempotencyKey());
    }

    private void resolveTicket(OutboxEntry e) {
        Session s = rt.store()
                .session(e.sessionId())
                .orElseThrow(() -> OpenCxException.permanent("session vanished: " + e.sessionId(), null));
        String ref = null;
        for (SessionEvent ev : rt.store().events(s.id())) {
            if (ev.payload() instanceof HandoffDelivered hd) {
                ref = hd.ticketRef();
            }
        }
        if (ref != null) {
            rt.helpdesk().sessionResolved(ref, s.ticket());
        }
    }

    /** Stops after the current batch; waits up to {@code timeout}. */
    public void stop(Duration timeout) {
        running = false;
        signal();
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
