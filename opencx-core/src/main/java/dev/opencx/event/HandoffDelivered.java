package dev.opencx.event;

/** The helpdesk accepted the ticket. */
public record HandoffDelivered(String helpdesk, String ticketRef) implements CoreEvent {}
