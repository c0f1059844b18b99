package dev.opencx.store.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;
import dev.opencx.OpenCxException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens the connection pools the store owns when it is built from a JDBC URL or a SQLite folder:
 * HikariCP over the URL's driver. Each pool is fixed-size ({@code maxSize} connections, opened in
 * the background after the first), hands a connection back in auto-commit mode with any open JDBC
 * transaction rolled back, validates connections idle for a while before handing them out, and
 * replaces broken ones.
 */
final class Pools {
    /** HikariCP's lower bound for {@code connectionTimeout}; shorter settings are raised to it. */
    static final Duration MIN_CONNECTION_TIMEOUT = Duration.ofMillis(250);

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private Pools() {}

    /**
     * Opens a pool and its first connection.
     *
     * @param role names the pool and its threads ({@code opencx-store-<role>-<n>})
     * @param properties driver properties; parameters in the URL take precedence where the driver
     *     merges both (SQLite does)
     * @param initSql run once on every new connection (e.g. a {@code PRAGMA}); null for none
     * @param where the redacted URL, for messages
     * @throws SQLException why the first connection could not be opened
     * @throws OpenCxException (permanent) when no driver accepts the URL
     */
    static HikariDataSource open(
            String role,
            String url,
            String user,
            String password,
            Map<String, String> properties,
            int maxSize,
            Duration connectionTimeout,
            String initSql,
            String where)
            throws SQLException {
        HikariConfig config = new HikariConfig();
        config.setPoolName("opencx-store-" + role + "-" + SEQUENCE.incrementAndGet());
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        properties.forEach(config::addDataSourceProperty);
        config.setMaximumPoolSize(maxSize);
        config.setMinimumIdle(maxSize);
        config.setConnectionTimeout(Math.max(connectionTimeout.toMillis(), MIN_CONNECTION_TIMEOUT.toMillis()));
        if (initSql != null) {
            config.setConnectionInitSql(initSql);
        }
        config.setAutoCommit(true);
        try {
            return new HikariDataSource(config);
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw OpenCxException.retriable(
                    "cannot open a connection to the conversation store database at " + where + ": " + e.getMessage(),
                    e.getCause());
        } catch (RuntimeException e) {
            // no driver for the URL, or a setting the driver refuses; HikariCP's message quotes the
            // URL, which may hold a password: name ours instead
            throw OpenCxException.permanent(
                    "cannot open the conversation store database at " + where + " ("
                            + e.getClass().getSimpleName() + "); is its JDBC driver on the classpath?",
                    null);
        }
    }
}
