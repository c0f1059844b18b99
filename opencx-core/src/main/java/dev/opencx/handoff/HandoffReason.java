package dev.opencx.handoff;

/** Why the AI stopped and a human took over. Every handoff has one. */
public enum HandoffReason {
    /** The responder's confidence was below the threshold. */
    LOW_CONFIDENCE,
    /** Nothing in the knowledge answered the question. */
    MISSING_KNOWLEDGE,
    /** Autopilot's topic gate sends this topic to the team. */
    TOPIC_GATE,
    /** The customer asked for a human. */
    EXPLICIT_REQUEST,
    /** The message touches a topic the AI must not discuss. */
    PROHIBITED_TOPIC,
    /** The customer is frustrated. */
    FRUSTRATION,
    /** Autopilot is off for the session's channel: the team answers everything. */
    AUTOPILOT_OFF,
    /** The responder failed (model error, timeout). */
    RESPONDER_ERROR,
    /** The request needs an action (a tool, an API call) the AI does not have. */
    MISSING_ACTION,
    /** The AI could not tell what the customer wants. */
    UNCLEAR_REQUEST,
    /**
     * An action (the customer's API) failed in a way the customer cannot fix: a 5xx, a timeout, an
     * open circuit, refused credentials.
     */
    ACTION_FAILED,
    /** A user interceptor decided (business hours, VIP routing, …). */
    CUSTOM
}
