package dev.opencx.event;

import java.util.Map;

/**
 * What became of a {@link dev.opencx.action.PendingAction} with the customer's next message.
 *
 * @param pendingId the pending action's id
 * @param action the action's name
 * @param answer {@code confirmed} (an explicit yes), {@code declined} (no), {@code expired} (the
 *     answer came too late), {@code values} (the missing values were given), {@code dropped} (the
 *     message was about something else, or the session was handed off)
 * @param detail why, for inspect mode (the detector's cue, the expiry)
 * @param evidence the numbers behind it
 */
public record ActionAnswered(
        String pendingId, String action, String answer, String detail, Map<String, Object> evidence)
        implements CoreEvent {
    public ActionAnswered {
        pendingId = pendingId == null ? "" : pendingId;
        action = action == null ? "" : action;
        answer = answer == null ? "" : answer;
        detail = detail == null ? "" : detail;
        evidence = evidence == null ? Map.of() : Map.copyOf(evidence);
    }
}
