package dev.opencx.event;

/** A customer message of a handed-off session was forwarded to the helpdesk instead of the AI. */
public record MessageForwarded(String messageId, String helpdesk) implements CoreEvent {}
