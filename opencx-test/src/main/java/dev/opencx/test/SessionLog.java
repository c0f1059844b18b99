package dev.opencx.test;

import dev.opencx.OpenCx;
import dev.opencx.event.EventPayload;
import dev.opencx.event.SessionEvent;
import java.util.List;

/**
 * Reads a session's event log in a test: {@code SessionLog.of(cx, session, ActionCalled.class)}.
 */
public final class SessionLog {
    private SessionLog() {}

    /** The session's events of one type, in order. */
    public static <T extends EventPayload> List<T> of(OpenCx cx, String sessionId, Class<T> type) {
        return cx.events(sessionId).stream()
                .map(SessionEvent::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }
}
