package dev.opencx.store.jdbc;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A small bounded pool over {@link DriverManager}, used when the store is built from a JDBC URL. At
 * most {@code maxSize} connections are open; a borrower waits up to {@code borrowTimeout} for one.
 * An idle connection is validated ({@link Connection#isValid}) before it is handed out again, and a
 * connection that fails validation is replaced. Use a real pool (HikariCP) through {@code
 * JdbcConversationStore.builder().dataSource(..)} when you need metrics or tuning.
 */
final class ConnectionPool implements DataSource, AutoCloseable {
    private static final int VALIDATION_TIMEOUT_SECONDS = 2;

    private final String url;
    private final String safeUrl;
    private final Properties props;
    private final int maxSize;
    private final Duration borrowTimeout;
    private final List<String> initStatements;
    private final Semaphore permits;
    private final Deque<Connection> idle = new ArrayDeque<>();
    private volatile boolean closed;

    ConnectionPool(String url, String user, String password, int maxSize, Duration borrowTimeout) {
        this(url, user, password, Map.of(), maxSize, borrowTimeout, List.of());
    }

    /**
     * @param properties driver properties; parameters in the URL take precedence where the driver
     *     merges both (SQLite does)
     * @param initStatements run once on every new connection (e.g. a {@code PRAGMA}), in order
     */
    ConnectionPool(
            String url,
            String user,
            String password,
            Map<String, String> properties,
            int maxSize,
            Duration borrowTimeout,
            List<String> initStatements) {
        this.url = url;
        this.safeUrl = JdbcConversationStore.redact(url);
        this.props = new Properties();
        props.putAll(properties);
        if (user != null) {
            props.setProperty("user", user);
        }
        if (password != null) {
            props.setProperty("password", password);
        }
        this.maxSize = maxSize;
        this.borrowTimeout = borrowTimeout;
        this.initStatements = List.copyOf(initStatements);
        this.permits = new Semaphore(maxSize, true);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (closed) {
            throw new SQLException("connection pool for " + safeUrl + " is closed");
        }
        boolean acquired;
        try {
            acquired = permits.tryAcquire(borrowTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a connection to " + safeUrl, e);
        }
        if (!acquired) {
            throw new SQLTransientConnectionException("no connection to " + safeUrl + " free after "
                    + borrowTimeout.toMillis() + " ms (all " + maxSize + " in use)");
        }
        try {
            Connection raw = takeValidIdle();
            if (raw == null) {
                raw = open();
            }
            return wrap(raw);
        } catch (SQLException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private Connection open() throws SQLException {
        Connection c = DriverManager.getConnection(url, props);
        if (!initStatements.isEmpty()) {
            try (Statement st = c.createStatement()) {
                for (String sql : initStatements) {
                    st.execute(sql);
                }
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
        }
        return c;
    }

    private Connection takeValidIdle() {
        while (true) {
            Connection c;
            synchronized (idle) {
                c = idle.pollFirst();
            }
            if (c == null) {
                return null;
            }
            try {
                if (c.isValid(VALIDATION_TIMEOUT_SECONDS)) {
                    return c;
                }
            } catch (SQLException e) {
                // fall through: discard it
            }
            closeQuietly(c);
        }
    }

    private Connection wrap(Connection raw) {
        AtomicBoolean returned = new AtomicBoolean();
        InvocationHandler h = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("close") && method.getParameterCount() == 0) {
                if (returned.compareAndSet(false, true)) {
                    giveBack(raw);
                }
                return null;
            }
            if (name.equals("isClosed") && method.getParameterCount() == 0) {
                return returned.get() || raw.isClosed();
            }
            if (returned.get()) {
                throw new SQLException("connection was returned to the pool");
            }
            try {
                return method.invoke(raw, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Connection)
                Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, h);
    }

    private void giveBack(Connection raw) {
        try {
            boolean reusable = !closed && !raw.isClosed();
            if (reusable && !raw.getAutoCommit()) {
                raw.rollback();
                raw.setAutoCommit(true);
            }
            if (reusable) {
                synchronized (idle) {
                    if (!closed) {
                        idle.addFirst(raw);
                        return;
                    }
                }
            }
            closeQuietly(raw);
        } catch (SQLException e) {
            closeQuietly(raw);
        } finally {
            permits.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            for (Connection c : idle) {
                closeQuietly(c);
            }
            idle.clear();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to do with a broken connection
        }
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's credentials are fixed");
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {}

    @Override
    public void setLoginTimeout(int seconds) {}

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface.getName());
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }

    @Override
    public String toString() {
        return "ConnectionPool{" + safeUrl + ", max=" + maxSize + "}";
    }
}
