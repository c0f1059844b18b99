package dev.opencx.helpdesk.inbox.web.internal;

import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.SessionQuery;
import dev.opencx.webhook.EventStream;
import dev.opencx.webhook.ServerSentEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps open inbox pages live: each page holds one event stream, and gets a {@code changed} event
 * naming the session whenever something happened to it. Changes come from the inbox itself (at
 * once) and from a poll of the store's open sessions (every {@code pollInterval}, only while a page
 * is open), which also sees AI turns and changes made by other instances. Streams whose sign-in
 * session has ended are closed at the next heartbeat. Owns one daemon thread.
 */
public final class LiveUpdates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);

    private record Subscriber(EventStream stream, AgentSessions.WebSession session) {}

    private final ConversationStore store;
    private final Predicate<AgentSessions.WebSession> live;
    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer;
    private final AtomicLong seq = new AtomicLong();
    /** The open sessions' last event at the previous poll; null while no page is open. */
    private volatile Map<String, Long> lastSeen;

    public LiveUpdates(
            ConversationStore store,
            Predicate<AgentSessions.WebSession> live,
            Duration pollInterval,
            Duration heartbeat) {
        this.store = store;
        this.live = live;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "opencx-inbox-web");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        timer.scheduleWithFixedDelay(
                this::heartbeat, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Adds an open stream of a signed-in page. */
    public void subscribe(EventStream stream, AgentSessions.WebSession session) {
        Subscriber s = new Subscriber(stream, session);
        subscribers.add(s);
        stream.onClose(() -> subscribers.remove(s));
        stream.send(new ServerSentEvent("", "", "", 2000));
        stream.send(ServerSentEvent.transientEvent("hello", "{}"));
    }

    /** Tells every open page that a session changed. */
    public void changed(String sessionId) {
        String data = "{\"sessionId\":\"" + sessionId.replaceAll("[^A-Za-z0-9_-]", "") + "\",\"n\":"
                + seq.incrementAndGet() + "}";
        for (Subscriber s : subscribers) {
            s.stream.send(ServerSentEvent.transientEvent("changed", data));
        }
    }

    /** Tells every open page that the autopilot policy changed. */
    public void autopilotChanged() {
        for (Subscriber s : subscribers) {
            s.stream.send(ServerSentEvent.transientEvent("autopilot", "{}"));
        }
    }

    public int openStreams() {
        return subscribers.size();
    }

    private void pollQuietly() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.warn("inbox live updates: reading the open sessions failed: {}", e.toString());
        }
    }

    private void poll() {
        if (subscribers.isEmpty()) {
            lastSeen = null;
            return;
        }
        Map<String, Long> now = new HashMap<>();
        for (Session s : store.sessions(
                SessionQuery.inStates(SessionState.AI_ACTIVE, SessionState.HANDED_OFF, SessionState.AGENT_ACTIVE))) {
            now.put(s.id(), s.lastSeq());
        }
        Map<String, Long> before = lastSeen;
        lastSeen = now;
        if (before == null) {
            return; // the first poll since a page opened: the page has just read everything
        }
        now.forEach((id, last) -> {
            if (!last.equals(before.get(id))) {
                changed(id);
            }
        });
        before.keySet().stream().filter(id -> !now.containsKey(id)).forEach(this::changed);
    }

    private void heartbeat() {
        for (Subscriber s : subscribers) {
            if (!live.test(s.session)) {
                s.stream.send(ServerSentEvent.transientEvent("signed-out", "{}"));
                s.stream.close();
            } else {
                s.stream.comment("keep-alive");
            }
        }
    }

    /** Closes the open streams and stops the thread; idempotent. */
    @Override
    public void close() {
        timer.shutdownNow();
        for (Subscriber s : subscribers) {
            s.stream.close();
        }
        subscribers.clear();
    }
}
