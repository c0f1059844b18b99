package dev.opencx.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Calls actions: the SPI between the agent and the customer's APIs. The agent decides which action
 * to call with which arguments; the invoker validates them, fills the contact-bound values from the
 * {@link ActionContext}, makes the call and reports what happened as an {@link ActionResult}.
 *
 * <p>The HTTP implementation is {@code dev.opencx.action.http.ActionExecutor} in the {@code
 * opencx-actions-http} module (auth, retries with idempotency keys, a circuit breaker). Implement
 * this interface to reach your APIs some other way (an in-process service, gRPC, a message bus);
 * {@link ActionArguments#resolve} does the argument checks the same way the HTTP executor does.
 */
public interface ActionInvoker extends AutoCloseable {
    /**
     * Calls the action.
     *
     * @param action the action; never null
     * @param arguments the model's arguments (null means none); values for contact-bound parameters
     *     are ignored and listed in {@link ActionResult#ignoredArguments()}
     * @param ctx the contact, session, credentials and idempotency key; never null
     * @return the result, whatever happened (an exception is a bug); never null
     */
    ActionResult execute(Action action, ObjectNode arguments, ActionContext ctx);

    /**
     * What is wrong with a call, without making it. Used to check a call before the customer is
     * asked to confirm it. The default checks the arguments against the action's schema and the
     * context ({@link ActionArguments#resolve}).
     *
     * @return the problems; empty when {@link #execute} would make the call
     */
    default List<String> check(Action action, ObjectNode arguments, ActionContext ctx) {
        return ActionArguments.resolve(action, arguments, ctx).problems();
    }

    /** Releases what the invoker holds (connections, threads); the default holds nothing. */
    @Override
    default void close() {}
}
