package dev.opencx.pii;

/** Who reads a text: the policy decides per destination whether they see real values or placeholders. */
public enum PiiDestination {
    /** The responder and the language model. Sees placeholders for every redacted type. */
    MODEL,
    /** The session log, the store and application logs. Always placeholders. */
    LOG,
    /** Tickets and transcripts sent to the helpdesk (inbox, Zendesk, …). */
    HELPDESK,
    /** A human agent viewing the conversation in your own UI ({@code OpenCx.reveal}). */
    AGENT_VIEW,
    /** Calls to your APIs made for the customer (actions). */
    ACTION,
    /** Messages sent back to the customer on their own channel (e.g. an AI reply quoting [EMAIL_1]). */
    CUSTOMER
}
