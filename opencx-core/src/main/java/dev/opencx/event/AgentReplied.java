package dev.opencx.event;

import dev.opencx.conversation.Message;

/** An agent's reply, queued for the customer's channel. */
public record AgentReplied(Message message) implements CoreEvent {}
