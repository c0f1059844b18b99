package dev.opencx.conversation;

/** Who wrote a message. */
public enum Author {
    CUSTOMER,
    AI,
    AGENT,
    SYSTEM
}
