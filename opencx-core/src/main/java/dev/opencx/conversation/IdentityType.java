package dev.opencx.conversation;

/** How a contact is identified on a channel. */
public enum IdentityType {
    /** An e-mail address, stored lower-case. */
    EMAIL,
    /** A phone number in E.164 form ({@code +14155550100}). */
    PHONE,
    /** An id of the host application or of a channel (a user id, a Slack user, a widget visitor). */
    CUSTOM
}
