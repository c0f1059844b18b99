package dev.opencx.action.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker of one action: opens after {@code threshold} consecutive failures, lets one
 * trial call through after {@code coolDown} (half-open), closes on its success and opens again on
 * its failure.
 */
final class CircuitBreaker {
    enum State {
        CLOSED,
        OPEN,
        HALF_OPEN
    }

    private final int threshold;
    private final Duration coolDown;
    private final Clock clock;
    private int failures;
    private State state = State.CLOSED;
    private Instant openedAt;
    private boolean trialInFlight;

    CircuitBreaker(int threshold, Duration coolDown, Clock clock) {
        this.threshold = threshold;
        this.coolDown = coolDown;
        this.clock = clock;
    }

    /** Whether a call may go out now; in half-open, only one trial call at a time. */
    synchronized boolean tryAcquire() {
        if (state == State.OPEN && !clock.instant().isBefore(openedAt.plus(coolDown))) {
            state = State.HALF_OPEN;
            trialInFlight = false;
        }
        return switch (state) {
            case CLOSED -> true;
            case OPEN -> false;
            case HALF_OPEN -> {
                if (trialInFlight) {
                    yield false;
                }
                trialInFlight = true;
                yield true;
            }
        };
    }

    synchronized void onSuccess() {
        failures = 0;
        state = State.CLOSED;
        trialInFlight = false;
    }

    synchronized void onFailure() {
        failures++;
        trialInFlight = false;
        if (state == State.HALF_OPEN || failures >= threshold) {
            state = State.OPEN;
            openedAt = clock.instant();
        }
    }

    /** A call that neither succeeded nor failed (e.g. a 4xx): releases a half-open trial. */
    synchronized void onNeutral() {
        if (state == State.HALF_OPEN) {
            onSuccess();
        } else {
            failures = 0;
        }
    }

    synchronized State state() {
        return state;
    }
}
