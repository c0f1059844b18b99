package dev.opencx.pii;

/**
 * PII handling for one session, as a responder needs it around tool calls: the model works with
 * placeholders ({@code [EMAIL_1]}), a tool (the customer's own API) gets the real values the
 * channel's {@link PiiPolicy} allows for {@link PiiDestination#ACTION}, and what a tool returns is
 * redacted with the session's placeholders before the model or the session log sees it.
 *
 * <pre>{@code
 * String args = turn.pii().reveal(call.arguments(), PiiDestination.ACTION); // for the API
 * String forModel = turn.pii().redact(apiResult);                           // for the model
 * }</pre>
 */
public interface SessionPii {

    /** No redaction: both methods return their input (PII redaction is off). */
    SessionPii NONE = new SessionPii() {
        @Override
        public String reveal(String text, PiiDestination destination) {
            return text;
        }

        @Override
        public String redact(String text) {
            return text;
        }
    };

    /**
     * {@code text} with the placeholders the policy reveals to {@code destination} replaced by their
     * values; the others stay placeholders.
     */
    String reveal(String text, PiiDestination destination);

    /**
     * {@code text} with the PII the policy redacts replaced by this session's placeholders (a value
     * seen before gets the same placeholder; new ones are stored in the vault).
     */
    String redact(String text);
}
