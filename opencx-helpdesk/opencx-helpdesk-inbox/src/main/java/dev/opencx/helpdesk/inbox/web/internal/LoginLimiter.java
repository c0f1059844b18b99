package dev.opencx.helpdesk.inbox.web.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Login rate limiting per account: after {@code maxFailures} wrong passwords in a row, the account
 * refuses every attempt (right or wrong) for {@code lockout}; a successful sign-in resets it. Names
 * that are not accounts are limited the same way, so the answer does not tell which names exist.
 */
public final class LoginLimiter {
    private static final int MAX_TRACKED = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration lockout;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    private record State(int failures, Instant lockedUntil, Instant last) {}

    public LoginLimiter(Clock clock, int maxFailures, Duration lockout) {
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.lockout = lockout;
    }

    /** When the account is locked: how long until it opens again. */
    public Optional<Duration> lockedFor(String login) {
        State s = states.get(key(login));
        Instant now = clock.instant();
        if (s == null || s.lockedUntil == null || !now.isBefore(s.lockedUntil)) {
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, s.lockedUntil));
    }

    /** Records a wrong password; true when this failure locked the account. */
    public boolean failed(String login) {
        Instant now = clock.instant();
        if (states.size() >= MAX_TRACKED) {
            states.values().removeIf(s -> s.last.plus(lockout).isBefore(now));
        }
        State next = states.compute(key(login), (k, s) -> {
            int failures = s == null || (s.lockedUntil != null && !now.isBefore(s.lockedUntil)) ? 1 : s.failures + 1;
            return new State(failures, failures >= maxFailures ? now.plus(lockout) : null, now);
        });
        return next.lockedUntil != null;
    }

    public void succeeded(String login) {
        states.remove(key(login));
    }

    private static String key(String login) {
        String k = login.strip().toLowerCase(Locale.ROOT);
        return k.length() > 64 ? k.substring(0, 64) : k;
    }
}
