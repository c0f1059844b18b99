package dev.opencx.handoff;

import java.util.List;

/**
 * What a handoff detector found in a customer message: whether the cue is present, how strongly,
 * and why.
 *
 * <pre>{@code
 * Detection d = detector.detect("can I talk to a real person?");
 * if (d.detected()) handOff(HandoffReason.EXPLICIT_REQUEST, d.explanation());
 * }</pre>
 *
 * <p>Null contract: {@code explanation} null becomes {@code ""}, {@code evidence} null becomes an
 * empty list; evidence entries must not be null. The evidence holds the matched cues (phrases as
 * normalized by the detector, never the whole message), so it is safe to record in events.
 *
 * @param detected whether the score reached the detector's threshold
 * @param score strength of the cue, 0 (none) to 1 (certain)
 * @param explanation one sentence naming the cue that decided and any negation found
 * @param evidence the matched phrases or cues, in the order found
 */
public record Detection(boolean detected, double score, String explanation, List<String> evidence) {
    public Detection {
        if (Double.isNaN(score) || score < 0 || score > 1) {
            throw new IllegalArgumentException("score must be in [0, 1] but was " + score);
        }
        explanation = explanation == null ? "" : explanation;
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    /**
     * Nothing detected.
     *
     * @param why why not, e.g. "no request cue"; null means ""
     */
    public static Detection none(String why) {
        return new Detection(false, 0, why, List.of());
    }

    @Override
    public String toString() {
        return (detected ? "detected" : "not detected")
                + String.format(java.util.Locale.ROOT, " (%.2f)", score)
                + (explanation.isEmpty() ? "" : ": " + explanation);
    }
}
