package dev.opencx.event;

/** The session was resolved; {@code by} is an agent id, {@code ai} or {@code system}. */
public record SessionResolved(String by) implements CoreEvent {}
