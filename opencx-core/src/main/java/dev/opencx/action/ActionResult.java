package dev.opencx.action;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The result of one {@link ActionInvoker#execute} call. Never contains credentials: the request
 * summary names the parameters that were sent, without auth headers, API keys or tokens.
 *
 * @param action the action name
 * @param outcome what happened
 * @param status the HTTP status of the last response, 0 when there was none
 * @param latency the time from the call to the result, retries included
 * @param body the response body trimmed for the model (JSON or text); empty when there is none
 * @param truncated whether the body was shortened (arrays cut, a character cap hit, fields selected)
 * @param explanation one line the responder can give the customer or hand off on
 * @param request the redacted request summary for the session log; null when no request was built
 * @param attempts how many HTTP requests were sent (0 when none was)
 * @param problems what is wrong with the arguments ({@link Outcome#INVALID_ARGUMENTS}); else empty
 * @param ignoredArguments arguments the model gave for contact-bound parameters, ignored
 */
public record ActionResult(
        String action,
        Outcome outcome,
        int status,
        Duration latency,
        String body,
        boolean truncated,
        String explanation,
        RequestSummary request,
        int attempts,
        List<String> problems,
        List<String> ignoredArguments) {

    /** What happened to a call. */
    public enum Outcome {
        /** A 2xx response. */
        OK,
        /** A 4xx response, or a call that could not be authenticated. */
        CLIENT_ERROR,
        /** A 5xx response after the retries. */
        SERVER_ERROR,
        /** The API did not answer in time. */
        TIMEOUT,
        /** The action failed too often lately: no request was sent. */
        CIRCUIT_OPEN,
        /** The arguments do not fit the action's schema: no request was sent. */
        INVALID_ARGUMENTS,
        /** The connection failed. */
        NETWORK_ERROR,
        /** The response was larger than the limit and was not read. */
        TOO_LARGE
    }

    /**
     * The request as the session log may show it.
     *
     * @param method the HTTP method
     * @param url the URL without the values of secret query parameters
     * @param parameters the names of the parameters sent (contact-bound ones included)
     */
    public record RequestSummary(String method, String url, List<String> parameters) {
        public RequestSummary {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(url, "url");
            parameters = List.copyOf(parameters);
        }

        /**
         * {@code GET https://shop.example.com/orders/1042?email=[EMAIL_1] [order_id, email]}: the
         * summary as one line with each path segment and query value passed through {@code redact}
         * (scheme, host and names are kept, so the line stays readable).
         */
        public String toLogLine(java.util.function.UnaryOperator<String> redact) {
            return method + " " + RedactedUrl.of(url, redact) + " " + parameters;
        }
    }

    public ActionResult {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(latency, "latency");
        body = body == null ? "" : body;
        Objects.requireNonNull(explanation, "explanation");
        problems = List.copyOf(problems);
        ignoredArguments = List.copyOf(ignoredArguments);
    }

    /** Whether the call succeeded (a 2xx response). */
    public boolean ok() {
        return outcome == Outcome.OK;
    }

    /** What the model is given as the tool result: outcome, status, explanation, problems and body. */
    public String toToolResult() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("outcome", outcome.name());
        if (status != 0) {
            node.put("status", status);
        }
        node.put("explanation", explanation);
        if (!problems.isEmpty()) {
            problems.forEach(node.putArray("problems")::add);
        }
        if (!body.isEmpty()) {
            node.put("body", body);
        }
        return node.toString();
    }
}
