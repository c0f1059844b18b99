package dev.opencx.event;

/** An agent claimed the session. */
public record AgentJoined(String agentId) implements CoreEvent {}
