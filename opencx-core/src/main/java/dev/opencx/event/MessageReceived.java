package dev.opencx.event;

import dev.opencx.conversation.Message;

/** A customer message, stored before anything else happens to it. */
public record MessageReceived(Message message) implements CoreEvent {}
