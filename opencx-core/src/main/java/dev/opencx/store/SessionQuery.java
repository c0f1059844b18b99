package dev.opencx.store;

import dev.opencx.conversation.SessionState;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Which sessions to list.
 *
 * @param states sessions in any of these states (all states when empty)
 * @param pendingTurnOnly only sessions with a stored customer message whose turn has not completed
 * @param limit at most this many, oldest update first
 */
public record SessionQuery(Set<SessionState> states, boolean pendingTurnOnly, int limit) {
    public SessionQuery {
        states = states == null || states.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(states));
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
    }

    public static SessionQuery inStates(SessionState... states) {
        return new SessionQuery(states.length == 0 ? Set.of() : EnumSet.of(states[0], states), false, 10_000);
    }

    /** Sessions whose last customer message has not been processed (used after a restart). */
    public static SessionQuery pendingTurns() {
        return new SessionQuery(Set.of(), true, 10_000);
    }

    public boolean matches(dev.opencx.conversation.Session s) {
        Objects.requireNonNull(s, "session");
        return (states.isEmpty() || states.contains(s.state())) && (!pendingTurnOnly || s.hasPendingTurn());
    }
}
