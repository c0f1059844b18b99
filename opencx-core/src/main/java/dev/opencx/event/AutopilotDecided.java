package dev.opencx.event;

import dev.opencx.autopilot.AutopilotDecision;
import dev.opencx.handoff.HandoffReason;
import java.util.Map;

/**
 * What autopilot decided for one customer message, and why.
 *
 * @param outcome reply with the AI or hand off to the team
 * @param reason the handoff reason, null when the AI replies
 * @param explanation one human sentence: "channel 'sms' has autopilot off"
 * @param evidence the numbers behind it (detector scores, thresholds, the preset)
 */
public record AutopilotDecided(
        AutopilotDecision.Outcome outcome, HandoffReason reason, String explanation, Map<String, Object> evidence)
        implements CoreEvent {
    public AutopilotDecided {
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }
}
