package dev.opencx.responder;

/**
 * Writes the AI's answer to a customer message: {@link EmbeddedResponder} (no LLM: scenarios and
 * help-center passages) or an LLM responder. A responder never sends anything itself: it returns a
 * {@link Reply} with a calibrated confidence, and the confidence gate decides whether it is sent or
 * the session is handed off. Exceptions are caught by the pipeline and hand off with {@link
 * dev.opencx.handoff.HandoffReason#RESPONDER_ERROR}.
 */
@FunctionalInterface
public interface Responder {
    Reply respond(ResponderRequest request);
}
