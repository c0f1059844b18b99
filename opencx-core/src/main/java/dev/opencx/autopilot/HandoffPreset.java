package dev.opencx.autopilot;

/**
 * How eager the AI is to hand off. Each preset sets a confidence threshold and how explicit
 * requests and frustration are treated; {@link AutopilotPolicy.Builder} can override the threshold.
 */
public enum HandoffPreset {
    /**
     * The AI handles everything: no handoff on low confidence, explicit requests or frustration
     * (topic gates you set and autopilot-off channels still go to the team).
     */
    AI_ONLY(0.0, false, 1.01),
    /** Hand off early: high confidence bar, any explicit request, mild frustration. */
    QUICK_HANDOFF(0.70, true, 0.40),
    /** The default: a medium confidence bar, explicit requests and clear frustration hand off. */
    BALANCED(0.50, true, 0.60),
    /**
     * The AI tries first: a low confidence bar, an explicit request hands off when repeated in the
     * session, only strong frustration hands off.
     */
    AI_FIRST(0.35, false, 0.80);

    private final double confidenceThreshold;
    private final boolean firstHumanRequestHandsOff;
    private final double frustrationThreshold;

    HandoffPreset(double confidenceThreshold, boolean firstHumanRequestHandsOff, double frustrationThreshold) {
        this.confidenceThreshold = confidenceThreshold;
        this.firstHumanRequestHandsOff = firstHumanRequestHandsOff;
        this.frustrationThreshold = frustrationThreshold;
    }

    /** Replies below this confidence hand off. */
    public double confidenceThreshold() {
        return confidenceThreshold;
    }

    /** True when the first explicit request for a human hands off (otherwise the second does). */
    public boolean firstHumanRequestHandsOff() {
        return firstHumanRequestHandsOff;
    }

    /** Frustration scores at or above this hand off (above 1: never). */
    public double frustrationThreshold() {
        return frustrationThreshold;
    }
}
