package dev.opencx.test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock for tests: stands still until told to move. Thread-safe.
 *
 * <pre>{@code
 * TestClock clock = new TestClock(Instant.parse("2026-01-01T09:00:00Z"));
 * clock.advance(Duration.ofMinutes(5));
 * }</pre>
 */
public final class TestClock extends Clock {
    private volatile Instant now;

    /** A clock at {@code start}; never null. */
    public TestClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /** Moves the clock forward (or back, for a negative duration) and returns the new instant. */
    public synchronized Instant advance(Duration d) {
        Objects.requireNonNull(d, "duration");
        now = now.plus(d);
        return now;
    }

    /** Sets the clock. */
    public void set(Instant instant) {
        now = Objects.requireNonNull(instant, "instant");
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        if (zone.equals(ZoneOffset.UTC)) {
            return this;
        }
        throw new UnsupportedOperationException("TestClock is always UTC, asked for " + zone);
    }
}
