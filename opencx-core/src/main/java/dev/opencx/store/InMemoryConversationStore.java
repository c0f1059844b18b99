package dev.opencx.store;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.EventPayload;
import dev.opencx.event.EventTypes;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ModuleEvent;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionOpened;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * The reference {@link ConversationStore}: everything in the heap, nothing survives the JVM. For
 * tests, demos and single-process apps that do not need durability.
 *
 * <pre>{@code
 * ConversationStore store = new InMemoryConversationStore();             // system UTC clock
 * ConversationStore store = new InMemoryConversationStore(testClock);    // timestamps from a test clock
 * }</pre>
 *
 * <p>Thread-safe: one read/write lock guards the whole store, so each append (event, projection,
 * outbox items and dedupe key) is atomic and seq numbers are gapless. Per-session memory is kept
 * small: a session is one small holder with its events in a plain array; there are no per-session
 * locks or maps. No parameter may be null ({@link NullPointerException}).
 */
public final class InMemoryConversationStore implements ConversationStore {
    private final Clock clock;
    private volatile EventTypes types = EventTypes.core();
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final Lock read = rw.readLock();
    private final Lock write = rw.writeLock();

    private final Map<String, ContactHolder> contacts = new HashMap<>();
    private final Map<String, String> mergedInto = new HashMap<>();
    private final Map<Identity, ContactHolder> byIdentity = new HashMap<>();
    private final Map<String, SessionHolder> sessions = new HashMap<>();
    /** Index {@code ticket - FIRST}; null where a ticket number was handed out without a session. */
    private final ArrayList<SessionHolder> byTicket = new ArrayList<>();

    /** The message stored under each (channel, external id), by its session and seq. */
    private final Map<String, DedupeRef> dedupe = new HashMap<>();

    private final Map<Long, OutboxRecord> outboxById = new HashMap<>();
    /** Pending entries in id order (ids increase, so insertion order is id order). */
    private final LinkedHashMap<Long, OutboxRecord> pending = new LinkedHashMap<>();
    /** Sealed PII values by session, then by placeholder, in insertion order. */
    private final Map<String, LinkedHashMap<String, VaultEntry>> vaults = new HashMap<>();

    private long nextTicket = TicketNumber.FIRST;
    private long nextOutboxId = 1;
    private long nextContactOrder = 1;
    private volatile boolean closed;

    /** A store with the system UTC clock. */
    public InMemoryConversationStore() {
        this(Clock.systemUTC());
    }

    /**
     * A store whose timestamps come from {@code clock}.
     *
     * @param clock never null
     */
    public InMemoryConversationStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- contacts ----

    @Override
    public Contact findOrCreateContact(Identity identity, String displayName) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(displayName, "displayName");
        return writing(() -> {
            ContactHolder c = byIdentity.get(identity);
            if (c == null) {
                c = new ContactHolder(newId(), displayName, clock.instant(), nextContactOrder++);
                c.identities.add(identity);
                contacts.put(c.id, c);
                byIdentity.put(identity, c);
            }
            return c.toContact();
        });
    }

    @Override
    public Optional<Contact> findContact(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        return reading(() -> Optional.ofNullable(byIdentity.get(identity)).map(ContactHolder::toContact));
    }

    @Override
    public Optional<Contact> contact(String contactId) {
        Objects.requireNonNull(contactId, "contactId");
        return reading(() -> Optional.ofNullable(resolve(contactId)).map(ContactHolder::toContact));
    }

    @Override
    public Contact linkIdentity(String contactId, Identity identity) {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(identity, "identity");
        return writing(() -> {
            ContactHolder c = require(contactId);
            ContactHolder owner = byIdentity.get(identity);
            if (owner == c) {
                return c.toContact();
            }
            if (owner != null) {
                return merge(c, owner).toContact();
            }
            c.identities.add(identity);
            byIdentity.put(identity, c);
            return c.toContact();
        });
    }

    @Override
    public Contact mergeContacts(String contactId, String otherContactId) {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(otherContactId, "otherContactId");
        return writing(() -> merge(require(contactId), require(otherContactId)).toContact());
    }

    private ContactHolder merge(ContactHolder a, ContactHolder b) {
        if (a == b) {
            return a;
        }
        boolean aOlder = a.createdAt.isBefore(b.createdAt) || (a.createdAt.equals(b.createdAt) && a.order < b.order);
        ContactHolder survivor = aOlder ? a : b;
        ContactHolder gone = aOlder ? b : a;
        for (Identity i : gone.identities) {
            survivor.identities.add(i);
            byIdentity.put(i, survivor);
        }
        for (SessionHolder s : gone.sessions) {
            s.session = withContact(s.session, survivor.id);
            survivor.sessions.add(s);
        }
        survivor.sessions.sort(SESSIONS_OLDEST_FIRST);
        contacts.remove(gone.id);
        mergedInto.replaceAll((merged, into) -> into.equals(gone.id) ? survivor.id : into);
        mergedInto.put(gone.id, survivor.id);
        return survivor;
    }

    private ContactHolder resolve(String contactId) {
        ContactHolder c = contacts.get(contactId);
        if (c == null) {
            String into = mergedInto.get(contactId);
            c = into == null ? null : contacts.get(into);
        }
        return c;
    }

    private ContactHolder require(String contactId) {
        ContactHolder c = resolve(contactId);
        if (c == null) {
            throw new IllegalArgumentException("no contact with id '" + contactId + "'");
        }
        return c;
    }

    // ---- sessions ----

    @Override
    public Optional<Session> findOpenSession(String contactId, ChannelId channel, String threadId) {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(threadId, "threadId");
        return reading(() -> {
            ContactHolder c = resolve(contactId);
            if (c == null) {
                return Optional.empty();
            }
            Session best = null;
            for (SessionHolder h : c.sessions) {
                Session s = h.session;
                if (s.state().isOpen()
                        && s.channel().equals(channel)
                        && s.threadId().equals(threadId)
                        && (best == null || s.ticket().compareTo(best.ticket()) > 0)) {
                    best = s;
                }
            }
            return Optional.ofNullable(best);
        });
    }

    @Override
    public Session openSession(NewSession ns) {
        Objects.requireNonNull(ns, "session");
        return writing(() -> {
            ContactHolder c = require(ns.contactId());
            TicketNumber ticket = new TicketNumber(nextTicket++);
            Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
            Session initial = new Session(
                    newId(),
                    ticket,
                    ns.channel(),
                    c.id,
                    ns.threadId(),
                    SessionState.AI_ACTIVE,
                    "",
                    "",
                    ns.locale(),
                    now,
                    now,
                    0,
                    0,
                    0);
            SessionHolder h = new SessionHolder(initial);
            SessionEvent opened = new SessionEvent(
                    initial.id(), 1, now, new SessionOpened(c.id, ns.channel(), ticket, ns.threadId(), ns.locale()));
            h.add(opened);
            h.session = SessionProjection.apply(initial, opened);
            sessions.put(initial.id(), h);
            setTicket(ticket.value(), h);
            c.sessions.add(h);
            return h.session;
        });
    }

    private void setTicket(long ticket, SessionHolder h) {
        int index = Math.toIntExact(ticket - TicketNumber.FIRST);
        while (byTicket.size() <= index) {
            byTicket.add(null);
        }
        byTicket.set(index, h);
    }

    @Override
    public Optional<Session> session(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return reading(() -> Optional.ofNullable(sessions.get(sessionId)).map(h -> h.session));
    }

    @Override
    public Optional<Session> sessionByTicket(TicketNumber ticket) {
        Objects.requireNonNull(ticket, "ticket");
        return reading(() -> {
            long index = ticket.value() - TicketNumber.FIRST;
            if (index < 0 || index >= byTicket.size()) {
                return Optional.empty();
            }
            return Optional.ofNullable(byTicket.get((int) index)).map(h -> h.session);
        });
    }

    @Override
    public List<Session> sessions(SessionQuery query) {
        Objects.requireNonNull(query, "query");
        return reading(() -> {
            List<Session> out = new ArrayList<>();
            for (SessionHolder h : sessions.values()) {
                if (query.matches(h.session)) {
                    out.add(h.session);
                }
            }
            out.sort(Comparator.comparing(Session::updatedAt).thenComparing(Session::ticket));
            return List.copyOf(out.size() > query.limit() ? out.subList(0, query.limit()) : out);
        });
    }

    @Override
    public List<Session> sessionsOfContact(String contactId) {
        Objects.requireNonNull(contactId, "contactId");
        return reading(() -> {
            ContactHolder c = resolve(contactId);
            if (c == null) {
                return List.of();
            }
            List<Session> out = new ArrayList<>(c.sessions.size());
            for (SessionHolder h : c.sessions) {
                out.add(h.session);
            }
            return List.copyOf(out);
        });
    }

    // ---- the event log ----

    @Override
    public SessionEvent append(String sessionId, EventPayload payload, List<OutboxItem> outbox) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(outbox, "outbox");
        List<OutboxItem> items = List.copyOf(outbox); // rejects null items
        rejectSessionOpened(payload);
        requireKnownType(payload);
        return writing(() -> doAppend(requireSession(sessionId), payload, items));
    }

    @Override
    public List<SessionEvent> appendAll(String sessionId, List<EventPayload> payloads, List<OutboxItem> outbox) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<EventPayload> all = List.copyOf(payloads); // rejects null payloads
        List<OutboxItem> items = List.copyOf(outbox);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs at least one event");
        }
        all.forEach(InMemoryConversationStore::rejectSessionOpened);
        all.forEach(this::requireKnownType);
        return writing(() -> {
            SessionHolder h = requireSession(sessionId);
            List<SessionEvent> out = new ArrayList<>(all.size());
            for (int i = 0; i < all.size(); i++) {
                out.add(doAppend(h, all.get(i), i == all.size() - 1 ? items : List.of()));
            }
            return List.copyOf(out);
        });
    }

    @Override
    public Optional<SessionEvent> appendInbound(
            String sessionId, MessageReceived payload, ChannelId channel, String externalId) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        checkExternalId(externalId);
        return writing(() -> {
            SessionHolder h = requireSession(sessionId);
            String key = dedupeKey(channel, externalId);
            if (!externalId.isEmpty() && dedupe.containsKey(key)) {
                return Optional.empty();
            }
            SessionEvent e = doAppend(h, payload, List.of());
            if (!externalId.isEmpty()) {
                dedupe.put(key, new DedupeRef(h, e.seq()));
            }
            return Optional.of(e);
        });
    }

    @Override
    public boolean isDuplicate(ChannelId channel, String externalId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isEmpty()) {
            return false;
        }
        return reading(() -> dedupe.containsKey(dedupeKey(channel, externalId)));
    }

    @Override
    public Optional<StoredInbound> findInbound(ChannelId channel, String externalId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isEmpty()) {
            return Optional.empty();
        }
        return reading(() -> {
            DedupeRef ref = dedupe.get(dedupeKey(channel, externalId));
            if (ref == null) {
                return Optional.empty();
            }
            Session s = ref.holder().session;
            Message m =
                    ((MessageReceived) ref.holder().event((int) ref.seq() - 1).payload()).message();
            return Optional.of(new StoredInbound(s.id(), s.ticket(), s.contactId(), ref.seq(), m));
        });
    }

    private record DedupeRef(SessionHolder holder, long seq) {}

    private SessionEvent doAppend(SessionHolder h, EventPayload payload, List<OutboxItem> items) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        Session s = h.session;
        SessionEvent e = new SessionEvent(s.id(), s.lastSeq() + 1, now, payload);
        h.add(e);
        h.session = SessionProjection.apply(s, e);
        for (OutboxItem item : items) {
            OutboxRecord r = new OutboxRecord(nextOutboxId++, s.id(), item, now);
            outboxById.put(r.id, r);
            pending.put(r.id, r);
            h.addOutbox(r.id);
        }
        return e;
    }

    @Override
    public List<SessionEvent> events(String sessionId, long afterSeq, int limit) {
        Objects.requireNonNull(sessionId, "sessionId");
        checkRange(afterSeq, limit);
        return reading(() -> {
            SessionHolder h = requireSession(sessionId);
            int from = (int) Math.min(afterSeq, h.count);
            int to = (int) Math.min((long) from + limit, h.count);
            List<SessionEvent> out = new ArrayList<>(to - from);
            for (int i = from; i < to; i++) {
                out.add(h.event(i));
            }
            return List.copyOf(out);
        });
    }

    // ---- tickets ----

    @Override
    public TicketNumber nextTicketNumber() {
        return writing(() -> new TicketNumber(nextTicket++));
    }

    // ---- the outbox ----

    @Override
    public List<OutboxEntry> claimOutbox(Instant now, int max, Duration lease) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lease, "lease");
        checkClaim(max, lease);
        return writing(() -> {
            List<OutboxEntry> out = new ArrayList<>();
            Instant until = now.plus(lease);
            for (Iterator<OutboxRecord> it = pending.values().iterator(); it.hasNext() && out.size() < max; ) {
                OutboxRecord r = it.next();
                if (!r.nextAttemptAt.isAfter(now) && (r.claimedUntil == null || !r.claimedUntil.isAfter(now))) {
                    r.claimedUntil = until;
                    out.add(r.toEntry());
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public void outboxDelivered(long entryId, int attempts) {
        writing(() -> {
            OutboxRecord r = requireOutbox(entryId);
            r.finish(OutboxStatus.DELIVERED, attempts, r.lastError);
            // the session log keeps what was sent; a delivered payload is dead weight in memory
            r.item = new OutboxItem(r.item.kind(), r.item.target(), r.item.idempotencyKey(), "");
            pending.remove(entryId);
            return null;
        });
    }

    @Override
    public void outboxRetry(long entryId, int attempts, Instant nextAttemptAt, String error) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(error, "error");
        writing(() -> {
            OutboxRecord r = requireOutbox(entryId);
            if (r.status != OutboxStatus.PENDING) {
                throw new IllegalStateException("outbox entry " + entryId + " is already " + r.status);
            }
            r.attempts = attempts;
            r.nextAttemptAt = nextAttemptAt;
            r.lastError = error;
            r.claimedUntil = null;
            return null;
        });
    }

    @Override
    public void outboxDead(long entryId, int attempts, String error) {
        Objects.requireNonNull(error, "error");
        writing(() -> {
            OutboxRecord r = requireOutbox(entryId);
            r.finish(OutboxStatus.DEAD, attempts, error);
            pending.remove(entryId);
            return null;
        });
    }

    @Override
    public List<OutboxEntry> outbox(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return reading(() -> {
            SessionHolder h = requireSession(sessionId);
            List<OutboxEntry> out = new ArrayList<>(h.outboxCount);
            for (int i = 0; i < h.outboxCount; i++) {
                out.add(outboxById.get(h.outboxIds[i]).toEntry());
            }
            return List.copyOf(out);
        });
    }

    private OutboxRecord requireOutbox(long entryId) {
        OutboxRecord r = outboxById.get(entryId);
        if (r == null) {
            throw new IllegalArgumentException("no outbox entry with id " + entryId);
        }
        return r;
    }

    // ---- the PII vault ----

    @Override
    public void putVaultEntries(String sessionId, List<VaultEntry> entries) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<VaultEntry> copy = List.copyOf(entries);
        writing(() -> {
            requireSession(sessionId);
            LinkedHashMap<String, VaultEntry> v = vaults.computeIfAbsent(sessionId, k -> new LinkedHashMap<>());
            for (VaultEntry e : copy) {
                v.putIfAbsent(e.placeholder(), e);
            }
            return null;
        });
    }

    @Override
    public List<VaultEntry> vaultEntries(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return reading(() -> {
            requireSession(sessionId);
            LinkedHashMap<String, VaultEntry> v = vaults.get(sessionId);
            return v == null ? List.of() : List.copyOf(v.values());
        });
    }

    @Override
    public int deleteVaultEntries(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return writing(() -> {
            requireSession(sessionId);
            LinkedHashMap<String, VaultEntry> v = vaults.remove(sessionId);
            return v == null ? 0 : v.size();
        });
    }

    @Override
    public void close() {
        closed = true;
    }

    @Override
    public String toString() {
        return "InMemoryConversationStore{sessions=" + reading(sessions::size) + "}";
    }

    // ---- helpers ----

    private SessionHolder requireSession(String sessionId) {
        SessionHolder h = sessions.get(sessionId);
        if (h == null) {
            throw new IllegalArgumentException("no session with id '" + sessionId + "'");
        }
        return h;
    }

    private <T> T reading(Supplier<T> action) {
        read.lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            read.unlock();
        }
    }

    private <T> T writing(Supplier<T> action) {
        write.lock();
        try {
            ensureOpen();
            return action.get();
        } finally {
            write.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the conversation store is closed");
        }
    }

    private static String newId() {
        return dev.opencx.internal.Ids.newId();
    }

    private static String dedupeKey(ChannelId channel, String externalId) {
        return channel.value() + '\u0000' + externalId;
    }

    /**
     * Module event types: kept as objects, like every payload, and checked on append so that this
     * store refuses what a store that encodes events would refuse.
     */
    @Override
    public void registerEventTypes(EventTypes more) {
        Objects.requireNonNull(more, "types");
        synchronized (this) {
            types = types.merge(more);
        }
    }

    private void requireKnownType(EventPayload payload) {
        if (payload instanceof ModuleEvent) {
            types.nameOf(payload); // throws for an unregistered type
        }
    }

    static void rejectSessionOpened(EventPayload payload) {
        if (payload instanceof SessionOpened) {
            throw new IllegalArgumentException("SessionOpened is appended by openSession, not by append");
        }
    }

    static void checkExternalId(String externalId) {
        if (externalId.length() > 255) {
            throw new IllegalArgumentException("externalId must be at most 255 characters, was " + externalId.length());
        }
    }

    static void checkRange(long afterSeq, int limit) {
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }

    static void checkClaim(int max, Duration lease) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, was " + lease);
        }
    }

    static Session withContact(Session s, String contactId) {
        return new Session(
                s.id(),
                s.ticket(),
                s.channel(),
                contactId,
                s.threadId(),
                s.state(),
                s.assignee(),
                s.topic(),
                s.locale(),
                s.openedAt(),
                s.updatedAt(),
                s.lastSeq(),
                s.lastMessageSeq(),
                s.handledSeq());
    }

    private static final Comparator<SessionHolder> SESSIONS_OLDEST_FIRST =
            Comparator.comparing((SessionHolder h) -> h.session.openedAt()).thenComparing(h -> h.session.ticket());

    private static final class ContactHolder {
        final String id;
        final String displayName;
        final Instant createdAt;
        final long order;
        final List<Identity> identities = new ArrayList<>(2);
        final List<SessionHolder> sessions = new ArrayList<>(2);

        ContactHolder(String id, String displayName, Instant createdAt, long order) {
            this.id = id;
            this.displayName = displayName;
            this.createdAt = createdAt;
            this.order = order;
        }

        Contact toContact() {
            return new Contact(id, displayName, identities, createdAt);
        }
    }

    /**
     * One session: its projection, its events as two compact arrays (payloads, and times in
     * microseconds; the sequence number is the index + 1), and its outbox entry ids.
     */
    private static final class SessionHolder {
        private static final EventPayload[] NO_EVENTS = new EventPayload[0];
        private static final long[] NO_TIMES = new long[0];

        Session session;
        EventPayload[] payloads = NO_EVENTS;
        long[] atMicros = NO_TIMES;
        int count;
        long[] outboxIds;
        int outboxCount;

        SessionHolder(Session session) {
            this.session = session;
        }

        void add(SessionEvent e) {
            if (count == payloads.length) {
                int size = count == 0 ? 2 : count + (count >> 1) + 1;
                payloads = Arrays.copyOf(payloads, size);
                atMicros = Arrays.copyOf(atMicros, size);
            }
            payloads[count] = e.payload();
            atMicros[count] = e.at().getEpochSecond() * 1_000_000L + e.at().getNano() / 1_000;
            count++;
        }

        SessionEvent event(int i) {
            long micros = atMicros[i];
            Instant at = Instant.ofEpochSecond(
                    Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
            return new SessionEvent(session.id(), i + 1, at, payloads[i]);
        }

        void addOutbox(long id) {
            if (outboxIds == null) {
                outboxIds = new long[2];
            } else if (outboxCount == outboxIds.length) {
                outboxIds = Arrays.copyOf(outboxIds, outboxCount * 2);
            }
            outboxIds[outboxCount++] = id;
        }
    }

    private static final class OutboxRecord {
        final long id;
        final String sessionId;
        OutboxItem item;
        final Instant createdAt;
        OutboxStatus status = OutboxStatus.PENDING;
        int attempts;
        Instant nextAttemptAt;
        Instant claimedUntil;
        String lastError = "";

        OutboxRecord(long id, String sessionId, OutboxItem item, Instant createdAt) {
            this.id = id;
            this.sessionId = sessionId;
            this.item = item;
            this.createdAt = createdAt;
            this.nextAttemptAt = createdAt;
        }

        void finish(OutboxStatus s, int attempts, String error) {
            this.status = s;
            this.attempts = attempts;
            this.lastError = error;
            this.claimedUntil = null;
        }

        OutboxEntry toEntry() {
            return new OutboxEntry(id, sessionId, item, status, attempts, nextAttemptAt, lastError, createdAt);
        }
    }
}
