package dev.opencx.event;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of a session's append-only event log.
 *
 * @param sessionId the session
 * @param seq 1, 2, 3, … within the session, without gaps
 * @param at when it was appended
 * @param payload what happened
 */
public record SessionEvent(String sessionId, long seq, Instant at, EventPayload payload) {
    public SessionEvent {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(payload, "payload");
        if (seq < 1) {
            throw new IllegalArgumentException("seq must be >= 1, was " + seq);
        }
    }
}
