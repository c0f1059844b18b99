package dev.opencx.internal;

import dev.opencx.SessionMessageLimitException;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.store.ConversationStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cap on customer messages per session ({@code OpenCx.Builder.maxMessagesPerSession}). The count
 * is exact and read from the session log, so it holds with several instances on one store, and it
 * is cheap: a session with no more events than the cap cannot have reached it (no read at all);
 * past that, its {@link MessageReceived} events are counted once and the count is then brought up
 * to date from the events appended since (a few per message). Thread-safe.
 */
public final class MessageCap {
    private static final Logger LOG = LoggerFactory.getLogger(MessageCap.class);
    private static final int REMEMBERED_SESSIONS = 4096;

    private final int limit;
    /** Session id to {count of customer messages, seq up to which they were counted}. */
    private final Map<String, long[]> counted = new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > REMEMBERED_SESSIONS;
        }
    };

    /** Sessions already reported full in the log (once each, bounded). */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    public MessageCap(int limit) {
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }

    /**
     * Refuses one more customer message in {@code session} when it already holds {@link #limit()}.
     *
     * @throws SessionMessageLimitException when the session is full
     */
    public void check(ConversationStore store, Session session) {
        // event 1 opens the session, so it holds at most lastSeq - 1 customer messages
        if (session.lastSeq() <= limit) {
            return;
        }
        if (count(store, session.id()) >= limit) {
            if (reported.size() < REMEMBERED_SESSIONS && reported.add(session.id())) {
                LOG.warn(
                        "session {} holds {} customer messages (OpenCx.Builder.maxMessagesPerSession): its channel"
                                + " refuses further messages until it is resolved or closed",
                        session.ticket(),
                        limit);
            }
            throw new SessionMessageLimitException(session.id(), session.ticket(), limit);
        }
    }

    private long count(ConversationStore store, String sessionId) {
        long[] known;
        synchronized (counted) {
            long[] k = counted.get(sessionId);
            known = k == null ? null : k.clone();
        }
        long n;
        long upTo;
        if (known == null) {
            n = 0;
            upTo = 0;
            for (SessionEvent e : store.messageEvents(sessionId, Long.MAX_VALUE)) {
                if (e.payload() instanceof MessageReceived) {
                    n++;
                }
                upTo = Math.max(upTo, e.seq());
            }
        } else {
            n = known[0];
            upTo = known[1];
        }
        for (SessionEvent e : store.events(sessionId, upTo, Integer.MAX_VALUE)) {
            if (e.payload() instanceof MessageReceived) {
                n++;
            }
            upTo = Math.max(upTo, e.seq());
        }
        synchronized (counted) {
            long[] now = counted.get(sessionId);
            if (now == null || now[1] < upTo) {
                counted.put(sessionId, new long[] {n, upTo});
            }
        }
        return n;
    }
}
