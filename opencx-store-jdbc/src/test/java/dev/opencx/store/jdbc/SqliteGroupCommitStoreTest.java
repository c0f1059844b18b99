package dev.opencx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.AgentJoined;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.store.NewSession;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQLite store's own write paths sharing commits: what a pipeline's concurrent turns rely on. */
class SqliteGroupCommitStoreTest {
    @TempDir
    Path dir;

    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    @Test
    void store_writes_in_one_batch_keep_their_own_outcomes_and_survive_a_restart() throws Exception {
        Session s1;
        Session s2;
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(dir)) {
            Contact alice = store.findOrCreateContact(Identity.email("alice@example.com"), "Alice");
            s1 = store.openSession(new NewSession(alice.id(), ChannelId.API, "", "en"));
            s2 = store.openSession(new NewSession(alice.id(), ChannelId.WEB, "", "en"));
            GroupCommitWriter writer = store.writer();
            long commitsBefore = writer.commits();

            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            Future<Object> held = threads.submit(() -> writer.write("holding", (c, undo) -> {
                running.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }));
            assertThat(running.await(30, TimeUnit.SECONDS)).isTrue();

            Future<SessionEvent> first = queue(writer, () -> store.append(s1.id(), new AgentJoined("ann")));
            Future<SessionEvent> unknown = queue(writer, () -> store.append("no-such-session", new AgentJoined("x")));
            Future<Optional<SessionEvent>> inbound =
                    queue(writer, () -> store.appendInbound(s2.id(), received("m-1"), ChannelId.WEB, "ext-1"));
            Future<Optional<SessionEvent>> duplicate =
                    queue(writer, () -> store.appendInbound(s2.id(), received("m-1"), ChannelId.WEB, "ext-1"));
            Future<Contact> bob =
                    queue(writer, () -> store.findOrCreateContact(Identity.email("bob@example.com"), "Bob"));
            Future<Contact> bobAgain =
                    queue(writer, () -> store.findOrCreateContact(Identity.email("bob@example.com"), "Robert"));
            Future<SessionEvent> second = queue(writer, () -> store.append(s1.id(), new AgentJoined("ben")));
            release.countDown();
            held.get(30, TimeUnit.SECONDS);

            assertThat(first.get(30, TimeUnit.SECONDS).seq()).isEqualTo(2);
            assertThat(second.get(30, TimeUnit.SECONDS).seq()).isEqualTo(3);
            assertThatThrownBy(() -> unknown.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no-such-session");
            assertThat(inbound.get(30, TimeUnit.SECONDS)).isPresent();
            assertThat(duplicate.get(30, TimeUnit.SECONDS)).isEmpty();
            assertThat(bobAgain.get(30, TimeUnit.SECONDS).id())
                    .isEqualTo(bob.get(30, TimeUnit.SECONDS).id());
            // the held transaction, then the seven queued behind it: in one commit unless the batch
            // ran past its time bound on a slow machine (GroupCommitWriterTest pins batches exactly)
            System.out.printf(
                    "SQLite store: 1 held + 7 queued write transactions in %d commits%n",
                    writer.commits() - commitsBefore);
        }
        try (JdbcConversationStore reopened = JdbcConversationStore.sqlite(dir)) {
            assertThat(reopened.events(s1.id(), 0, 10))
                    .extracting(SessionEvent::seq)
                    .containsExactly(1L, 2L, 3L);
            assertThat(reopened.events(s2.id(), 0, 10)).hasSize(2);
            assertThat(reopened.findContact(Identity.email("bob@example.com"))
                            .orElseThrow()
                            .displayName())
                    .isEqualTo("Bob");
        }
    }

    @Test
    void concurrent_turns_lose_no_event_keep_sequences_gapless_and_share_commits() throws Exception {
        int sessions = 12;
        int appendsEach = 30;
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(dir)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Session>> done = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                int n = i;
                done.add(threads.submit(() -> {
                    go.await();
                    // every thread also races for one shared contact: all must get the same one
                    Contact shared = store.findOrCreateContact(Identity.email("shared@example.com"), "");
                    Contact own = store.findOrCreateContact(Identity.custom("own-" + n), "");
                    Session s = store.openSession(new NewSession(own.id(), ChannelId.API, "", "en"));
                    for (int k = 0; k < appendsEach; k++) {
                        SessionEvent e = store.append(s.id(), new AgentJoined(shared.id()));
                        assertThat(e.seq()).isEqualTo(k + 2);
                    }
                    return s;
                }));
            }
            long t0 = System.nanoTime();
            go.countDown();
            List<Long> tickets = new ArrayList<>();
            for (Future<Session> f : done) {
                Session s = f.get(120, TimeUnit.SECONDS);
                tickets.add(s.ticket().value());
                List<SessionEvent> events = store.events(s.id(), 0, 1000);
                assertThat(events)
                        .extracting(SessionEvent::seq)
                        .doesNotHaveDuplicates()
                        .hasSize(1 + appendsEach);
                assertThat(events.get(events.size() - 1).seq()).isEqualTo(1 + appendsEach);
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String sharedId = store.findContact(Identity.email("shared@example.com"))
                    .orElseThrow()
                    .id();
            for (Future<Session> f : done) {
                assertThat(store.events(f.get().id(), 1, 1000))
                        .allSatisfy(e -> assertThat(((AgentJoined) e.payload()).agentId())
                                .isEqualTo(sharedId));
            }
            assertThat(tickets).doesNotHaveDuplicates();
            GroupCommitWriter writer = store.writer();
            System.out.printf(
                    "SQLite store: %d threads, %d write transactions in %d commits, %d ms%n",
                    sessions, writer.transactions(), writer.commits(), ms);
            assertThat(writer.commits()).isLessThan(writer.transactions());
        }
    }

    private <T> Future<T> queue(GroupCommitWriter writer, Supplier<T> write) {
        int before = writer.queued();
        Future<T> f = threads.submit(write::get);
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == before + 1);
        return f;
    }

    private static MessageReceived received(String id) {
        return new MessageReceived(new Message(id, Author.CUSTOMER, "", "hello", List.of(), "", Instant.EPOCH));
    }
}
