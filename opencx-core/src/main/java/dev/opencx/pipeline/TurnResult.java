package dev.opencx.pipeline;

import dev.opencx.conversation.TicketNumber;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.Citation;
import java.util.List;
import java.util.Objects;

/**
 * What became of one customer message.
 *
 * @param outcome the outcome
 * @param sessionId the session, empty for a message rejected before it had one
 * @param ticket the session's ticket number, null before it had one
 * @param messageId the stored message's id, empty when none
 * @param reason the handoff reason for {@link Outcome#HANDED_OFF}, null otherwise
 * @param text the reply text for {@link Outcome#REPLIED}, empty otherwise
 * @param confidence the reply's confidence, 0 when none
 * @param citations the reply's sources
 * @param explanation why, in one sentence
 */
public record TurnResult(
        Outcome outcome,
        String sessionId,
        TicketNumber ticket,
        String messageId,
        HandoffReason reason,
        String text,
        double confidence,
        List<Citation> citations,
        String explanation) {

    /** The outcomes of a turn. */
    public enum Outcome {
        /** Stored by the intake; the turn follows. */
        ACCEPTED,
        /** The channel had delivered this message before; nothing was done. */
        DUPLICATE,
        /** The AI replied. */
        REPLIED,
        /** The session was handed off to the team. */
        HANDED_OFF,
        /** The session belongs to the team: the message went to the helpdesk, the AI stayed silent. */
        FORWARDED,
        /** An interceptor ended the turn without a reply or handoff. */
        STOPPED,
        /** The turn failed; see the explanation and the logs. */
        FAILED
    }

    public TurnResult {
        Objects.requireNonNull(outcome, "outcome");
        sessionId = sessionId == null ? "" : sessionId;
        messageId = messageId == null ? "" : messageId;
        text = text == null ? "" : text;
        citations = citations == null ? List.of() : List.copyOf(citations);
        explanation = explanation == null ? "" : explanation;
    }

    public static TurnResult of(Outcome outcome, Turn turn, String explanation) {
        return new TurnResult(
                outcome,
                turn.session() == null ? "" : turn.session().id(),
                turn.session() == null ? null : turn.session().ticket(),
                turn.message() == null ? "" : turn.message().id(),
                null,
                "",
                0,
                List.of(),
                explanation);
    }
}
