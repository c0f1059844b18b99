package dev.opencx.event;

/**
 * The pipeline finished with a customer message; a stored message without this event is processed
 * again after a restart.
 *
 * @param messageSeq sequence number of the {@link MessageReceived} it handled
 * @param outcome replied, handed off, forwarded, failed, …
 * @param error the failure, empty on success
 * @param micros how long the turn took
 */
public record TurnCompleted(long messageSeq, String outcome, String error, long micros) implements CoreEvent {
    public TurnCompleted {
        error = error == null ? "" : error;
    }
}
