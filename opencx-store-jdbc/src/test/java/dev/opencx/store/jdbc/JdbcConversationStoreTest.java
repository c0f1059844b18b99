package dev.opencx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.event.AgentJoined;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.store.NewSession;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the contract does not cover: connecting, migrations, the embedded helper. */
class JdbcConversationStoreTest {
    private static final List<String> pgSchemas = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterAll
    static void dropSchemas() throws Exception {
        if (pgSchemas.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(
                        PostgresConversationStoreTest.URL,
                        PostgresConversationStoreTest.USER,
                        PostgresConversationStoreTest.PASSWORD);
                Statement st = c.createStatement()) {
            for (String s : pgSchemas) {
                st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            }
        }
    }

    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void an_unreachable_database_fails_retriably_naming_the_url_but_not_the_password() throws Exception {
        int port = closedPort();
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/app?connectTimeout=2&password=s3cret-in-url";

        assertThatThrownBy(() -> JdbcConversationStore.builder()
                        .url(url, "opencx", "s3cret")
                        .build())
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue())
                .hasMessageContaining("cannot reach the conversation store database")
                .hasMessageContaining("127.0.0.1:" + port + "/app")
                .hasMessageNotContaining("s3cret");
    }

    @Test
    void a_missing_driver_is_reported_with_the_url() {
        assertThatThrownBy(() -> JdbcConversationStore.builder()
                        .url("jdbc:nosuchdb://localhost/x", "u", "p")
                        .build())
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining("jdbc:nosuchdb://localhost/x");
    }

    @Test
    void the_builder_needs_exactly_one_connection_source() {
        assertThatThrownBy(() -> JdbcConversationStore.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("none was set");
        assertThatThrownBy(() -> JdbcConversationStore.builder()
                        .sqlite(dir)
                        .url("jdbc:sqlite:" + dir.resolve("x.db"), null, null)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("2 were set");
        assertThatThrownBy(() -> JdbcConversationStore.builder().maxPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void the_sqlite_helper_keeps_the_database_in_the_directory_across_restarts() throws Exception {
        Path data = dir.resolve("nested/data");
        Contact ana;
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            ana = store.findOrCreateContact(Identity.email("ana@example.com"), "Ana");
            store.openSession(new NewSession(ana.id(), ChannelId.WEB, "", "en"));
            assertThat(store.toString()).contains("SQLITE").contains("opencx.db");
        }
        assertThat(data.resolve(JdbcConversationStore.SQLITE_FILE_NAME)).exists();
        try (JdbcConversationStore store = JdbcConversationStore.embedded(data)) {
            assertThat(store.findContact(Identity.email("ana@example.com"))).contains(ana);
            assertThat(store.sessionsOfContact(ana.id())).hasSize(1);
        }
        String url = "jdbc:sqlite:" + data.resolve("opencx.db");
        assertThat(schemaVersions(url, null, null)).containsExactly(0, 1, 2);
        assertThat(pragma(url, "journal_mode")).isEqualTo("wal");
    }

    @Test
    void sqlite_files_are_private_to_the_user_and_their_folder_too_when_the_store_creates_it() throws Exception {
        assumePosix();
        Path data = dir.resolve("a/b/data");
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            Contact c = store.findOrCreateContact(Identity.email("ana@example.com"), "Ana");
            store.openSession(new NewSession(c.id(), ChannelId.WEB, "", "en"));
            // while the store is open SQLite has its write-ahead log and shared-memory index beside the file
            for (String name : List.of("opencx.db", "opencx.db-wal", "opencx.db-shm")) {
                assertThat(permissions(data.resolve(name))).as(name).isEqualTo("rw-------");
            }
        }
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(dir.resolve("a/b")))
                .as("a parent the store created")
                .isEqualTo("rwx------");
        assertThat(permissions(dir.resolve("a")))
                .as("a parent the store created")
                .isEqualTo("rwx------");
    }

    @Test
    void an_existing_data_folder_keeps_its_permissions_and_the_new_file_is_still_private() throws Exception {
        assumePosix();
        Path data = Files.createDirectories(dir.resolve("shared"));
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            store.nextTicketNumber();
        }
        assertThat(permissions(data)).isEqualTo("rwxr-x---");
        assertThat(permissions(data.resolve("opencx.db"))).isEqualTo("rw-------");
    }

    @Test
    void h2_files_the_store_creates_are_private_too() throws Exception {
        assumePosix();
        Path data = dir.resolve("h2data");
        try (JdbcConversationStore store = JdbcConversationStore.h2(data)) {
            store.nextTicketNumber();
        }
        assertThat(permissions(data)).isEqualTo("rwx------");
        assertThat(permissions(data.resolve("opencx.mv.db"))).isEqualTo("rw-------");
    }

    @Test
    void sqlite_never_hands_out_a_ticket_number_or_an_outbox_id_again_even_after_the_newest_rows_are_deleted()
            throws Exception {
        Path data = dir.resolve("ids");
        String url = "jdbc:sqlite:" + data.resolve("opencx.db");
        long ticket;
        long outboxId;
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            Contact c = store.findOrCreateContact(Identity.email("ana@example.com"), "Ana");
            Session s = store.openSession(new NewSession(c.id(), ChannelId.WEB, "", "en"));
            store.append(
                    s.id(), new AgentJoined("a"), List.of(new OutboxItem(OutboxKind.CHANNEL_SEND, "web", "k1", "{}")));
            ticket = s.ticket().value();
            outboxId = store.outbox(s.id()).get(0).id();
        }
        // someone deletes the newest session with everything that points to it (e.g. an erasure request)
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement()) {
            st.executeUpdate("DELETE FROM opencx_outbox");
            st.executeUpdate("DELETE FROM opencx_events");
            st.executeUpdate("DELETE FROM opencx_sessions");
        }
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            Contact c = store.findOrCreateContact(Identity.email("ana@example.com"), "Ana");
            Session s = store.openSession(new NewSession(c.id(), ChannelId.WEB, "", "en"));
            store.append(
                    s.id(), new AgentJoined("a"), List.of(new OutboxItem(OutboxKind.CHANNEL_SEND, "web", "k2", "{}")));

            assertThat(s.ticket().value()).isGreaterThan(ticket);
            assertThat(store.outbox(s.id()).get(0).id()).isGreaterThan(outboxId);
        }
    }

    @Test
    void concurrent_writers_on_sqlite_wait_their_turn_instead_of_failing_even_from_two_stores_on_one_file()
            throws Exception {
        Path data = dir.resolve("busy");
        int threads = 12;
        int appendsEach = 40;
        try (JdbcConversationStore a = JdbcConversationStore.sqlite(data);
                JdbcConversationStore b = JdbcConversationStore.sqlite(data)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Session>> done = new ArrayList<>();
                for (int i = 0; i < threads; i++) {
                    // two stores on one file stand for two processes: only SQLite's own lock orders them
                    JdbcConversationStore store = i % 2 == 0 ? a : b;
                    int n = i;
                    done.add(pool.submit(() -> {
                        go.await();
                        Contact c = store.findOrCreateContact(Identity.custom("c-" + n), "");
                        Session s = store.openSession(new NewSession(c.id(), ChannelId.API, "", "en"));
                        for (int k = 0; k < appendsEach; k++) {
                            store.append(s.id(), new AgentJoined("a" + k));
                            store.events(s.id(), 0, 5); // and reads in between
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
                    assertThat(a.session(s.id()).orElseThrow().lastSeq()).isEqualTo(1 + appendsEach);
                }
                System.out.printf(
                        "SQLite: %d threads on two stores wrote %d events in %d ms%n",
                        threads, threads * appendsEach, (System.nanoTime() - t0) / 1_000_000);
                assertThat(tickets).doesNotHaveDuplicates();
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void an_in_memory_sqlite_url_is_refused_with_the_alternative() {
        assertThatThrownBy(() -> JdbcConversationStore.builder()
                        .url("jdbc:sqlite::memory:", null, null)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("InMemoryConversationStore");
    }

    @Test
    void a_sqlite_url_gets_the_crash_safe_settings() throws Exception {
        Path file = dir.resolve("own.db");
        String url = "jdbc:sqlite:" + file;
        try (JdbcConversationStore store =
                JdbcConversationStore.builder().url(url, null, null).build()) {
            store.nextTicketNumber();
            assertThat(pragma(url, "journal_mode")).isEqualTo("wal");
        }
    }

    @Test
    void concurrent_starters_on_sqlite_migrate_once() throws Exception {
        String url = "jdbc:sqlite:" + dir.resolve("race.db");
        startConcurrently(url, null, null);
        assertThat(schemaVersions(url, null, null)).containsExactly(0, 1, 2);
    }

    @Test
    void the_h2_helper_keeps_the_database_in_the_directory_across_restarts() throws Exception {
        Path data = dir.resolve("nested/data");
        Contact ana;
        try (JdbcConversationStore store = JdbcConversationStore.h2(data)) {
            ana = store.findOrCreateContact(Identity.email("ana@example.com"), "Ana");
            store.openSession(new NewSession(ana.id(), ChannelId.WEB, "", "en"));
        }
        assertThat(Files.exists(data.resolve("opencx.mv.db"))).isTrue();
        try (JdbcConversationStore store = JdbcConversationStore.h2(data)) {
            assertThat(store.findContact(Identity.email("ana@example.com"))).contains(ana);
            assertThat(store.sessionsOfContact(ana.id())).hasSize(1);
        }
        assertThat(schemaVersions("jdbc:h2:file:" + data.resolve("opencx"), "sa", ""))
                .containsExactly(0, 1, 2);
    }

    @Test
    void an_in_memory_h2_database_and_a_user_data_source_work_and_the_store_leaves_the_data_source_open()
            throws Exception {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:userds;DB_CLOSE_DELAY=-1");
        ds.setUser("sa");
        try (JdbcConversationStore store =
                JdbcConversationStore.builder().dataSource(ds).build()) {
            Contact c = store.findOrCreateContact(Identity.custom("u-1"), "");
            assertThat(store.openSession(new NewSession(c.id(), ChannelId.API, "", "en"))
                            .ticket()
                            .value())
                    .isEqualTo(1000);
            assertThat(store.toString()).contains("H2").doesNotContain("password");
        }
        try (Connection c = ds.getConnection()) {
            assertThat(c.isValid(1)).isTrue();
        }
    }

    @Test
    void concurrent_starters_on_h2_migrate_once() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("race") + ";LOCK_TIMEOUT=10000";
        startConcurrently(url, "sa", "");
        assertThat(schemaVersions(url, "sa", "")).containsExactly(0, 1, 2);
    }

    @Test
    void concurrent_starters_on_postgresql_migrate_once() throws Exception {
        PostgresConversationStoreTest.assumePostgres();
        String url = PostgresConversationStoreTest.freshSchemaUrl(pgSchemas);
        startConcurrently(url, PostgresConversationStoreTest.USER, PostgresConversationStoreTest.PASSWORD);
        assertThat(schemaVersions(url, PostgresConversationStoreTest.USER, PostgresConversationStoreTest.PASSWORD))
                .containsExactly(0, 1, 2);
    }

    private static void startConcurrently(String url, String user, String password) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<JdbcConversationStore>> stores = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                stores.add(pool.submit(() -> {
                    go.await();
                    return JdbcConversationStore.builder()
                            .url(url, user, password)
                            .build();
                }));
            }
            go.countDown();
            for (Future<JdbcConversationStore> f : stores) {
                try (JdbcConversationStore s = f.get(60, TimeUnit.SECONDS)) {
                    assertThat(s.nextTicketNumber().value()).isGreaterThanOrEqualTo(1000);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String pragma(String url, String name) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void assumePosix() {
        Assumptions.assumeTrue(
                FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
                "the file system has no POSIX permissions");
    }

    private static String permissions(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Integer> schemaVersions(String url, String user, String password) throws Exception {
        List<Integer> versions = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version FROM opencx_schema_version ORDER BY version")) {
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
        }
        return versions;
    }
}
