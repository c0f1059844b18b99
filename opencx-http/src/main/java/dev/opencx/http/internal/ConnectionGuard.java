package dev.opencx.http.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SelectorManager;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.IO;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps slow or greedy clients from holding the server's connections: caps the connections open
 * from one remote address (the excess is closed as soon as it is accepted), and closes every
 * connection that has not sent a complete request head within the header timeout of connecting
 * or of sending the first byte of its next request. Jetty's idle timeout alone restarts at every
 * byte, so a client trickling one byte a second would keep its connection forever.
 *
 * <p>Added to the connector as a bean; the check runs on the server's scheduler a few times per
 * header timeout and reads only each connection's request, response and byte counters. A kept-alive
 * connection that has sent nothing since its last answer is left to the idle timeout.
 */
public final class ConnectionGuard extends AbstractLifeCycle implements SelectorManager.AcceptListener {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    private static final long SUMMARY_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final ServerConnector connector;
    private final int maxPerAddress;
    private final long headerTimeoutNanos;
    private final long sweepEveryMillis;
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final Map<SelectableChannel, InetAddress> addresses = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    /** Touched by the sweep only, which never runs twice at once. */
    private final Map<EndPoint, Watch> watches = new HashMap<>();

    private long headTimeouts;
    private long lastSummary;
    private long sweeps;
    private volatile Scheduler.Task next;

    public ConnectionGuard(ServerConnector connector, int maxPerAddress, Duration headerTimeout) {
        this.connector = connector;
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutNanos = headerTimeout.toNanos();
        this.sweepEveryMillis = Math.max(100, Math.min(1000, headerTimeout.toMillis() / 4));
    }

    /** The connections open from {@code address} now (accepted, not yet closed). */
    public int openFrom(InetAddress address) {
        return perAddress.getOrDefault(address, 0);
    }

    @Override
    protected void doStart() {
        lastSummary = System.nanoTime() - SUMMARY_EVERY_NANOS;
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task t = next;
        if (t != null) {
            t.cancel();
        }
        watches.clear();
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            next = connector.getScheduler().schedule(this::sweep, sweepEveryMillis, TimeUnit.MILLISECONDS);
        }
    }

    // ---- per-address cap, on the acceptor thread and wherever Jetty closes an endpoint

    @Override
    public void onAccepting(SelectableChannel channel) {
        InetAddress address = remote(channel);
        if (address == null) {
            return;
        }
        addresses.put(channel, address);
        int open = perAddress.merge(address, 1, Integer::sum);
        if (open > maxPerAddress) {
            refused.incrementAndGet();
            if (LOG.isDebugEnabled()) {
                LOG.debug("refused a connection from {}: {} open (maxConnectionsPerAddress)", address, open - 1);
            }
            // Jetty then fails to register the closed channel and reports onAcceptFailed: released there
            IO.close(channel);
        }
    }

    @Override
    public void onAcceptFailed(SelectableChannel channel, Throwable cause) {
        release(channel);
    }

    @Override
    public void onClosed(SelectableChannel channel) {
        release(channel);
    }

    private void release(SelectableChannel channel) {
        InetAddress address = addresses.remove(channel);
        if (address != null) {
            perAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
        }
    }

    private static InetAddress remote(SelectableChannel channel) {
        if (!(channel instanceof SocketChannel socket)) {
            return null;
        }
        try {
            SocketAddress a = socket.getRemoteAddress();
            return a instanceof InetSocketAddress inet ? inet.getAddress() : null;
        } catch (IOException e) {
            return null; // already closed: Jetty fails the accept
        }
    }

    // ---- header timeout, on the scheduler

    /** What the sweep last saw of one connection. */
    private static final class Watch {
        long requests = -1;
        long bytesAtAnswer;
        long headSince;
        long seen;
    }

    private void sweep() {
        try {
            long now = System.nanoTime();
            long nowMillis = System.currentTimeMillis();
            long round = ++sweeps;
            for (EndPoint endPoint : connector.getConnectedEndPoints()) {
                Connection connection = endPoint.getConnection();
                if (connection == null || !endPoint.isOpen()) {
                    continue;
                }
                Watch w = watches.computeIfAbsent(endPoint, e -> new Watch());
                w.seen = round;
                if (overdue(endPoint, connection, w, now, nowMillis)) {
                    headTimeouts++;
                    if (LOG.isDebugEnabled()) {
                        LOG.debug(
                                "closing a connection from {}: no complete request head within the header timeout",
                                endPoint.getRemoteSocketAddress());
                    }
                    endPoint.close();
                }
            }
            watches.values().removeIf(w -> w.seen != round);
            summarize(now);
        } catch (RuntimeException e) {
            LOG.warn("the connection check failed: {}", e.toString());
        } finally {
            schedule();
        }
    }

    private boolean overdue(EndPoint endPoint, Connection connection, Watch w, long now, long nowMillis) {
        long in = connection.getMessagesIn();
        long out = connection.getMessagesOut();
        if (in < 0 || out < 0) {
            return false; // not an HTTP/1 connection: nothing to judge
        }
        if (in > out) {
            // a request whose head was read and that has no answer yet: its body has its own deadline
            w.requests = -1;
            w.headSince = 0;
            return false;
        }
        if (in == 0) {
            return TimeUnit.MILLISECONDS.toNanos(nowMillis - endPoint.getCreatedTimeStamp()) >= headerTimeoutNanos;
        }
        long bytes = connection.getBytesIn();
        if (w.requests != in) {
            // first look since the last answer started: what came in so far belongs to that request
            w.requests = in;
            w.bytesAtAnswer = bytes;
            w.headSince = 0;
            return false;
        }
        if (bytes <= w.bytesAtAnswer) {
            return false; // kept alive, silent: the idle timeout applies
        }
        if (w.headSince == 0) {
            w.headSince = now;
        }
        return now - w.headSince >= headerTimeoutNanos;
    }

    private void summarize(long now) {
        if (now - lastSummary < SUMMARY_EVERY_NANOS) {
            return;
        }
        long r = refused.getAndSet(0);
        long h = headTimeouts;
        headTimeouts = 0;
        if (r > 0) {
            LOG.info(
                    "refused {} connection(s) in the last minute from addresses that already had {} open"
                            + " (maxConnectionsPerAddress; behind a reverse proxy raise it)",
                    r,
                    maxPerAddress);
        }
        if (h > 0) {
            LOG.info(
                    "closed {} connection(s) in the last minute that sent no complete request head within {} ms"
                            + " (headerTimeout)",
                    h,
                    TimeUnit.NANOSECONDS.toMillis(headerTimeoutNanos));
        }
        if (r > 0 || h > 0) {
            lastSummary = now;
        }
    }
}
