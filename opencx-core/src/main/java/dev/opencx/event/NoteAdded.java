package dev.opencx.event;

import java.util.Objects;

/**
 * An agent's internal note on the session: for the team only. It is never sent to the customer, is
 * not a message of the conversation (no responder sees it in the history) and does not change the
 * session's state.
 *
 * @param agentId who wrote it, not blank
 * @param text the note, not blank
 */
public record NoteAdded(String agentId, String text) implements CoreEvent {
    public NoteAdded {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(text, "text");
        if (agentId.isBlank()) {
            throw new IllegalArgumentException("agentId is blank");
        }
        if (text.isBlank()) {
            throw new IllegalArgumentException("note text is blank");
        }
    }
}
