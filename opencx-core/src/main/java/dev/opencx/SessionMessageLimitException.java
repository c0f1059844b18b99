package dev.opencx;

import dev.opencx.conversation.TicketNumber;
import java.util.Objects;

/**
 * A customer message refused because its session already holds the most customer messages a
 * session takes ({@code OpenCx.Builder.maxMessagesPerSession}, 2,000 by default). Nothing of the
 * message is stored. It is an {@link IllegalArgumentException}, as {@code receive} documents for
 * messages it cannot accept, so every channel answers it as the client's error; the web and REST API
 * channels answer {@code 429} with the code {@code session_message_limit}. Retrying the same message
 * does not help: a new session starts once this one is resolved or closed.
 *
 * <pre>{@code
 * try {
 *     cx.receive(message).join();
 * } catch (CompletionException e) {
 *     if (e.getCause() instanceof SessionMessageLimitException full) {
 *         // tell the customer the conversation is full: full.ticket(), full.limit()
 *     }
 * }
 * }</pre>
 */
public final class SessionMessageLimitException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String sessionId;
    private final transient TicketNumber ticket;
    private final int limit;

    public SessionMessageLimitException(String sessionId, TicketNumber ticket, int limit) {
        super("session " + ticket + " already has " + limit + " customer messages, the most a session takes"
                + " (OpenCx.Builder.maxMessagesPerSession); the message was not stored. A new session starts"
                + " once this one is resolved or closed");
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.ticket = Objects.requireNonNull(ticket, "ticket");
        this.limit = limit;
    }

    /** The full session. */
    public String sessionId() {
        return sessionId;
    }

    /** The full session's ticket number. */
    public TicketNumber ticket() {
        return ticket;
    }

    /** The limit in force, in customer messages per session. */
    public int limit() {
        return limit;
    }
}
