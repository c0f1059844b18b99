package dev.opencx.store.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@code dev/opencx/store/jdbc/migration/V<n>__<description>.sql} in order (V1, V2, … until
 * the first missing number), each in its own transaction, and records it in {@code
 * opencx_schema_version}. SQLite has its own scripts with the same numbers in {@code
 * migration/sqlite/}. Concurrent starters are serialized: PostgreSQL with a transaction-scoped
 * advisory lock per schema, H2 with a lock on the version table's lock row plus a JVM-wide lock (H2
 * commits DDL implicitly, so its scripts are not atomic; an embedded H2 file has one JVM anyway),
 * SQLite by its write lock (the store's writer connection begins every transaction with {@code
 * BEGIN IMMEDIATE}; SQLite's DDL is transactional) plus the same JVM-wide lock.
 */
final class SchemaMigrator {
    private static final Logger log = LoggerFactory.getLogger(SchemaMigrator.class);
    private static final ReentrantLock EMBEDDED_LOCK = new ReentrantLock();

    private final DataSource dataSource;
    private final Dialect dialect;

    SchemaMigrator(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** Brings the schema up to date; returns the version it is at. */
    int migrate() throws SQLException {
        boolean embedded = dialect != Dialect.POSTGRESQL;
        if (embedded) {
            EMBEDDED_LOCK.lock();
        }
        try {
            createVersionTable();
            int version;
            while (true) {
                version = applyNext();
                if (version < 0) {
                    break;
                }
            }
            return currentVersion();
        } finally {
            if (embedded) {
                EMBEDDED_LOCK.unlock();
            }
        }
    }

    private void createVersionTable() throws SQLException {
        try (Connection c = dataSource.getConnection();
                Statement st = c.createStatement()) {
            c.setAutoCommit(true);
            try {
                st.execute("CREATE TABLE IF NOT EXISTS opencx_schema_version ("
                        + "version INTEGER NOT NULL PRIMARY KEY, "
                        + "description VARCHAR(200) NOT NULL, "
                        + "installed_at " + dialect.timestampType + " NOT NULL)");
            } catch (SQLException e) {
                // PostgreSQL: two starters racing on CREATE TABLE IF NOT EXISTS; the other one won
                if (!tableExists(c)) {
                    throw e;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO opencx_schema_version"
                    + " (version, description, installed_at) VALUES (0, '<< lock row >>', ?)")) {
                ps.setObject(1, dialect.timestamp(Instant.now()));
                ps.executeUpdate();
            } catch (SQLException e) {
                if (!JdbcConversationStore.isUniqueViolation(e)) {
                    throw e;
                }
            }
        }
    }

    private static boolean tableExists(Connection c) {
        try (Statement st = c.createStatement()) {
            st.executeQuery("SELECT COUNT(*) FROM opencx_schema_version").close();
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /** Applies the next missing script in one transaction; -1 when there is none. */
    private int applyNext() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                lock(c);
                int next = currentVersion(c) + 1;
                String name = scriptName(next);
                if (name == null) {
                    c.rollback();
                    return -1;
                }
                log.info("applying OpenCX schema migration {}", name);
                try (Statement st = c.createStatement()) {
                    for (String sql : statements(dialect.render(read(dialect.migrationPath + name)))) {
                        st.execute(sql);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO opencx_schema_version (version, description, installed_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, next);
                    ps.setString(2, name);
                    ps.setObject(3, dialect.timestamp(Instant.now()));
                    ps.executeUpdate();
                }
                c.commit();
                return next;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void lock(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (dialect == Dialect.POSTGRESQL) {
                st.executeQuery("SELECT pg_advisory_xact_lock(hashtext('opencx_schema_version.' || current_schema()))")
                        .close();
            } else if (dialect == Dialect.H2) {
                st.executeQuery("SELECT version FROM opencx_schema_version WHERE version = 0 FOR UPDATE")
                        .close();
            }
            // SQLite: the transaction already holds the database's write lock (BEGIN IMMEDIATE)
        }
    }

    int currentVersion() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return currentVersion(c);
        }
    }

    private static int currentVersion(Connection c) throws SQLException {
        try (Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT MAX(version) FROM opencx_schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The resource name of script {@code version}, or null when there is none. */
    static String scriptName(int version) {
        // a script's description is free text, so look for the one resource that starts with V<n>__
        for (String candidate : KNOWN_SCRIPTS) {
            if (candidate.startsWith("V" + version + "__")) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The scripts shipped with this version of OpenCX, in order. Resources in a jar cannot be listed
     * portably, so each new script is also added here (and to {@code migration/sqlite/} in SQLite's
     * SQL).
     */
    static final List<String> KNOWN_SCRIPTS = List.of("V1__init.sql", "V2__pii_vault.sql");

    private static String read(String resource) {
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("migration script missing from the classpath: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read migration script " + resource, e);
        }
    }

    /** Splits a script on {@code ;} at the end of a line, dropping {@code --} comment lines. */
    static List<String> statements(String script) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("--")) {
                continue;
            }
            if (t.endsWith(";")) {
                current.append(t, 0, t.length() - 1);
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(t).append('\n');
            }
        }
        if (!current.toString().isBlank()) {
            out.add(current.toString());
        }
        return out;
    }
}
