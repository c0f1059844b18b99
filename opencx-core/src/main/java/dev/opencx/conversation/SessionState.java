package dev.opencx.conversation;

/** Where a session stands; derived from its event log. */
public enum SessionState {
    /** The AI answers (autopilot on). */
    AI_ACTIVE,
    /** Handed off: waiting in the helpdesk for an agent; the AI stays silent. */
    HANDED_OFF,
    /** An agent has joined and owns the session. */
    AGENT_ACTIVE,
    /** Resolved by an agent or the AI; a new customer message opens a new session. */
    RESOLVED,
    /** Closed without resolution (abandoned, spam, expired). */
    CLOSED;

    /** True while the session takes new messages. */
    public boolean isOpen() {
        return this == AI_ACTIVE || this == HANDED_OFF || this == AGENT_ACTIVE;
    }

    /** True when a human owns the session and the AI must not reply. */
    public boolean isOwnedByTeam() {
        return this == HANDED_OFF || this == AGENT_ACTIVE;
    }
}
