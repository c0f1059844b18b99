package dev.opencx.action.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The circuit breaker of one action, over Failsafe's ({@code dev.failsafe.CircuitBreaker}): opens
 * after {@code threshold} consecutive failures, lets one trial call through once {@code coolDown}
 * has passed (half-open), closes on the trial's success and opens again on its failure. A call
 * that neither succeeded nor failed (a 4xx) counts as a success: it breaks a run of failures and
 * closes a half-open breaker.
 *
 * <p>Failsafe counts the failures, holds the state and hands out the single half-open permit; the
 * cool-down is timed here on the executor's {@link Clock} (Failsafe times its own delay with {@code
 * System.nanoTime()}, which a test cannot move), so Failsafe's delay is set beyond reach and the
 * breaker is moved to half-open from here.
 */
final class CircuitBreaker {
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    /** Failsafe's own open delay: never reached; {@link #coolDown} on {@link #clock} rules instead. */
    private static final Duration NEVER = Duration.ofDays(365L * 100);

    private final dev.failsafe.CircuitBreaker<Object> breaker;
    private final Duration coolDown;
    private final Clock clock;
    /** When the breaker last opened (or a failure arrived while open); guarded by this. */
    private Instant openedAt;

    CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        this.breaker = dev.failsafe.CircuitBreaker.builder()
                .withFailureThreshold(threshold)
                .withSuccessThreshold(1)
                .withDelay(NEVER)
                .build();
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** Whether a call may go out now; in half-open, only one trial call at a time. */
    synchronized boolean tryAcquire() {
        if (breaker.isOpen() && !clock.instant().isBefore(openedAt.plus(coolDown))) {
            breaker.halfOpen();
        }
        return breaker.tryAcquirePermit();
    }

    synchronized void onSuccess() {
        breaker.recordSuccess();
    }

    synchronized void onFailure() {
        breaker.recordFailure();
        if (breaker.isOpen()) {
            openedAt = clock.instant(); // opened now, or failed again while open: the cool-down restarts
        }
    }

    /** A call that neither succeeded nor failed (e.g. a 4xx): ends a run of failures, closes a trial. */
    synchronized void onNeutral() {
        breaker.recordSuccess();
    }

    synchronized State state() {
        return switch (breaker.getState()) {
            case CLOSED -> State.CLOSED;
            case OPEN -> State.OPEN;
            case HALF_OPEN -> State.HALF_OPEN;
        };
    }
}
