package dev.opencx.event;

import java.util.List;

/**
 * One tool call a language model asked for, and what came of it (for inspect mode).
 *
 * @param name the tool
 * @param arguments the arguments the model gave, as JSON text
 * @param result the start of the result given back to the model (at most 500 characters)
 * @param latencyMs how long the tool ran
 * @param outcome {@code ok}, {@code error}, {@code timeout} or {@code unknown_tool}; for an action,
 *     {@code invalid_arguments} or the lower-cased {@code ActionResult.Outcome} ({@code ok}, {@code
 *     client_error}, {@code circuit_open}…)
 * @param round the model round that asked for it (1-based)
 * @param request for an action: the redacted request summary ({@code GET https://…/orders/1042
 *     [order_id, X-Customer-Id]}, without credentials); empty otherwise or when no request was built
 * @param ignoredArguments for an action: the arguments the model gave for contact-bound parameters,
 *     which were ignored (a sign of prompt injection); empty otherwise
 */
public record ToolCalled(
        String name,
        String arguments,
        String result,
        long latencyMs,
        String outcome,
        int round,
        String request,
        List<String> ignoredArguments)
        implements CoreEvent {
    public ToolCalled {
        name = name == null ? "" : name;
        arguments = arguments == null ? "" : arguments;
        result = result == null ? "" : result;
        outcome = outcome == null ? "" : outcome;
        request = request == null ? "" : request;
        ignoredArguments = ignoredArguments == null ? List.of() : List.copyOf(ignoredArguments);
    }

    /** A call of a plain tool (no request summary, no ignored arguments). */
    public ToolCalled(String name, String arguments, String result, long latencyMs, String outcome, int round) {
        this(name, arguments, result, latencyMs, outcome, round, "", List.of());
    }
}
