package dev.opencx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.opencx.OpenCxException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group commit on a real SQLite file ({@code synchronous=FULL}): batches are made deterministic by
 * holding a batch open with a body that waits, queueing the writes under test meanwhile (they then
 * form the next batch together), and letting it go.
 */
class GroupCommitWriterTest {
    @TempDir
    Path dir;

    private String url;
    private HikariDataSource pool;
    private GroupCommitWriter writer;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void setUp() throws SQLException {
        url = "jdbc:sqlite:" + dir.resolve("t.db");
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.execute("PRAGMA journal_mode=WAL");
            st.execute("CREATE TABLE t (k TEXT PRIMARY KEY)");
            st.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent TEXT NOT NULL REFERENCES t (k))");
        }
        pool = Pools.open(
                "test-writer",
                url,
                null,
                null,
                Map.of("journal_mode", "WAL", "synchronous", "FULL", "busy_timeout", "10000", "foreign_keys", "true"),
                1,
                Duration.ofSeconds(10),
                null,
                "test.db");
        writer = writer(Duration.ofSeconds(30));
    }

    private GroupCommitWriter writer(Duration wait) {
        // a generous time bound: a slow test machine must not split the batches these tests build
        return new GroupCommitWriter(pool, wait, 64, Duration.ofMinutes(1), "test.db");
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        pool.close();
    }

    @Test
    void a_lone_write_commits_at_once_on_its_own() throws Exception {
        String written = writer.write("one", (c, undo) -> insert(c, "alone"));

        assertThat(written).isEqualTo("alone");

        assertThat(keys()).containsExactly("alone");
        assertThat(writer.transactions()).isEqualTo(1);
        assertThat(writer.commits()).isEqualTo(1);
    }

    @Test
    void a_failing_body_leaves_nothing_while_the_others_in_its_batch_commit_and_never_see_its_writes()
            throws Exception {
        Held held = holdABatch();
        Future<String> a = queue((c, undo) -> insert(c, "a"));
        Future<String> b = queue((c, undo) -> {
            insert(c, "b");
            throw new IllegalStateException("b changed its mind");
        });
        Future<String> seen = queue((c, undo) -> {
            insert(c, "c");
            return "a=" + count(c, "a") + " b=" + count(c, "b");
        });
        held.release();

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(seen.get(30, TimeUnit.SECONDS)).isEqualTo("a=1 b=0");
        assertThatThrownBy(() -> b.get(30, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IllegalStateException.class)
                .hasMessageContaining("b changed its mind");
        assertThat(keys()).containsExactly("a", "c", "held");
        // the held batch, then a, b and c in one commit
        assertThat(writer.transactions()).isEqualTo(4);
        assertThat(writer.commits()).isEqualTo(2);
    }

    @Test
    void a_body_that_discards_its_writes_keeps_what_it_writes_afterwards_and_the_batch_keeps_the_rest()
            throws Exception {
        Held held = holdABatch();
        Future<String> a = queue((c, undo) -> insert(c, "a"));
        Future<String> b = queue((c, undo) -> {
            insert(c, "b1");
            undo.discard();
            return insert(c, "b2") + " a=" + count(c, "a");
        });
        held.release();

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("a");
        assertThat(b.get(30, TimeUnit.SECONDS)).isEqualTo("b2 a=1");
        assertThat(keys()).containsExactly("a", "b2", "held");
    }

    @Test
    void a_failed_commit_fails_every_caller_of_the_batch_and_stores_none_of_it() throws Exception {
        Held held = holdABatch();
        Future<String> a = queue((c, undo) -> insert(c, "a"));
        Future<String> orphan = queue((c, undo) -> {
            // legal until COMMIT, which then fails: a child whose parent does not exist
            try (Statement st = c.createStatement()) {
                st.execute("PRAGMA defer_foreign_keys = ON");
                st.execute("INSERT INTO child (parent) VALUES ('nobody')");
            }
            return "orphan";
        });
        Future<String> c = queue((conn, undo) -> insert(conn, "c"));
        held.release();

        for (Future<String> f : List.of(a, orphan, c)) {
            assertThatThrownBy(() -> f.get(30, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(SQLException.class)
                    .hasMessageContaining("FOREIGN KEY");
        }
        assertThat(keys()).containsExactly("held");
        assertThat(childRows()).isZero();
        assertThat(writer.commits()).isEqualTo(1);

        // the writer goes on: the failed transaction left nothing open behind
        String after = writer.write("after", (conn, undo) -> insert(conn, "after"));
        assertThat(after).isEqualTo("after");
        assertThat(keys()).containsExactly("after", "held");
    }

    @Test
    void a_body_cannot_commit_or_roll_back_the_shared_transaction() throws Exception {
        Held held = holdABatch();
        Future<String> a = queue((c, undo) -> insert(c, "a"));
        Future<String> committer = queue((c, undo) -> {
            insert(c, "x");
            c.commit();
            return "committed";
        });
        Future<String> rollbacker = queue((c, undo) -> {
            c.rollback();
            return "rolled back";
        });
        held.release();

        assertThat(a.get(30, TimeUnit.SECONDS)).isEqualTo("a");
        assertThatThrownBy(() -> committer.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> rollbacker.get(30, TimeUnit.SECONDS)).hasCauseInstanceOf(SQLException.class);
        assertThat(keys()).containsExactly("a", "held");
    }

    @Test
    void a_write_that_waits_longer_than_allowed_fails_retriably_and_its_body_never_runs() throws Exception {
        writer = writer(Duration.ofMillis(200));
        Held held = holdABatch();
        AtomicBoolean ran = new AtomicBoolean();

        assertThatThrownBy(() -> writer.write("late", (c, undo) -> {
                    ran.set(true);
                    return insert(c, "late");
                }))
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining("no free write slot")
                .satisfies(e -> assertThat(((OpenCxException) e).isRetriable()).isTrue());
        held.release();

        held.done.get(30, TimeUnit.SECONDS);
        assertThat(ran).isFalse();
        assertThat(writer.queued()).isZero();
        assertThat(keys()).containsExactly("held");
    }

    @Test
    void many_concurrent_writers_each_get_their_own_result_lose_nothing_and_share_commits() throws Exception {
        int writers = 16;
        int each = 40;
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<String>>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int n = w;
            done.add(threads.submit(() -> {
                go.await();
                List<String> mismatches = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    String key = n + "-" + i;
                    // the body answers with the row it wrote, read back by its rowid
                    String got = writer.write("many", (c, undo) -> {
                        insert(c, key);
                        try (Statement st = c.createStatement();
                                ResultSet rs = st.executeQuery("SELECT k FROM t WHERE rowid = last_insert_rowid()")) {
                            rs.next();
                            return rs.getString(1);
                        }
                    });
                    if (!key.equals(got)) {
                        mismatches.add(key + " got " + got);
                    }
                }
                return mismatches;
            }));
        }
        long t0 = System.nanoTime();
        go.countDown();
        for (Future<List<String>> f : done) {
            assertThat(f.get(120, TimeUnit.SECONDS)).isEmpty();
        }
        long ms = (System.nanoTime() - t0) / 1_000_000;

        assertThat(keys()).hasSize(writers * each);
        assertThat(writer.transactions()).isEqualTo(writers * each);
        System.out.printf(
                "group commit: %d writers, %d transactions in %d commits, %d ms%n",
                writers, writer.transactions(), writer.commits(), ms);
        assertThat(writer.commits()).isLessThan(writer.transactions());
    }

    // ---- helpers ----

    /** A batch kept open by its only body until {@link Held#release()}. */
    private final class Held {
        final CountDownLatch running = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        Future<String> done;

        void release() {
            release.countDown();
        }
    }

    private Held holdABatch() throws InterruptedException {
        Held held = new Held();
        held.done = threads.submit(() -> writer.write("held", (c, undo) -> {
            held.running.countDown();
            awaitQuietly(held.release);
            return insert(c, "held");
        }));
        assertThat(held.running.await(30, TimeUnit.SECONDS)).isTrue();
        return held;
    }

    /** Queues a write from its own thread, behind those queued before it. */
    private <T> Future<T> queue(GroupCommitWriter.Body<T> body) {
        int before = writer.queued();
        Future<T> f = threads.submit(() -> writer.write("queued", body));
        await().atMost(Duration.ofSeconds(30)).until(() -> writer.queued() == before + 1);
        return f;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String insert(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO t (k) VALUES (?)")) {
            ps.setString(1, key);
            ps.executeUpdate();
        }
        return key;
    }

    private static int count(Connection c, String key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM t WHERE k = ?")) {
            ps.setString(1, key);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    /** The committed keys, read on a connection of their own, sorted. */
    private List<String> keys() throws SQLException {
        TreeSet<String> out = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT k FROM t")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return List.copyOf(out);
    }

    private long childRows() throws SQLException {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM child")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
