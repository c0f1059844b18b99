package dev.opencx.event;

import java.util.List;

/**
 * One call of the customer's API for an {@link dev.opencx.action.Action}, whoever asked for it (the
 * model, a confirmation, the embedded path). Holds the redacted request (method, URL without secret
 * parameters, the names of the parameters sent) and never a credential or a response body: inspect
 * mode shows it next to the {@link ToolCalled} of the model's round.
 *
 * @param action the action's name
 * @param trigger {@code model} (a tool call), {@code confirmation} (the customer said yes), {@code
 *     embedded} (the embedded responder's intent match)
 * @param outcome the {@link dev.opencx.action.ActionResult.Outcome}, lower case
 * @param status the HTTP status of the last response, 0 when there was none
 * @param latencyMs the whole call, retries included
 * @param attempts the HTTP requests sent (0 when none was)
 * @param request the redacted request, empty when none was built
 * @param idempotencyKey the key sent as {@code Idempotency-Key}
 * @param explanation the one-line explanation of the result
 * @param problems what was wrong with the arguments, when nothing was sent
 * @param ignoredArguments arguments given for contact-bound parameters, ignored
 */
public record ActionCalled(
        String action,
        String trigger,
        String outcome,
        int status,
        long latencyMs,
        int attempts,
        String request,
        String idempotencyKey,
        String explanation,
        List<String> problems,
        List<String> ignoredArguments)
        implements CoreEvent {
    public ActionCalled {
        action = action == null ? "" : action;
        trigger = trigger == null ? "" : trigger;
        outcome = outcome == null ? "" : outcome;
        request = request == null ? "" : request;
        idempotencyKey = idempotencyKey == null ? "" : idempotencyKey;
        explanation = explanation == null ? "" : explanation;
        problems = problems == null ? List.of() : List.copyOf(problems);
        ignoredArguments = ignoredArguments == null ? List.of() : List.copyOf(ignoredArguments);
    }
}
