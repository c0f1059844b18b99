package dev.opencx.test.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.autopilot.AutopilotDecision;
import dev.opencx.autopilot.TopicScore;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.AgentJoined;
import dev.opencx.event.AgentReplied;
import dev.opencx.event.AutopilotDecided;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.EventPayload;
import dev.opencx.event.EventTypes;
import dev.opencx.event.HandoffDelivered;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.MessageForwarded;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ModuleEvent;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionClosed;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionOpened;
import dev.opencx.event.SessionResolved;
import dev.opencx.event.TopicClassified;
import dev.opencx.event.TurnCompleted;
import dev.opencx.event.UnknownEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.Citation;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.outbox.OutboxStatus;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.NewSession;
import dev.opencx.store.SessionProjection;
import dev.opencx.store.SessionQuery;
import dev.opencx.store.StoredInbound;
import dev.opencx.store.VaultEntry;
import dev.opencx.test.TestClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conformance suite of {@link ConversationStore}: every implementation, ours and yours, extends
 * it and implements {@link #newStore(Clock)}.
 *
 * <pre>{@code
 * class MyStoreTest extends ConversationStoreContract {
 *     @Override
 *     protected ConversationStore newStore(Clock clock) {
 *         return new MyStore(freshDatabase(), clock);
 *     }
 * }
 * }</pre>
 *
 * <p>Each test gets a new, empty store whose timestamps come from {@link #clock} (a {@link
 * TestClock} standing still until a test moves it); the suite closes it afterwards. Durable stores
 * also override {@link #reopen(Clock)} so that the suite can check data survives a restart.
 *
 * <p>Module events: the suite registers {@link ContractFlagged} with {@link
 * ConversationStore#registerEventTypes} and checks they are stored and read back, refused when not
 * registered, and read as {@link UnknownEvent}s (keeping their JSON) by a store reopened without
 * them; and that module outbox kinds ({@link #RECHECK}) are kept like core's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public abstract class ConversationStoreContract {
    /** The clock given to the store under test. */
    protected final TestClock clock = new TestClock(Instant.parse("2026-01-05T09:00:00Z"));

    /** The store under test, created before each test. */
    protected ConversationStore store;

    private final List<ConversationStore> opened = new ArrayList<>();

    /**
     * A new, empty store (tickets start at {@code #1000}) using {@code clock}. Called once per test.
     */
    protected abstract ConversationStore newStore(Clock clock);

    /**
     * A new store over the same data as the last {@link #newStore}, which the suite has closed. The
     * default aborts the tests that need it: stores that keep nothing across a restart do not
     * override it.
     */
    protected ConversationStore reopen(Clock clock) {
        Assumptions.abort("this store does not survive a restart (reopen(Clock) is not overridden)");
        return null;
    }

    @BeforeEach
    void openStore() {
        store = track(newStore(clock));
    }

    @AfterEach
    void closeStores() {
        for (ConversationStore s : opened) {
            s.close();
        }
    }

    private ConversationStore track(ConversationStore s) {
        assertThat(s).as("newStore/reopen returned null").isNotNull();
        opened.add(s);
        return s;
    }

    // ---- fixtures ----

    private static final Identity ANA = Identity.email("ana@example.com");
    private static final Identity ANA_PHONE = Identity.phone("+14155550100");
    private static final Identity BOB = Identity.email("bob@example.com");

    private Session open(Contact contact, ChannelId channel, String thread) {
        return store.openSession(new NewSession(contact.id(), channel, thread, "en"));
    }

    private Session openFor(Identity identity) {
        return open(store.findOrCreateContact(identity, "Someone"), ChannelId.WEB, "");
    }

    private MessageReceived customer(String text) {
        return new MessageReceived(
                new Message(UUID.randomUUID().toString(), Author.CUSTOMER, "", text, List.of(), "", clock.instant()));
    }

    private static OutboxItem item(String key) {
        return new OutboxItem(OutboxKind.CHANNEL_SEND, "web", key, "{\"text\":\"hi\"}");
    }

    private static <T> List<T> concurrently(int threads, Callable<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return task.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(90, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- contacts ----

    @Test
    void find_or_create_contact_creates_once_then_finds_it_by_identity() {
        Contact created = store.findOrCreateContact(ANA, "Ana");

        assertThat(created.displayName()).isEqualTo("Ana");
        assertThat(created.identities()).containsExactly(ANA);
        assertThat(created.createdAt()).isEqualTo(clock.instant());
        assertThat(store.findOrCreateContact(Identity.email(" ANA@example.com "), "Other name"))
                .isEqualTo(created);
        assertThat(store.findContact(ANA)).contains(created);
        assertThat(store.contact(created.id())).contains(created);
        assertThat(store.findContact(BOB)).isEmpty();
        assertThat(store.contact("no-such-contact")).isEmpty();
    }

    @Test
    void concurrent_find_or_create_of_one_identity_yields_one_contact() throws Exception {
        List<Contact> contacts = concurrently(8, () -> store.findOrCreateContact(ANA, "Ana"));

        assertThat(contacts.stream().map(Contact::id).distinct()).hasSize(1);
    }

    @Test
    void link_identity_adds_it_to_the_contact() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");

        Contact linked = store.linkIdentity(ana.id(), ANA_PHONE);

        assertThat(linked.id()).isEqualTo(ana.id());
        assertThat(linked.identities()).containsExactlyInAnyOrder(ANA, ANA_PHONE);
        assertThat(store.findContact(ANA_PHONE)).contains(linked);
        assertThat(store.linkIdentity(ana.id(), ANA_PHONE)).isEqualTo(linked);
    }

    @Test
    void linking_an_identity_of_another_contact_merges_them_and_the_older_survives() {
        Contact older = store.findOrCreateContact(ANA, "Ana");
        clock.advance(Duration.ofMinutes(1));
        Contact newer = store.findOrCreateContact(ANA_PHONE, "Ana by phone");

        Contact survivor = store.linkIdentity(newer.id(), ANA);

        assertThat(survivor.id()).isEqualTo(older.id());
        assertThat(survivor.createdAt()).isEqualTo(older.createdAt());
        assertThat(survivor.identities()).containsExactlyInAnyOrder(ANA, ANA_PHONE);
        assertThat(store.contact(newer.id())).contains(survivor);
        assertThat(store.findContact(ANA_PHONE)).contains(survivor);
    }

    @Test
    void merge_moves_sessions_and_identities_and_the_merged_id_resolves_to_the_survivor() {
        Contact older = store.findOrCreateContact(ANA, "Ana");
        clock.advance(Duration.ofMinutes(1));
        Contact newer = store.findOrCreateContact(BOB, "Bob");
        Session olderSession = open(older, ChannelId.WEB, "");
        clock.advance(Duration.ofMinutes(1));
        Session newerSession = open(newer, ChannelId.EMAIL, "thread-1");

        Contact survivor = store.mergeContacts(newer.id(), older.id());

        assertThat(survivor.id()).isEqualTo(older.id());
        assertThat(survivor.identities()).containsExactlyInAnyOrder(ANA, BOB);
        assertThat(store.contact(newer.id())).contains(survivor);
        assertThat(store.sessionsOfContact(older.id()))
                .extracting(Session::id)
                .containsExactly(olderSession.id(), newerSession.id());
        assertThat(store.sessionsOfContact(newer.id())).extracting(Session::id).hasSize(2);
        assertThat(store.session(newerSession.id()).orElseThrow().contactId()).isEqualTo(older.id());
        assertThat(store.findOpenSession(newer.id(), ChannelId.EMAIL, "thread-1"))
                .map(Session::id)
                .contains(newerSession.id());
    }

    @Test
    void merged_ids_keep_resolving_after_a_chain_of_merges() {
        Contact a = store.findOrCreateContact(ANA, "A");
        clock.advance(Duration.ofSeconds(1));
        Contact b = store.findOrCreateContact(BOB, "B");
        clock.advance(Duration.ofSeconds(1));
        Contact c = store.findOrCreateContact(ANA_PHONE, "C");

        store.mergeContacts(b.id(), c.id()); // c into b
        Contact survivor = store.mergeContacts(a.id(), b.id()); // b into a

        assertThat(survivor.id()).isEqualTo(a.id());
        assertThat(store.contact(b.id())).contains(survivor);
        assertThat(store.contact(c.id())).contains(survivor);
        assertThat(survivor.identities()).containsExactlyInAnyOrder(ANA, BOB, ANA_PHONE);
    }

    @Test
    void merging_a_contact_with_itself_returns_it_unchanged() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");

        assertThat(store.mergeContacts(ana.id(), ana.id())).isEqualTo(ana);
    }

    @Test
    void unknown_contacts_are_rejected_with_their_id() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");

        assertThatThrownBy(() -> store.linkIdentity("ghost", BOB))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> store.mergeContacts(ana.id(), "ghost"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> store.openSession(new NewSession("ghost", ChannelId.WEB, "", "en")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThat(store.sessionsOfContact("ghost")).isEmpty();
        assertThat(store.findOpenSession("ghost", ChannelId.WEB, "")).isEmpty();
    }

    // ---- sessions ----

    @Test
    void open_session_takes_ticket_1000_first_and_logs_session_opened_as_event_1() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");

        Session s = store.openSession(new NewSession(ana.id(), ChannelId.EMAIL, "t-1", "es-MX"));

        assertThat(s.ticket()).isEqualTo(new TicketNumber(TicketNumber.FIRST));
        assertThat(s.state()).isEqualTo(SessionState.AI_ACTIVE);
        assertThat(s.contactId()).isEqualTo(ana.id());
        assertThat(s.channel()).isEqualTo(ChannelId.EMAIL);
        assertThat(s.threadId()).isEqualTo("t-1");
        assertThat(s.locale()).isEqualTo("es-MX");
        assertThat(s.openedAt()).isEqualTo(clock.instant());
        assertThat(s.lastSeq()).isEqualTo(1);
        assertThat(s.hasPendingTurn()).isFalse();
        assertThat(store.session(s.id())).contains(s);
        assertThat(store.events(s.id()))
                .containsExactly(new SessionEvent(
                        s.id(),
                        1,
                        clock.instant(),
                        new SessionOpened(ana.id(), ChannelId.EMAIL, s.ticket(), "t-1", "es-MX")));
        assertThat(open(ana, ChannelId.WEB, "").ticket()).isEqualTo(new TicketNumber(TicketNumber.FIRST + 1));
    }

    @Test
    void find_open_session_matches_contact_channel_and_thread_while_it_is_open() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");
        Session web = open(ana, ChannelId.WEB, "");
        Session mail = open(ana, ChannelId.EMAIL, "thread-a");

        assertThat(store.findOpenSession(ana.id(), ChannelId.WEB, ""))
                .map(Session::id)
                .contains(web.id());
        assertThat(store.findOpenSession(ana.id(), ChannelId.EMAIL, "thread-a"))
                .map(Session::id)
                .contains(mail.id());
        assertThat(store.findOpenSession(ana.id(), ChannelId.EMAIL, "thread-b")).isEmpty();
        assertThat(store.findOpenSession(ana.id(), ChannelId.SMS, "")).isEmpty();

        store.append(web.id(), new HandoffRequested(HandoffReason.EXPLICIT_REQUEST, "", "", Map.of()));
        assertThat(store.findOpenSession(ana.id(), ChannelId.WEB, ""))
                .map(Session::id)
                .contains(web.id());

        store.append(web.id(), new SessionResolved("ai"));
        assertThat(store.findOpenSession(ana.id(), ChannelId.WEB, "")).isEmpty();
        Session next = open(ana, ChannelId.WEB, "");
        assertThat(store.findOpenSession(ana.id(), ChannelId.WEB, ""))
                .map(Session::id)
                .contains(next.id());
    }

    @Test
    void session_by_ticket_finds_it() {
        Session s = openFor(ANA);

        assertThat(store.sessionByTicket(s.ticket())).contains(s);
        assertThat(store.sessionByTicket(new TicketNumber(999_999))).isEmpty();
        assertThat(store.sessionByTicket(new TicketNumber(1))).isEmpty();
        assertThat(store.session("no-such-session")).isEmpty();
    }

    @Test
    void sessions_query_filters_by_state_and_pending_turns_oldest_update_first() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");
        Session a = open(ana, ChannelId.WEB, "a");
        Session b = open(ana, ChannelId.WEB, "b");
        Session c = open(ana, ChannelId.WEB, "c");
        clock.advance(Duration.ofSeconds(1));
        SessionEvent msg = store.append(c.id(), customer("help"));
        clock.advance(Duration.ofSeconds(1));
        store.append(a.id(), customer("hello"));
        clock.advance(Duration.ofSeconds(1));
        store.append(b.id(), new HandoffRequested(HandoffReason.FRUSTRATION, "", "", Map.of()));

        assertThat(store.sessions(SessionQuery.inStates(SessionState.AI_ACTIVE)))
                .extracting(Session::id)
                .containsExactly(c.id(), a.id());
        assertThat(store.sessions(SessionQuery.inStates(SessionState.HANDED_OFF)))
                .extracting(Session::id)
                .containsExactly(b.id());
        assertThat(store.sessions(SessionQuery.inStates()))
                .extracting(Session::id)
                .containsExactly(c.id(), a.id(), b.id());
        assertThat(store.sessions(new SessionQuery(Set.of(), false, 2)))
                .extracting(Session::id)
                .containsExactly(c.id(), a.id());
        assertThat(store.sessions(SessionQuery.pendingTurns()))
                .extracting(Session::id)
                .containsExactly(c.id(), a.id());

        store.append(c.id(), new TurnCompleted(msg.seq(), "replied", "", 10));

        assertThat(store.sessions(SessionQuery.pendingTurns()))
                .extracting(Session::id)
                .containsExactly(a.id());
        assertThat(store.sessions(SessionQuery.inStates(SessionState.CLOSED))).isEmpty();
    }

    @Test
    void sessions_of_contact_are_oldest_first() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");
        Session first = open(ana, ChannelId.WEB, "");
        clock.advance(Duration.ofSeconds(1));
        Session second = open(ana, ChannelId.SMS, "");
        openFor(BOB);

        assertThat(store.sessionsOfContact(ana.id())).extracting(Session::id).containsExactly(first.id(), second.id());
    }

    @Test
    void ticket_numbers_are_unique_and_increasing_under_concurrency() throws Exception {
        Contact ana = store.findOrCreateContact(ANA, "Ana");
        List<List<Long>> perThread = concurrently(8, () -> {
            List<Long> mine = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                mine.add(
                        i % 5 == 0
                                ? open(ana, ChannelId.WEB, "").ticket().value()
                                : store.nextTicketNumber().value());
            }
            return mine;
        });

        Set<Long> all = new HashSet<>();
        for (List<Long> mine : perThread) {
            assertThat(mine).isSorted().doesNotHaveDuplicates();
            all.addAll(mine);
        }
        assertThat(all).hasSize(400).allSatisfy(t -> assertThat(t).isGreaterThanOrEqualTo(TicketNumber.FIRST));
        assertThat(store.nextTicketNumber().value())
                .isGreaterThan(all.stream().mapToLong(Long::longValue).max().orElseThrow());
    }

    // ---- the event log ----

    @Test
    void append_assigns_gapless_seq_and_events_reads_them_in_order() {
        Session s = openFor(ANA);
        clock.advance(Duration.ofSeconds(5));

        SessionEvent e2 = store.append(s.id(), customer("one"));
        SessionEvent e3 = store.append(s.id(), new AgentJoined("agent-1"));
        SessionEvent e4 = store.append(s.id(), new SessionResolved("agent-1"));

        assertThat(List.of(e2.seq(), e3.seq(), e4.seq())).containsExactly(2L, 3L, 4L);
        assertThat(e2.at()).isEqualTo(clock.instant());
        assertThat(e2.sessionId()).isEqualTo(s.id());
        assertThat(store.events(s.id())).hasSize(4).endsWith(e2, e3, e4);
        assertThat(store.events(s.id(), 2, 10)).containsExactly(e3, e4);
        assertThat(store.events(s.id(), 1, 1)).containsExactly(e2);
        assertThat(store.events(s.id(), 4, 10)).isEmpty();
        assertThatThrownBy(() -> store.events(s.id(), -1, 10)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.events(s.id(), 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrent_appends_to_one_session_get_gapless_seq() throws Exception {
        Session s = openFor(ANA);
        AtomicInteger threadIds = new AtomicInteger();
        concurrently(8, () -> {
            int t = threadIds.getAndIncrement();
            for (int i = 0; i < 25; i++) {
                store.append(s.id(), new MessageForwarded(t + ":" + i, "inbox"), List.of(item(t + ":" + i)));
            }
            return null;
        });

        List<SessionEvent> events = store.events(s.id());
        assertThat(events).extracting(SessionEvent::seq).containsExactlyElementsOf(range(1, 201));
        for (int t = 0; t < 8; t++) {
            String prefix = t + ":";
            assertThat(events.stream()
                            .filter(e -> e.payload() instanceof MessageForwarded mf
                                    && mf.messageId().startsWith(prefix))
                            .map(e -> Integer.parseInt(
                                    ((MessageForwarded) e.payload()).messageId().substring(prefix.length()))))
                    .containsExactlyElementsOf(
                            range(0, 24).stream().map(Long::intValue).toList());
        }
        assertThat(store.session(s.id()).orElseThrow().lastSeq()).isEqualTo(201);
        assertThat(store.outbox(s.id())).hasSize(200);
    }

    private static List<Long> range(long from, long toInclusive) {
        List<Long> out = new ArrayList<>();
        for (long i = from; i <= toInclusive; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void the_projection_follows_the_events() {
        Session s = openFor(ANA);
        Session initial = s;

        SessionEvent m = store.append(s.id(), customer("I want a refund"));
        store.append(s.id(), new TopicClassified("refunds", List.of(new TopicScore("refunds", 0.9)), 0.5, "test"));
        assertThat(store.session(s.id()).orElseThrow())
                .returns(true, Session::hasPendingTurn)
                .returns("refunds", Session::topic)
                .returns(m.seq(), Session::lastMessageSeq);

        store.append(s.id(), new HandoffRequested(HandoffReason.LOW_CONFIDENCE, "0.3 < 0.7", "refund", Map.of()));
        store.append(s.id(), new TurnCompleted(m.seq(), "handed_off", "", 100));
        assertThat(store.session(s.id()).orElseThrow())
                .returns(SessionState.HANDED_OFF, Session::state)
                .returns(false, Session::hasPendingTurn);

        clock.advance(Duration.ofMinutes(3));
        store.append(s.id(), new AgentJoined("agent-7"));
        assertThat(store.session(s.id()).orElseThrow())
                .returns(SessionState.AGENT_ACTIVE, Session::state)
                .returns("agent-7", Session::assignee)
                .returns(clock.instant(), Session::updatedAt);

        store.append(s.id(), new SessionResolved("agent-7"));
        Session resolved = store.session(s.id()).orElseThrow();
        assertThat(resolved.state()).isEqualTo(SessionState.RESOLVED);
        assertThat(resolved.lastSeq()).isEqualTo(7);
        assertThat(resolved.openedAt()).isEqualTo(initial.openedAt());

        Session blank = new Session(
                s.id(),
                s.ticket(),
                s.channel(),
                s.contactId(),
                s.threadId(),
                SessionState.AI_ACTIVE,
                "",
                "",
                s.locale(),
                s.openedAt(),
                s.openedAt(),
                0,
                0,
                0);
        assertThat(SessionProjection.replay(blank, store.events(s.id()))).isEqualTo(resolved);
    }

    @Test
    void agent_reply_takes_the_session_from_the_ai() {
        Session s = openFor(ANA);
        store.append(
                s.id(),
                new AgentReplied(new Message("m1", Author.AGENT, "agent-2", "Hi!", List.of(), "", clock.instant())));

        assertThat(store.session(s.id()).orElseThrow())
                .returns(SessionState.AGENT_ACTIVE, Session::state)
                .returns("agent-2", Session::assignee);

        store.append(s.id(), new SessionClosed("spam"));
        assertThat(store.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.CLOSED);
    }

    @Test
    void unknown_sessions_are_rejected_with_their_id() {
        assertThatThrownBy(() -> store.append("ghost", new AgentJoined("a")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> store.append("ghost", new AgentJoined("a"), List.of(item("k"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThatThrownBy(() -> store.appendInbound("ghost", customer("x"), ChannelId.WEB, "e1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThat(store.isDuplicate(ChannelId.WEB, "e1"))
                .as("a rejected inbound leaves no dedupe key")
                .isFalse();
        assertThat(store.findInbound(ChannelId.WEB, "e1")).isEmpty();
        assertThatThrownBy(() -> store.events("ghost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.outbox("ghost")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.claimOutbox(clock.instant(), 10, Duration.ofMinutes(1)))
                .isEmpty();
    }

    @Test
    void session_opened_is_appended_by_open_session_only() {
        Session s = openFor(ANA);

        assertThatThrownBy(
                        () -> store.append(s.id(), new SessionOpened(s.contactId(), s.channel(), s.ticket(), "", "en")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(store.events(s.id())).hasSize(1);
    }

    // ---- dedupe ----

    @Test
    void append_inbound_stores_a_channel_message_once() {
        Session s = openFor(ANA);

        Optional<SessionEvent> first = store.appendInbound(s.id(), customer("hi"), ChannelId.WEB, "ext-1");
        Optional<SessionEvent> again = store.appendInbound(s.id(), customer("hi"), ChannelId.WEB, "ext-1");

        assertThat(first).isPresent();
        assertThat(first.get().seq()).isEqualTo(2);
        assertThat(again).isEmpty();
        assertThat(store.isDuplicate(ChannelId.WEB, "ext-1")).isTrue();
        assertThat(store.isDuplicate(ChannelId.SMS, "ext-1")).isFalse();
        assertThat(store.appendInbound(s.id(), customer("hi"), ChannelId.SMS, "ext-1"))
                .isPresent();
        assertThat(store.events(s.id())).hasSize(3);
        assertThat(store.session(s.id()).orElseThrow().lastMessageSeq()).isEqualTo(3);
    }

    @Test
    void find_inbound_returns_the_stored_message_with_the_ids_it_was_acknowledged_with() {
        Session s = openFor(ANA);
        store.append(s.id(), new AgentJoined("a"));
        SessionEvent stored = store.appendInbound(s.id(), customer("hi there"), ChannelId.WEB, "ext-9")
                .orElseThrow();

        Optional<StoredInbound> found = store.findInbound(ChannelId.WEB, "ext-9");

        assertThat(found).hasValueSatisfying(f -> {
            assertThat(f.sessionId()).isEqualTo(s.id());
            assertThat(f.ticket()).isEqualTo(s.ticket());
            assertThat(f.contactId()).isEqualTo(s.contactId());
            assertThat(f.seq()).isEqualTo(stored.seq()).isEqualTo(3);
            assertThat(f.message()).isEqualTo(((MessageReceived) stored.payload()).message());
        });
        assertThat(store.findInbound(ChannelId.SMS, "ext-9"))
                .as("another channel")
                .isEmpty();
        assertThat(store.findInbound(ChannelId.WEB, "ext-10")).as("another id").isEmpty();
        assertThat(store.findInbound(ChannelId.WEB, "")).as("no id").isEmpty();
    }

    @Test
    void a_second_delivery_under_the_same_id_leaves_the_first_message_as_found() {
        Session s = openFor(ANA);
        store.appendInbound(s.id(), customer("first"), ChannelId.WEB, "ext-1");
        store.append(s.id(), new AgentJoined("a"));

        assertThat(store.appendInbound(s.id(), customer("second"), ChannelId.WEB, "ext-1"))
                .isEmpty();

        assertThat(store.findInbound(ChannelId.WEB, "ext-1")).hasValueSatisfying(f -> {
            assertThat(f.seq()).isEqualTo(2);
            assertThat(f.message().text()).isEqualTo("first");
        });
    }

    @Test
    void find_inbound_names_the_surviving_contact_after_a_merge() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");
        clock.advance(Duration.ofMinutes(1));
        Contact phone = store.findOrCreateContact(ANA_PHONE, "");
        Session s = open(phone, ChannelId.SMS, "");
        store.appendInbound(s.id(), customer("hi"), ChannelId.SMS, "SM1");

        Contact survivor = store.mergeContacts(ana.id(), phone.id());

        assertThat(survivor.id()).isEqualTo(ana.id());
        assertThat(store.findInbound(ChannelId.SMS, "SM1"))
                .map(StoredInbound::contactId)
                .contains(ana.id());
    }

    @Test
    void an_empty_external_id_is_never_a_duplicate() {
        Session s = openFor(ANA);

        assertThat(store.appendInbound(s.id(), customer("a"), ChannelId.WEB, ""))
                .isPresent();
        assertThat(store.appendInbound(s.id(), customer("b"), ChannelId.WEB, ""))
                .isPresent();
        assertThat(store.isDuplicate(ChannelId.WEB, "")).isFalse();
    }

    @Test
    void concurrent_deliveries_of_one_message_store_it_exactly_once() throws Exception {
        Session a = openFor(ANA);
        Session b = openFor(BOB);
        AtomicInteger n = new AtomicInteger();

        List<Boolean> won = concurrently(8, () -> store.appendInbound(
                        n.getAndIncrement() % 2 == 0 ? a.id() : b.id(), customer("hi"), ChannelId.SMS, "SM123")
                .isPresent());

        assertThat(won).filteredOn(w -> w).hasSize(1);
        assertThat(store.events(a.id()).size() + store.events(b.id()).size()).isEqualTo(3);
    }

    // ---- the outbox ----

    @Test
    void append_all_writes_consecutive_events_and_the_outbox_in_one_step() {
        Session s = openFor(ANA);
        OutboxItem send = item("reply-all");
        List<SessionEvent> written = store.appendAll(
                s.id(),
                List.of(new AgentJoined("maria"), new MessageForwarded("m", "inbox"), new SessionResolved("maria")),
                List.of(send));

        assertThat(written).extracting(SessionEvent::seq).containsExactly(2L, 3L, 4L);
        assertThat(store.events(s.id())).extracting(SessionEvent::seq).containsExactly(1L, 2L, 3L, 4L);
        assertThat(store.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.RESOLVED);
        assertThat(store.outbox(s.id())).extracting(OutboxEntry::item).containsExactly(send);
        assertThatThrownBy(() -> store.appendAll(s.id(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.appendAll("no-such-session", List.of(new AgentJoined("x")), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void outbox_items_are_stored_with_their_event() {
        Session s = openFor(ANA);
        clock.advance(Duration.ofSeconds(2));
        OutboxItem send = item("reply-1");
        OutboxItem ticket = new OutboxItem(OutboxKind.HELPDESK_OPEN, "inbox", "open-1", "{}");

        store.append(s.id(), new MessageForwarded("m", "inbox"), List.of(send, ticket));

        List<OutboxEntry> entries = store.outbox(s.id());
        assertThat(entries)
                .extracting(OutboxEntry::item, OutboxEntry::status, OutboxEntry::attempts, OutboxEntry::sessionId)
                .containsExactly(
                        tuple(send, OutboxStatus.PENDING, 0, s.id()), tuple(ticket, OutboxStatus.PENDING, 0, s.id()));
        assertThat(entries.get(0).id()).isLessThan(entries.get(1).id());
        assertThat(entries.get(0).createdAt()).isEqualTo(clock.instant());
        assertThat(entries.get(0).nextAttemptAt()).isEqualTo(clock.instant());
        assertThat(entries.get(0).lastError()).isEmpty();
        assertThat(store.outbox(openFor(BOB).id())).isEmpty();
    }

    @Test
    void a_claimed_entry_is_hidden_until_its_lease_runs_out() {
        Session s = openFor(ANA);
        store.append(s.id(), new MessageForwarded("m", "inbox"), List.of(item("k1"), item("k2"), item("k3")));
        Instant now = clock.instant();

        List<OutboxEntry> first = store.claimOutbox(now, 2, Duration.ofSeconds(30));
        List<OutboxEntry> second = store.claimOutbox(now.plusSeconds(1), 10, Duration.ofSeconds(30));

        assertThat(first).extracting(e -> e.item().idempotencyKey()).containsExactly("k1", "k2");
        assertThat(second).extracting(e -> e.item().idempotencyKey()).containsExactly("k3");
        assertThat(store.claimOutbox(now.plusSeconds(29), 10, Duration.ofSeconds(30)))
                .isEmpty();

        // the claimer of k1 and k2 "crashed": once the lease is over they are due again
        List<OutboxEntry> again = store.claimOutbox(now.plusSeconds(30), 10, Duration.ofSeconds(30));
        assertThat(again).extracting(e -> e.item().idempotencyKey()).containsExactly("k1", "k2");
        assertThat(store.claimOutbox(now.plusSeconds(31), 10, Duration.ofSeconds(30)))
                .extracting(e -> e.item().idempotencyKey())
                .containsExactly("k3");
    }

    @Test
    void entries_not_yet_due_are_not_claimed() {
        Session s = openFor(ANA);
        store.append(s.id(), new MessageForwarded("m", "inbox"), List.of(item("k1")));

        assertThat(store.claimOutbox(clock.instant().minusSeconds(1), 10, Duration.ofSeconds(30)))
                .isEmpty();
        assertThatThrownBy(() -> store.claimOutbox(clock.instant(), 0, Duration.ofSeconds(30)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.claimOutbox(clock.instant(), 1, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void delivered_retry_and_dead_move_entries_along() {
        Session s = openFor(ANA);
        store.append(s.id(), new MessageForwarded("m", "inbox"), List.of(item("ok"), item("flaky"), item("doomed")));
        Instant now = clock.instant();
        List<OutboxEntry> claimed = store.claimOutbox(now, 10, Duration.ofSeconds(30));
        long ok = claimed.get(0).id();
        long flaky = claimed.get(1).id();
        long doomed = claimed.get(2).id();

        store.outboxDelivered(ok, 1);
        store.outboxRetry(flaky, 1, now.plusSeconds(60), "HTTP 503");
        store.outboxDead(doomed, 3, "HTTP 400 invalid number");

        assertThat(store.outbox(s.id()))
                .extracting(OutboxEntry::status, OutboxEntry::attempts, OutboxEntry::lastError)
                .containsExactly(
                        tuple(OutboxStatus.DELIVERED, 1, ""),
                        tuple(OutboxStatus.PENDING, 1, "HTTP 503"),
                        tuple(OutboxStatus.DEAD, 3, "HTTP 400 invalid number"));
        assertThat(store.outbox(s.id()).get(1).nextAttemptAt()).isEqualTo(now.plusSeconds(60));
        assertThat(store.claimOutbox(now.plusSeconds(59), 10, Duration.ofSeconds(30)))
                .isEmpty();
        assertThat(store.claimOutbox(now.plusSeconds(60), 10, Duration.ofSeconds(30)))
                .extracting(OutboxEntry::id, OutboxEntry::attempts)
                .containsExactly(tuple(flaky, 1));
        store.outboxDelivered(flaky, 2);
        assertThat(store.claimOutbox(now.plusSeconds(3600), 10, Duration.ofSeconds(30)))
                .as("delivered and dead entries are never claimed again")
                .isEmpty();
        assertThatThrownBy(() -> store.outboxDelivered(987_654_321L, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("987654321");
    }

    // ---- events round-trip ----

    /** One sample of every payload type except {@link SessionOpened}, which only openSession appends. */
    protected List<EventPayload> samplePayloads() {
        Instant at = clock.instant();
        Message customer = new Message(
                "m-1",
                Author.CUSTOMER,
                "",
                "Where is my order? ñ ü 漢字 \"quoted\"",
                List.of(new Attachment("https://files.example.com/a.png", "image/png", "a.png", 2048)),
                "wamid.1",
                at);
        Message ai = new Message("m-2", Author.AI, "", "It ships tomorrow.", List.of(), "", at);
        Message agent = new Message("m-3", Author.AGENT, "agent-7", "Refund done.", List.of(), "", at);
        return List.of(
                new MessageReceived(customer),
                new TopicClassified(
                        "shipping",
                        List.of(new TopicScore("shipping", 0.91), new TopicScore("billing", 0.12)),
                        0.5,
                        "knn"),
                new AutopilotDecided(
                        AutopilotDecision.Outcome.AI_REPLIES, null, "autopilot is on", Map.of("preset", "balanced")),
                new AutopilotDecided(
                        AutopilotDecision.Outcome.HANDOFF,
                        HandoffReason.TOPIC_GATE,
                        "topic 'billing' goes to the team",
                        Map.of("score", 0.87, "threshold", 0.5, "topic", "billing")),
                new KnowledgeRetrieved(
                        "order shipping",
                        List.of(new KnowledgeRetrieved.Hit(
                                "doc-1#2", "doc-1", "Shipping", 0.0328, Map.of("bm25", 7.5, "vector", 0.81)))),
                new dev.opencx.event.ScenarioMatched("returns-window", "Returns window", 0.93, 0.85),
                new ReplySent(
                        ai,
                        0.82,
                        0.7,
                        List.of(new Citation("doc-1#2", "doc-1", "Shipping", "https://help.example.com/shipping")),
                        "passage doc-1#2",
                        Map.of("model", "gpt-4o-mini", "invented_citations", List.of("doc-9#0"), "similarity", 0.93)),
                new HandoffRequested(
                        HandoffReason.LOW_CONFIDENCE,
                        "0.41 < 0.70",
                        "customer asks for a refund",
                        Map.of("confidence", 0.41)),
                new HandoffDelivered("inbox", "T-17"),
                new MessageForwarded("m-4", "zendesk"),
                new AgentJoined("agent-7"),
                new AgentReplied(agent),
                new MessageDelivered("m-3", "whatsapp", "wamid.2", 2),
                new DeliveryFailed("m-5", "sms", "HTTP 400", 5),
                new dev.opencx.event.DeliveryUpdated(
                        "m-3",
                        "whatsapp",
                        "wamid.2",
                        dev.opencx.event.DeliveryUpdated.State.FAILED,
                        "failed",
                        "131047"),
                new TurnCompleted(2, "replied", "", 12_345),
                new dev.opencx.event.PiiRedacted("m-1", Map.of("EMAIL", 1, "PHONE", 2), 3, true),
                new SessionResolved("agent-7"),
                new SessionClosed("expired"),
                new dev.opencx.event.ModelCalled(
                        "gpt-4o-mini", "OPEN_AI", 1, false, 812, 1234, 56, "STOP", 0, "ok", ""),
                new dev.opencx.event.ModelCalled(
                        "gpt-4o-mini", "OPEN_AI", 2, true, 30_000, null, null, "", 0, "timeout", "no reply"),
                new dev.opencx.event.ToolCalled(
                        "order_status", "{\"order_id\":\"A-1\"}", "{\"status\":\"shipped\"}", 45, "ok", 1),
                new ReplySent(
                        ai,
                        1.0,
                        0.7,
                        List.of(),
                        "the model called cancel_order, which requires confirmation",
                        Map.of("proposed_action", "cancel_order"),
                        new dev.opencx.action.PendingAction(
                                "p-1",
                                "cancel_order",
                                "{\"order_id\":\"1042\",\"note\":\"[PHONE_1]\"}",
                                List.of(),
                                "Cancel an order: order id: 1042",
                                java.time.Instant.parse("2026-11-22T10:10:00Z"))),
                new dev.opencx.event.ActionCalled(
                        "cancel_order",
                        "confirmation",
                        "ok",
                        200,
                        87,
                        2,
                        "POST https://shop.example.com/orders/1042/cancel [order_id, customer_id]",
                        "p-1",
                        "The call succeeded (HTTP 200).",
                        List.of(),
                        List.of("customer_id")),
                new dev.opencx.event.ActionAnswered(
                        "p-1", "cancel_order", "confirmed", "explicit yes: \"yes\"", Map.of("cue", "yes")),
                new dev.opencx.event.NoteAdded("maria", "Refund approved by finance; waiting for the bank."));
    }

    @Test
    void message_events_are_the_conversation_only_and_a_limit_keeps_the_newest_in_order() {
        Session s = openFor(ANA);
        for (int i = 1; i <= 6; i++) {
            store.append(s.id(), customer("question " + i));
            store.append(s.id(), new dev.opencx.event.TurnCompleted(i, "replied", "", 10));
        }
        long end = store.session(s.id()).orElseThrow().lastSeq() + 1;

        assertThat(store.messageEvents(s.id(), end))
                .extracting(e -> ((MessageReceived) e.payload()).message().text())
                .containsExactly("question 1", "question 2", "question 3", "question 4", "question 5", "question 6");
        List<SessionEvent> newest = store.messageEvents(s.id(), end, 3);
        assertThat(newest)
                .extracting(e -> ((MessageReceived) e.payload()).message().text())
                .containsExactly("question 4", "question 5", "question 6");
        assertThat(newest.get(0).seq()).isLessThan(newest.get(2).seq());
        assertThat(store.messageEvents(s.id(), newest.get(2).seq(), 2))
                .extracting(e -> ((MessageReceived) e.payload()).message().text())
                .containsExactly("question 4", "question 5");
        assertThatThrownBy(() -> store.messageEvents(s.id(), end, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void the_newest_messages_of_a_long_session_are_found_however_sparse_they_are_in_its_log() {
        Session s = openFor(ANA);
        // 40 messages with a few events between them, then one message after 200 other events
        for (int i = 1; i <= 40; i++) {
            store.append(s.id(), customer("question " + i));
            for (int j = 0; j < 3; j++) {
                store.append(s.id(), new dev.opencx.event.TurnCompleted(i, "replied", "", 10));
            }
        }
        for (int j = 0; j < 200; j++) {
            store.append(s.id(), new dev.opencx.event.TurnCompleted(41, "replied", "", 10));
        }
        store.append(s.id(), customer("question 41"));
        long end = store.session(s.id()).orElseThrow().lastSeq() + 1;

        assertThat(store.messageEvents(s.id(), end, 3))
                .extracting(e -> ((MessageReceived) e.payload()).message().text())
                .containsExactly("question 39", "question 40", "question 41");
        long q40 = store.messageEvents(s.id(), end, 2).get(0).seq();
        assertThat(store.messageEvents(s.id(), q40, 4))
                .extracting(e -> ((MessageReceived) e.payload()).message().text())
                .containsExactly("question 36", "question 37", "question 38", "question 39");
        assertThat(store.messageEvents(s.id(), end, 100)).hasSize(41);
    }

    @Test
    void every_core_payload_type_round_trips_through_the_store() {
        Session s = openFor(ANA);
        List<EventPayload> payloads = samplePayloads();
        Set<Class<?>> types = new HashSet<>();
        for (EventPayload p : payloads) {
            types.add(p.getClass());
            store.append(s.id(), p);
        }

        assertThat(types)
                .containsAll(List.of(dev.opencx.event.CoreEvent.class.getPermittedSubclasses()).stream()
                        .filter(c -> c != SessionOpened.class)
                        .toList());
        List<SessionEvent> events = store.events(s.id());
        assertThat(events.get(0).payload()).isInstanceOf(SessionOpened.class);
        assertThat(events.subList(1, events.size()))
                .extracting(SessionEvent::payload)
                .containsExactlyElementsOf(payloads);
    }

    // ---- the PII vault ----

    @Test
    void vault_entries_are_kept_per_session_in_order_and_the_first_value_of_a_placeholder_wins() {
        Session a = openFor(ANA);
        Session b = openFor(BOB);
        assertThat(store.vaultEntries(a.id())).isEmpty();

        store.putVaultEntries(
                a.id(),
                List.of(
                        new VaultEntry("[EMAIL_1]", "EMAIL", "sealed-1"),
                        new VaultEntry("[PHONE_1]", "PHONE", "sealed-2")));
        store.putVaultEntries(
                a.id(),
                List.of(
                        new VaultEntry("[EMAIL_1]", "EMAIL", "other"),
                        new VaultEntry("[EMAIL_2]", "EMAIL", "sealed-3")));
        store.putVaultEntries(b.id(), List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "bob-sealed")));

        assertThat(store.vaultEntries(a.id()))
                .extracting(VaultEntry::placeholder, VaultEntry::type, VaultEntry::sealedValue)
                .containsExactly(
                        tuple("[EMAIL_1]", "EMAIL", "sealed-1"),
                        tuple("[PHONE_1]", "PHONE", "sealed-2"),
                        tuple("[EMAIL_2]", "EMAIL", "sealed-3"));
        assertThat(store.vaultEntries(b.id()))
                .extracting(VaultEntry::sealedValue)
                .containsExactly("bob-sealed");
    }

    @Test
    void deleting_a_vault_erases_only_that_session() {
        Session a = openFor(ANA);
        Session b = openFor(BOB);
        store.putVaultEntries(
                a.id(), List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "x"), new VaultEntry("[PHONE_1]", "PHONE", "y")));
        store.putVaultEntries(b.id(), List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "z")));

        assertThat(store.deleteVaultEntries(a.id())).isEqualTo(2);
        assertThat(store.deleteVaultEntries(a.id())).isZero();

        assertThat(store.vaultEntries(a.id())).isEmpty();
        assertThat(store.vaultEntries(b.id())).hasSize(1);
        store.putVaultEntries(a.id(), List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "again")));
        assertThat(store.vaultEntries(a.id()))
                .extracting(VaultEntry::sealedValue)
                .containsExactly("again");
    }

    @Test
    void vault_calls_for_an_unknown_session_are_rejected() {
        List<VaultEntry> one = List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "x"));
        assertThatThrownBy(() -> store.putVaultEntries("ghost", one)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.vaultEntries("ghost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.deleteVaultEntries("ghost")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.vaultEntries(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void concurrent_vault_writes_of_one_placeholder_keep_exactly_one_value() throws Exception {
        Session s = openFor(ANA);
        AtomicInteger n = new AtomicInteger();
        concurrently(4, () -> {
            store.putVaultEntries(s.id(), List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "v" + n.incrementAndGet())));
            return null;
        });
        assertThat(store.vaultEntries(s.id())).hasSize(1);
    }

    @Test
    void vault_survives_close_and_reopen() {
        Session s = openFor(ANA);
        store.putVaultEntries(s.id(), List.of(new VaultEntry("[EMAIL_1]", "EMAIL", "sealed-1")));
        store.close();

        store = track(reopen(clock));

        assertThat(store.vaultEntries(s.id()))
                .extracting(VaultEntry::sealedValue)
                .containsExactly("sealed-1");
    }

    // ---- durability (stores that override reopen) ----

    @Test
    void data_survives_close_and_reopen() {
        Contact ana = store.findOrCreateContact(ANA, "Ana");
        Session s = open(ana, ChannelId.WEB, "");
        store.appendInbound(s.id(), customer("hello"), ChannelId.WEB, "ext-1");
        store.append(s.id(), new AgentJoined("agent-1"), List.of(item("k1")));
        List<SessionEvent> events = store.events(s.id());
        Session before = store.session(s.id()).orElseThrow();
        store.close();

        store = track(reopen(clock));

        assertThat(store.findContact(ANA)).contains(ana);
        assertThat(store.session(s.id())).contains(before);
        assertThat(store.sessionByTicket(s.ticket())).contains(before);
        assertThat(store.events(s.id())).isEqualTo(events);
        assertThat(store.isDuplicate(ChannelId.WEB, "ext-1")).isTrue();
        assertThat(store.findInbound(ChannelId.WEB, "ext-1"))
                .map(f -> f.sessionId() + " " + f.ticket() + " " + f.seq() + " "
                        + f.message().text())
                .contains(s.id() + " " + s.ticket() + " 2 hello");
        assertThat(store.outbox(s.id()))
                .extracting(e -> e.item().idempotencyKey())
                .containsExactly("k1");
        assertThat(store.nextTicketNumber()).isGreaterThan(s.ticket());
        assertThat(store.append(s.id(), new SessionResolved("agent-1")).seq()).isEqualTo(events.size() + 1);
    }

    // ---- arguments and lifecycle ----

    @Test
    void null_arguments_are_rejected() {
        Session s = openFor(ANA);
        String id = s.id();
        List<ThrowingCallable> calls = List.of(
                () -> store.findOrCreateContact(null, "x"),
                () -> store.findOrCreateContact(ANA, null),
                () -> store.findContact(null),
                () -> store.contact(null),
                () -> store.linkIdentity(null, ANA),
                () -> store.linkIdentity(s.contactId(), null),
                () -> store.mergeContacts(null, s.contactId()),
                () -> store.mergeContacts(s.contactId(), null),
                () -> store.findOpenSession(null, ChannelId.WEB, ""),
                () -> store.findOpenSession(s.contactId(), null, ""),
                () -> store.findOpenSession(s.contactId(), ChannelId.WEB, null),
                () -> store.openSession(null),
                () -> store.session(null),
                () -> store.sessionByTicket(null),
                () -> store.sessions(null),
                () -> store.sessionsOfContact(null),
                () -> store.append(null, new AgentJoined("a")),
                () -> store.append(id, null),
                () -> store.append(id, new AgentJoined("a"), null),
                () -> store.appendInbound(null, customer("x"), ChannelId.WEB, ""),
                () -> store.appendInbound(id, null, ChannelId.WEB, ""),
                () -> store.appendInbound(id, customer("x"), null, ""),
                () -> store.appendInbound(id, customer("x"), ChannelId.WEB, null),
                () -> store.isDuplicate(null, "x"),
                () -> store.isDuplicate(ChannelId.WEB, null),
                () -> store.findInbound(null, "x"),
                () -> store.findInbound(ChannelId.WEB, null),
                () -> store.events(null),
                () -> store.claimOutbox(null, 1, Duration.ofSeconds(1)),
                () -> store.claimOutbox(Instant.now(), 1, null),
                () -> store.outboxRetry(1, 1, null, "e"),
                () -> store.outboxRetry(1, 1, Instant.now(), null),
                () -> store.outboxDead(1, 1, null),
                () -> store.outbox(null));
        for (int i = 0; i < calls.size(); i++) {
            assertThatThrownBy(calls.get(i)).as("call #%d", i).isInstanceOf(NullPointerException.class);
        }
        assertThat(store.events(id)).as("nothing was appended").hasSize(1);
    }

    @Test
    void close_is_idempotent_and_a_closed_store_refuses_work() {
        Session s = openFor(ANA);

        store.close();
        store.close();

        assertThatThrownBy(() -> store.session(s.id())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.append(s.id(), new AgentJoined("a"))).isInstanceOf(IllegalStateException.class);
    }

    // ---- module events and outbox kinds ----

    /** A module's event, as a module would write it: registered as {@value #FLAGGED}. */
    public record ContractFlagged(String orderId, int score, List<String> tags, Instant seenAt)
            implements ModuleEvent {}

    /** The type name the suite registers {@link ContractFlagged} under. */
    public static final String FLAGGED = "contract.order_flagged";

    /** A module's kind of outbox work. */
    public static final OutboxKind RECHECK = OutboxKind.of("contract.recheck");

    private static EventTypes moduleTypes() {
        return EventTypes.core().with(FLAGGED, ContractFlagged.class);
    }

    private ContractFlagged flagged(String orderId) {
        return new ContractFlagged(orderId, 7, List.of("chargeback", "vip"), clock.instant());
    }

    @Test
    void module_events_round_trip_and_leave_the_session_state_alone() {
        store.registerEventTypes(moduleTypes());
        Session s = openFor(ANA);
        store.append(s.id(), customer("hello"));
        Session before = store.session(s.id()).orElseThrow();
        SessionEvent e = store.append(s.id(), flagged("A-17"));
        List<SessionEvent> both =
                store.appendAll(s.id(), List.of(flagged("A-18"), new AgentJoined("maria")), List.of());

        assertThat(e.payload()).isEqualTo(flagged("A-17"));
        assertThat(store.events(s.id()))
                .extracting(SessionEvent::payload)
                .containsSubsequence(flagged("A-17"), flagged("A-18"), new AgentJoined("maria"));
        assertThat(store.events(s.id(), e.seq() - 1, 1))
                .extracting(SessionEvent::payload)
                .containsExactly(flagged("A-17"));
        assertThat(store.messageEvents(s.id(), Long.MAX_VALUE)).hasSize(1);
        Session after = store.session(s.id()).orElseThrow();
        assertThat(after.lastSeq()).isEqualTo(both.get(1).seq());
        assertThat(after.state()).isEqualTo(SessionState.AGENT_ACTIVE); // from AgentJoined, not the module events
        assertThat(after.handledSeq()).isEqualTo(before.handledSeq());
    }

    @Test
    void a_module_event_of_an_unregistered_type_is_refused_and_nothing_is_stored() {
        Session s = openFor(ANA);
        store.registerEventTypes(EventTypes.core());
        long last = store.session(s.id()).orElseThrow().lastSeq();
        assertThatThrownBy(() -> store.append(s.id(), flagged("A-17")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ContractFlagged.class.getName());
        assertThat(store.session(s.id()).orElseThrow().lastSeq()).isEqualTo(last);
    }

    @Test
    void an_unknown_event_is_kept_with_its_type_and_json() throws Exception {
        Session s = openFor(ANA);
        String json = "{\"type\":\"elsewhere.thing_happened\",\"n\":3,\"who\":{\"id\":\"x\"}}";
        store.append(s.id(), new UnknownEvent("elsewhere.thing_happened", json));

        EventPayload back = store.events(s.id()).get(1).payload();
        assertThat(back).isInstanceOf(UnknownEvent.class);
        UnknownEvent u = (UnknownEvent) back;
        assertThat(u.type()).isEqualTo("elsewhere.thing_happened");
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(u.json())).isEqualTo(m.readTree(json));
        assertThat(u.fields().path("n").asInt()).isEqualTo(3);
    }

    @Test
    void module_outbox_kinds_are_stored_claimed_and_completed_like_core_ones() {
        store.registerEventTypes(moduleTypes());
        Session s = openFor(ANA);
        OutboxItem work = new OutboxItem(RECHECK, "contract-module", "recheck-A-17", "{\"orderId\":\"A-17\"}");
        store.append(s.id(), flagged("A-17"), List.of(work, item("send-1")));

        assertThat(store.outbox(s.id()))
                .extracting(o -> o.item().kind())
                .containsExactly(RECHECK, OutboxKind.CHANNEL_SEND);
        List<OutboxEntry> claimed = store.claimOutbox(clock.instant(), 10, Duration.ofSeconds(30));
        assertThat(claimed).extracting(OutboxEntry::item).containsExactly(work, item("send-1"));
        store.outboxRetry(claimed.get(0).id(), 1, clock.instant(), "failed once");
        OutboxEntry again =
                store.claimOutbox(clock.instant(), 10, Duration.ofSeconds(30)).get(0);
        assertThat(again.item().kind()).isEqualTo(RECHECK);
        assertThat(again.attempts()).isEqualTo(1);
        store.outboxDelivered(again.id(), 2);
        assertThat(store.outbox(s.id()).get(0).status()).isEqualTo(OutboxStatus.DELIVERED);
    }

    @Test
    void a_store_reopened_without_the_module_reads_its_events_as_unknown_and_keeps_them() throws Exception {
        store.registerEventTypes(moduleTypes());
        Session s = openFor(ANA);
        store.append(s.id(), customer("hello"));
        store.append(
                s.id(),
                flagged("A-17"),
                List.of(new OutboxItem(RECHECK, "contract-module", "recheck-A-17", "{\"orderId\":\"A-17\"}")));
        store.close();

        ConversationStore plain = track(reopen(clock)); // nobody registers the module
        List<SessionEvent> events = plain.events(s.id());
        assertThat(events).hasSize(3);
        assertThat(events.get(1).payload()).isInstanceOf(MessageReceived.class);
        assertThat(events.get(2).payload()).isInstanceOf(UnknownEvent.class);
        UnknownEvent u = (UnknownEvent) events.get(2).payload();
        assertThat(u.type()).isEqualTo(FLAGGED);
        assertThat(u.fields().path("orderId").asText()).isEqualTo("A-17");
        assertThat(u.fields().path("tags").get(1).asText()).isEqualTo("vip");
        assertThat(plain.messageEvents(s.id(), Long.MAX_VALUE)).hasSize(1);
        assertThat(plain.session(s.id()).orElseThrow().lastSeq()).isEqualTo(3);
        assertThat(plain.outbox(s.id())).singleElement().satisfies(o -> {
            assertThat(o.item().kind()).isEqualTo(RECHECK);
            assertThat(o.status()).isEqualTo(OutboxStatus.PENDING);
        });
        // the session goes on without the module
        plain.append(s.id(), new AgentJoined("maria"));

        plain.registerEventTypes(moduleTypes()); // the module comes back
        assertThat(plain.events(s.id()).get(2).payload()).isEqualTo(flagged("A-17"));
        assertThat(plain.events(s.id()).get(3).payload()).isEqualTo(new AgentJoined("maria"));
    }
}
