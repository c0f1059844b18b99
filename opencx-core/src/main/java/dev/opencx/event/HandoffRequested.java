package dev.opencx.event;

import dev.opencx.handoff.HandoffReason;
import java.util.Map;

/**
 * The AI stopped and asked for a human.
 *
 * @param reason why
 * @param detail a human sentence with the specifics
 * @param summary a short summary of the conversation for the agent
 * @param evidence the numbers behind it
 */
public record HandoffRequested(HandoffReason reason, String detail, String summary, Map<String, Object> evidence)
        implements CoreEvent {
    public HandoffRequested {
        detail = detail == null ? "" : detail;
        summary = summary == null ? "" : summary;
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }
}
