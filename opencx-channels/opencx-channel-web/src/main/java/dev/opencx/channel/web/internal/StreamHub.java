package dev.opencx.channel.web.internal;

import dev.opencx.webhook.EventStream;
import dev.opencx.webhook.ServerSentEvent;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams of a channel, per session. A stream has a cursor in the session's event
 * log; when told that a session changed it reads the log from its cursor and sends what is
 * visible, so nothing is sent twice and nothing is skipped, whichever thread signalled. Transient
 * events (typing, drafts) are sent after the log is caught up. A heartbeat comment keeps idle
 * streams open and catches up streams whose session changed elsewhere (another instance).
 */
public final class StreamHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);
    private static final AtomicInteger POOLS = new AtomicInteger();
    private static final int PAGE = 200;

    private final Timeline timeline;
    private final Function<String, Optional<Long>> lastSeq;
    private final int maxPerSession;
    private final long retryMillis;
    private final ScheduledThreadPoolExecutor executor;
    private final Map<String, Deque<Subscriber>> sessions = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param lastSeq the last sequence number of a session's log, empty when it is gone
     */
    public StreamHub(
            String name,
            Timeline timeline,
            Function<String, Optional<Long>> lastSeq,
            Duration heartbeat,
            long retryMillis,
            int maxPerSession) {
        this.timeline = timeline;
        this.lastSeq = lastSeq;
        this.retryMillis = retryMillis;
        this.maxPerSession = maxPerSession;
        int pool = POOLS.incrementAndGet();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "opencx-" + name + "-stream-" + pool + "-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        long every = heartbeat.toMillis();
        executor.scheduleWithFixedDelay(this::heartbeat, every, every, TimeUnit.MILLISECONDS);
    }

    /** Opens a subscription that sends the session's items after {@code afterSeq}, then live ones. */
    public void subscribe(String sessionId, long afterSeq, EventStream stream) {
        if (closed.get()) {
            stream.close();
            return;
        }
        Subscriber s = new Subscriber(sessionId, afterSeq, stream);
        Subscriber evicted = null;
        Deque<Subscriber> subs = sessions.computeIfAbsent(sessionId, k -> new ArrayDeque<>());
        synchronized (subs) {
            subs.addLast(s);
            if (subs.size() > maxPerSession) {
                evicted = subs.pollFirst();
            }
        }
        if (evicted != null) {
            evicted.stream.close();
        }
        stream.onClose(() -> remove(s));
        stream.send(ServerSentEvent.retry(retryMillis));
        s.signal();
    }

    /** The session's log changed: every stream of it catches up. */
    public void changed(String sessionId) {
        for (Subscriber s : subscribers(sessionId)) {
            s.signal();
        }
    }

    /** Sends a transient event (no id) to every stream of the session, after what the log holds. */
    public void push(String sessionId, ServerSentEvent event) {
        for (Subscriber s : subscribers(sessionId)) {
            s.push(event);
        }
    }

    /** Open streams, for tests and metrics. */
    public int openStreams() {
        int n = 0;
        for (Deque<Subscriber> subs : sessions.values()) {
            synchronized (subs) {
                n += subs.size();
            }
        }
        return n;
    }

    /** Ends every open stream (clients reconnect and resume from their last event id). */
    public void closeStreams() {
        for (String id : List.copyOf(sessions.keySet())) {
            for (Subscriber s : subscribers(id)) {
                s.stream.close();
            }
        }
    }

    private List<Subscriber> subscribers(String sessionId) {
        Deque<Subscriber> subs = sessions.get(sessionId);
        if (subs == null) {
            return List.of();
        }
        synchronized (subs) {
            return List.copyOf(subs);
        }
    }

    private void remove(Subscriber s) {
        Deque<Subscriber> subs = sessions.get(s.sessionId);
        if (subs == null) {
            return;
        }
        synchronized (subs) {
            subs.remove(s);
            if (subs.isEmpty()) {
                sessions.remove(s.sessionId, subs);
            }
        }
    }

    private void heartbeat() {
        for (String id : List.copyOf(sessions.keySet())) {
            List<Subscriber> subs = subscribers(id);
            if (subs.isEmpty()) {
                continue;
            }
            long last;
            try {
                last = lastSeq.apply(id).orElse(-1L);
            } catch (RuntimeException e) {
                LOG.warn("cannot check a web session for new events: {}", e.toString());
                continue;
            }
            for (Subscriber s : subs) {
                if (!s.stream.comment("ping")) {
                    continue;
                }
                if (last > s.cursor) {
                    s.signal();
                }
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeStreams();
        executor.shutdownNow();
    }

    private final class Subscriber {
        private final String sessionId;
        private final EventStream stream;
        private final AtomicBoolean drainWanted = new AtomicBoolean();
        private final Queue<ServerSentEvent> transients = new ConcurrentLinkedQueue<>();
        private final AtomicInteger wip = new AtomicInteger();
        private volatile long cursor;

        Subscriber(String sessionId, long cursor, EventStream stream) {
            this.sessionId = sessionId;
            this.cursor = cursor;
            this.stream = stream;
        }

        void signal() {
            drainWanted.set(true);
            kick();
        }

        void push(ServerSentEvent e) {
            transients.add(e);
            kick();
        }

        private void kick() {
            if (wip.getAndIncrement() == 0) {
                try {
                    executor.execute(this::run);
                } catch (RejectedExecutionException e) {
                    stream.close(); // the hub is closing
                }
            }
        }

        /** One pass at a time per subscriber: the log first, then the transient events. */
        private void run() {
            int missed = 1;
            do {
                if (drainWanted.getAndSet(false)) {
                    drain();
                }
                ServerSentEvent t;
                while ((t = transients.poll()) != null) {
                    stream.send(t);
                }
                missed = wip.addAndGet(-missed);
            } while (missed != 0);
        }

        private void drain() {
            if (!stream.isOpen()) {
                return;
            }
            try {
                while (true) {
                    Timeline.Page page = timeline.read(sessionId, cursor, PAGE);
                    for (Timeline.Item item : page.items()) {
                        if (!stream.send(item.toEvent())) {
                            return;
                        }
                    }
                    cursor = page.lastSeq();
                    if (!page.full()) {
                        return;
                    }
                }
            } catch (RuntimeException e) {
                LOG.warn("a web event stream stopped after a read failure; the client will resume: {}", e.toString());
                stream.close();
            }
        }
    }
}
