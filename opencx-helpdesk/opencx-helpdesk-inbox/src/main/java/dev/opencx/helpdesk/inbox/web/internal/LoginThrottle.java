package dev.opencx.helpdesk.inbox.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing without locking anyone out: wrong passwords are counted per (login,
 * client address) and per client address, never per account alone. Once the free failures are
 * used up, the next attempt from that address (for that login, or for any login) must wait {@code
 * 1 s}, then {@code 2 s, 4 s, …} after each further failure, up to {@code maxDelay}; an attempt
 * made too early is refused before any password is checked. An agent signing in from another address is not slowed by a flood against their
 * account. Counts are forgotten after a quiet while ({@link #forgetAfter}); a successful sign-in
 * clears its (login, address) count. Names that are not accounts are counted the same way, so
 * the answers do not tell which names exist.
 *
 * <p>IPv6 addresses count per /64 (one subscriber's prefix). Memory is bounded: at most {@value
 * #MAX_TRACKED} entries per table, forgotten ones dropped first, then the quietest.
 */
public final class LoginThrottle {
    static final int MAX_TRACKED = 50_000;
    static final Duration FIRST_DELAY = Duration.ofSeconds(1);
    static final Duration ATTEMPT_WINDOW = Duration.ofMinutes(1);

    private final Clock clock;
    private final int freeFailures;
    private final int addressFreeFailures;
    private final Duration maxDelay;
    private final Duration forgetAfter;
    private final Map<String, Failures> byLoginAndAddress = new ConcurrentHashMap<>();
    private final Map<String, Failures> byAddress = new ConcurrentHashMap<>();
    private final Map<String, Window> attempts = new ConcurrentHashMap<>();

    /** Wrong passwords in a row, and when the next attempt may be made. */
    private record Failures(int count, Instant last, Instant nextAllowed) {}

    /** Attempts in a window of {@link #ATTEMPT_WINDOW}. */
    private record Window(Instant start, int count) {}

    /**
     * @param freeFailures wrong passwords for one login from one address before the backoff starts
     * @param addressFreeFailures wrong passwords from one address (any login) before the backoff starts
     * @param maxDelay the longest wait between two attempts
     */
    public LoginThrottle(Clock clock, int freeFailures, int addressFreeFailures, Duration maxDelay) {
        this.clock = clock;
        this.freeFailures = freeFailures;
        this.addressFreeFailures = addressFreeFailures;
        this.maxDelay = maxDelay;
        Duration twice = maxDelay.multipliedBy(2);
        this.forgetAfter = twice.compareTo(Duration.ofMinutes(15)) > 0 ? twice : Duration.ofMinutes(15);
    }

    /** How long failures are remembered after the last one. */
    public Duration forgetAfter() {
        return forgetAfter;
    }

    /** How long this attempt must wait; empty when it may go ahead. */
    public Optional<Duration> waitFor(String login, String address) {
        Instant now = clock.instant();
        String a = addressKey(address);
        Instant until = later(due(byAddress.get(a), now), due(byLoginAndAddress.get(pair(login, a)), now));
        if (until == null || !now.isBefore(until)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, until));
    }

    /** Wrong passwords counted for the address (any login) and not yet forgotten. */
    public int addressFailures(String address) {
        Failures f = byAddress.get(addressKey(address));
        return f == null || forgotten(f, clock.instant()) ? 0 : f.count;
    }

    /**
     * Counts a sign-in attempt from an address (whatever its outcome, refused ones included) and
     * says how many it made in the current minute, this one included: orders the queue of password
     * checks, so an address that keeps trying waits behind one that tries now and then.
     */
    public int attempted(String address) {
        Instant now = clock.instant();
        String a = addressKey(address);
        if (attempts.size() >= MAX_TRACKED && !attempts.containsKey(a)) {
            synchronized (attempts) {
                attempts.values().removeIf(w -> !now.isBefore(w.start.plus(ATTEMPT_WINDOW)));
                if (attempts.size() >= MAX_TRACKED) {
                    attempts.clear(); // a flood from that many addresses: start counting again
                }
            }
        }
        return attempts.compute(
                        a,
                        (k, w) -> w == null || !now.isBefore(w.start.plus(ATTEMPT_WINDOW))
                                ? new Window(now, 1)
                                : new Window(w.start, w.count == Integer.MAX_VALUE ? w.count : w.count + 1))
                .count;
    }

    /**
     * Records a wrong password (or an unknown login) from an address.
     *
     * @return true when this failure started a backoff (for the login from the address, or for the address)
     */
    public boolean failed(String login, String address) {
        Instant now = clock.instant();
        String a = addressKey(address);
        int forPair = record(byLoginAndAddress, pair(login, a), freeFailures, now);
        int forAddress = record(byAddress, a, addressFreeFailures, now);
        return forPair == freeFailures || forAddress == addressFreeFailures;
    }

    /** A successful sign-in: forgets the (login, address) failures; the address keeps its count. */
    public void succeeded(String login, String address) {
        byLoginAndAddress.remove(pair(login, addressKey(address)));
    }

    private int record(Map<String, Failures> table, String key, int free, Instant now) {
        if (table.size() >= MAX_TRACKED && !table.containsKey(key)) {
            makeRoom(table, now);
        }
        return table.compute(key, (k, f) -> {
                    int count = f == null || forgotten(f, now) ? 1 : f.count + 1;
                    return new Failures(count, now, now.plus(delay(count, free)));
                })
                .count;
    }

    /** The wait after {@code count} failures: none before the free ones are used up, then 1 s doubling up to the maximum. */
    Duration delay(int count, int free) {
        int over = count - free;
        if (over < 0) {
            return Duration.ZERO;
        }
        if (over > 40) {
            return maxDelay;
        }
        Duration d = FIRST_DELAY.multipliedBy(1L << over);
        return d.compareTo(maxDelay) > 0 ? maxDelay : d;
    }

    private boolean forgotten(Failures f, Instant now) {
        return !now.isBefore(f.last.plus(forgetAfter));
    }

    private Instant due(Failures f, Instant now) {
        return f == null || forgotten(f, now) ? null : f.nextAllowed;
    }

    private static Instant later(Instant a, Instant b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }

    /** Drops forgotten entries, then the quietest tenth: one thread at a time, the others go on. */
    private void makeRoom(Map<String, Failures> table, Instant now) {
        synchronized (table) {
            if (table.size() < MAX_TRACKED) {
                return;
            }
            table.values().removeIf(f -> forgotten(f, now));
            int excess = table.size() - MAX_TRACKED * 9 / 10;
            if (excess > 0) {
                table.entrySet().stream()
                        .sorted(Comparator.comparing((Map.Entry<String, Failures> e) -> e.getValue().last))
                        .limit(excess)
                        .map(Map.Entry::getKey)
                        .toList()
                        .forEach(table::remove);
            }
        }
    }

    private static String pair(String login, String addressKey) {
        String l = login.strip().toLowerCase(Locale.ROOT);
        return (l.length() > 64 ? l.substring(0, 64) : l) + "\n" + addressKey;
    }

    /**
     * The address as counted: IPv4 as is, IPv6 by its /64 prefix, {@code unknown} when the server
     * did not say.
     */
    static String addressKey(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        String ip = ClientAddress.canonical(address);
        if (ip == null) {
            String a = address.strip();
            return a.length() > 64 ? a.substring(0, 64) : a;
        }
        if (ip.indexOf(':') < 0) {
            return ip;
        }
        String[] groups = ip.split(":", -1);
        return groups[0] + ":" + groups[1] + ":" + groups[2] + ":" + groups[3] + "::/64";
    }
}
