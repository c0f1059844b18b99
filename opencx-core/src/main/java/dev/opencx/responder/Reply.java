package dev.opencx.responder;

import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.Citation;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A responder's answer to one customer message.
 *
 * @param text the reply; empty when the responder has nothing to say
 * @param confidence calibrated: the probability that the reply is right, 0 to 1
 * @param citations the sources it drew on, never null
 * @param handoff set when the responder itself says a human is needed (and why); null otherwise
 * @param explanation how it got there, for inspect mode
 * @param evidence the numbers behind it (similarities, ranks)
 */
public record Reply(
        String text,
        double confidence,
        List<Citation> citations,
        HandoffReason handoff,
        String explanation,
        Map<String, Object> evidence) {
    public Reply {
        text = text == null ? "" : text;
        if (Double.isNaN(confidence) || confidence < 0 || confidence > 1) {
            throw new IllegalArgumentException("confidence must be within [0, 1], was " + confidence);
        }
        citations = citations == null ? List.of() : List.copyOf(citations);
        explanation = explanation == null ? "" : explanation;
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
        if (text.isBlank() && handoff == null) {
            throw new IllegalArgumentException("a reply without text must name a handoff reason");
        }
    }

    /** An answer. */
    public static Reply answer(
            String text,
            double confidence,
            List<Citation> citations,
            String explanation,
            Map<String, Object> evidence) {
        Objects.requireNonNull(text, "text");
        return new Reply(text, confidence, citations, null, explanation, evidence);
    }

    /** Nothing confident to say: the gate hands off with this reason. */
    public static Reply noAnswer(HandoffReason reason, String explanation, Map<String, Object> evidence) {
        return new Reply("", 0, List.of(), Objects.requireNonNull(reason, "reason"), explanation, evidence);
    }

    public boolean asksForHuman() {
        return handoff != null;
    }
}
