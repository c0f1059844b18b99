package dev.opencx.event;

/** The session was closed without resolution. */
public record SessionClosed(String reason) implements CoreEvent {}
