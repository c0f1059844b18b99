package dev.opencx.event;

import dev.opencx.action.PendingAction;
import dev.opencx.conversation.Message;
import dev.opencx.knowledge.Citation;
import java.util.List;
import java.util.Map;

/**
 * An AI reply, stored and queued in the outbox in one step.
 *
 * @param message the reply
 * @param confidence the responder's calibrated confidence, 0 to 1
 * @param threshold the confidence the gate required
 * @param citations the sources shown with it
 * @param explanation how the responder got there ("scenario 'returns-window'", "passage p12 of 'Shipping'")
 * @param evidence the numbers behind it, as the responder reported them (similarities, the model,
 *     dropped citations); empty in events stored before it was recorded
 * @param pending the action this reply leaves open (it asked for values or for a yes), or null
 */
public record ReplySent(
        Message message,
        double confidence,
        double threshold,
        List<Citation> citations,
        String explanation,
        Map<String, Object> evidence,
        PendingAction pending)
        implements CoreEvent {
    public ReplySent {
        citations = citations == null ? List.of() : List.copyOf(citations);
        explanation = explanation == null ? "" : explanation;
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }

    /** A reply without evidence. */
    public ReplySent(
            Message message, double confidence, double threshold, List<Citation> citations, String explanation) {
        this(message, confidence, threshold, citations, explanation, Map.of(), null);
    }

    public ReplySent(
            Message message,
            double confidence,
            double threshold,
            List<Citation> citations,
            String explanation,
            Map<String, Object> evidence) {
        this(message, confidence, threshold, citations, explanation, evidence, null);
    }
}
