package dev.opencx.store.jdbc;

import static org.assertj.core.api.Assertions.fail;

import dev.opencx.store.ConversationStore;
import dev.opencx.test.store.ConversationStoreContract;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;

/**
 * The contract on PostgreSQL. Connects to {@code OPENCX_PG_URL} (default {@code
 * jdbc:postgresql://127.0.0.1:55432/postgres}) as {@code OPENCX_PG_USER} (default postgres) with
 * {@code OPENCX_PG_PASSWORD}; each test gets a fresh schema, dropped after the class. When the
 * server cannot be reached the tests are skipped, unless {@code CI=true}: then they fail. Start a
 * server with {@code bash .ci/postgres.sh}.
 */
class PostgresConversationStoreTest extends ConversationStoreContract {
    static final String URL = env("OPENCX_PG_URL", "jdbc:postgresql://127.0.0.1:55432/postgres");
    static final String USER = env("OPENCX_PG_USER", "postgres");
    static final String PASSWORD = env("OPENCX_PG_PASSWORD", "");

    private static final List<String> schemas = new ArrayList<>();
    private String schema;

    private static String unreachable;
    private static boolean checked;

    /** Skips (or, on CI, fails) when PostgreSQL is unreachable; checks once per JVM. */
    static synchronized void assumePostgres() {
        if (!checked) {
            checked = true;
            try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD)) {
                c.isValid(2);
            } catch (SQLException e) {
                unreachable = e.getMessage();
            }
        }
        if (unreachable != null) {
            String why = "PostgreSQL is not reachable at " + URL + " as " + USER + " (" + unreachable
                    + "); start one with `bash .ci/postgres.sh` or set OPENCX_PG_URL/OPENCX_PG_USER/OPENCX_PG_PASSWORD";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("CI=true and " + why);
            }
            Assumptions.abort("skipping the PostgreSQL store tests: " + why);
        }
    }

    @AfterAll
    static void dropSchemas() throws SQLException {
        if (schemas.isEmpty()) {
            return;
        }
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement st = c.createStatement()) {
            for (String s : schemas) {
                st.execute("DROP SCHEMA IF EXISTS " + s + " CASCADE");
            }
        }
        schemas.clear();
    }

    /** Creates an empty schema and returns a URL whose connections use it. */
    static String freshSchemaUrl(List<String> track) {
        String name =
                "opencx_t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection c = DriverManager.getConnection(URL, USER, PASSWORD);
                Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema " + name + " at " + URL, e);
        }
        track.add(name);
        return URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + name;
    }

    @Override
    protected ConversationStore newStore(Clock clock) {
        assumePostgres();
        schema = freshSchemaUrl(schemas);
        return build(clock);
    }

    @Override
    protected ConversationStore reopen(Clock clock) {
        return build(clock);
    }

    private ConversationStore build(Clock clock) {
        return JdbcConversationStore.builder()
                .url(schema, USER, PASSWORD)
                .clock(clock)
                .build();
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
