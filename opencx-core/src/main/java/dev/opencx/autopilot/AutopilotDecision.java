package dev.opencx.autopilot;

import dev.opencx.handoff.HandoffReason;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Autopilot's verdict for one customer message: the AI replies, or the team takes it. Carries the
 * evidence behind it so that {@link #explain()} can say why.
 */
public final class AutopilotDecision {
    /** The two ways a message can go. */
    public enum Outcome {
        AI_REPLIES,
        HANDOFF
    }

    private final Outcome outcome;
    private final HandoffReason reason;
    private final String explanation;
    private final Map<String, Object> evidence;

    private AutopilotDecision(Outcome outcome, HandoffReason reason, String explanation, Map<String, Object> evidence) {
        this.outcome = outcome;
        this.reason = reason;
        this.explanation = Objects.requireNonNull(explanation, "explanation");
        this.evidence = Map.copyOf(evidence);
    }

    public static AutopilotDecision reply(String explanation, Map<String, Object> evidence) {
        return new AutopilotDecision(Outcome.AI_REPLIES, null, explanation, evidence);
    }

    public static AutopilotDecision handoff(HandoffReason reason, String explanation, Map<String, Object> evidence) {
        return new AutopilotDecision(Outcome.HANDOFF, Objects.requireNonNull(reason, "reason"), explanation, evidence);
    }

    public Outcome outcome() {
        return outcome;
    }

    public boolean isHandoff() {
        return outcome == Outcome.HANDOFF;
    }

    /** The handoff reason, or null when the AI replies. */
    public HandoffReason reason() {
        return reason;
    }

    /** The numbers behind the decision: detector scores, thresholds, the preset, the topic. */
    public Map<String, Object> evidence() {
        return evidence;
    }

    /** One human sentence saying what was decided and why. */
    public String explain() {
        return explanation;
    }

    /** A copy with more evidence. */
    public AutopilotDecision withEvidence(Map<String, Object> more) {
        Map<String, Object> all = new LinkedHashMap<>(evidence);
        all.putAll(more);
        return new AutopilotDecision(outcome, reason, explanation, all);
    }

    @Override
    public String toString() {
        return outcome + (reason == null ? "" : "(" + reason + ")") + ": " + explanation;
    }
}
