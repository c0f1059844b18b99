package dev.opencx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.opencx.store.jdbc.JdbcConversationStore.SqliteSynchronous;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HikariCP pools the store opens for itself: their size, their connections' settings, closing. */
class StorePoolsTest {
    @TempDir
    Path dir;

    @Test
    void every_sqlite_connection_is_opened_with_the_crash_safe_settings_and_readers_cannot_write() throws Exception {
        try (JdbcConversationStore store = JdbcConversationStore.builder()
                .sqlite(dir)
                .maxPoolSize(3)
                .connectionTimeout(Duration.ofSeconds(7))
                .build()) {
            List<HikariDataSource> pools = store.ownedPools();
            assertThat(pools).hasSize(2);
            HikariDataSource writer = pools.get(0);
            HikariDataSource readers = pools.get(1);
            assertThat(writer.getMaximumPoolSize()).isEqualTo(1);
            assertThat(readers.getMaximumPoolSize()).isEqualTo(3);

            try (Connection w = writer.getConnection()) {
                assertThat(pragma(w, "journal_mode")).isEqualTo("wal");
                assertThat(pragma(w, "synchronous")).as("FULL").isEqualTo("2");
                assertThat(pragma(w, "busy_timeout")).isEqualTo("7000");
                assertThat(pragma(w, "foreign_keys")).isEqualTo("1");
                assertThat(pragma(w, "query_only")).isEqualTo("0");
            }
            List<Connection> borrowed = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    borrowed.add(readers.getConnection()); // three distinct connections at once
                }
                for (Connection r : borrowed) {
                    assertThat(pragma(r, "synchronous")).isEqualTo("2");
                    assertThat(pragma(r, "busy_timeout")).isEqualTo("7000");
                    assertThat(pragma(r, "query_only")).isEqualTo("1");
                    assertThatThrownBy(() -> {
                                try (Statement st = r.createStatement()) {
                                    st.execute("DELETE FROM opencx_schema_version");
                                }
                            })
                            .isInstanceOf(SQLException.class)
                            .hasMessageContaining("readonly");
                }
            } finally {
                for (Connection c : borrowed) {
                    c.close();
                }
            }
        }
    }

    @Test
    void the_synchronous_setting_reaches_every_connection() throws Exception {
        try (JdbcConversationStore store = JdbcConversationStore.builder()
                .sqlite(dir)
                .sqliteSynchronous(SqliteSynchronous.NORMAL)
                .build()) {
            for (HikariDataSource pool : store.ownedPools()) {
                try (Connection c = pool.getConnection()) {
                    assertThat(pragma(c, "synchronous")).as(pool.getPoolName()).isEqualTo("1");
                }
            }
        }
    }

    @Test
    void a_caller_finding_every_connection_in_use_waits_the_connection_timeout_then_fails_transiently()
            throws Exception {
        try (JdbcConversationStore store = JdbcConversationStore.builder()
                .url("jdbc:h2:mem:pools-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1", "sa", "")
                .maxPoolSize(2)
                .connectionTimeout(Duration.ofMillis(300))
                .build()) {
            HikariDataSource pool = store.ownedPools().get(0);
            try (Connection a = pool.getConnection();
                    Connection b = pool.getConnection()) {
                long start = System.nanoTime();
                assertThatThrownBy(pool::getConnection).isInstanceOf(SQLTransientConnectionException.class);
                long waitedMs = (System.nanoTime() - start) / 1_000_000;
                System.out.println("waited " + waitedMs + " ms for a third connection of 2");
                assertThat(waitedMs).isGreaterThanOrEqualTo(250);
            }
            assertThat(store.nextTicketNumber()).as("free again once returned").isNotNull();
        }
    }

    @Test
    void close_closes_the_pools_the_store_opened_and_the_store_refuses_work_afterwards() {
        JdbcConversationStore store =
                JdbcConversationStore.builder().sqlite(dir).build();
        List<HikariDataSource> pools = store.ownedPools();
        store.nextTicketNumber();

        store.close();
        store.close(); // idempotent

        assertThat(pools).allSatisfy(p -> assertThat(p.isClosed()).isTrue());
        assertThatThrownBy(store::nextTicketNumber).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> pools.get(1).getConnection()).isInstanceOf(SQLException.class);
    }

    private static String pragma(Connection c, String name) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
