package dev.opencx.outbox;

/** What an outbox entry asks the dispatcher to do. */
public enum OutboxKind {
    /** Send a message on a channel. */
    CHANNEL_SEND,
    /** Open a ticket in the helpdesk for a handed-off session. */
    HELPDESK_OPEN,
    /** Append a later customer message to the session's ticket. */
    HELPDESK_APPEND,
    /** Tell the helpdesk the session was resolved on our side. */
    HELPDESK_RESOLVE
}
