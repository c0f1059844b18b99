package dev.opencx.channel.email;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * At most {@code max} mails per sender within a sliding {@code window}; the senders seen last are
 * remembered (up to {@link #MAX_SENDERS}), so memory stays bounded.
 */
final class SenderRateLimit {
    static final int MAX_SENDERS = 10_000;

    private final int max;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> seen = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Instant>> eldest) {
            return size() > MAX_SENDERS;
        }
    };

    SenderRateLimit(int max, Duration window, Clock clock) {
        this.max = max;
        this.window = window;
        this.clock = clock;
    }

    /** Counts one mail of a sender; false when the sender already sent {@code max} within the window. */
    synchronized boolean tryAcquire(String address) {
        Instant now = clock.instant();
        Deque<Instant> times = seen.computeIfAbsent(address.toLowerCase(Locale.ROOT), k -> new ArrayDeque<>());
        Instant horizon = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
            times.pollFirst();
        }
        if (times.size() >= max) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    /** A short, stable stand-in for an address in log lines: never the address itself. */
    static String pseudonym(String address) {
        return "sender#" + MailIds.sha256(address.toLowerCase(Locale.ROOT)).substring(0, 10);
    }
}
