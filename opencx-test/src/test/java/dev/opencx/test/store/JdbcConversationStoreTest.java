package dev.opencx.test.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.store.NewSession;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
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
                .hasMessageContaining("neither");
        assertThatThrownBy(() -> JdbcConversationStore.builder().maxPoolSize(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
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
