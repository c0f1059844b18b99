package dev.opencx.responder.llm;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.opencx.responder.ResponderRequest;

/**
 * Runs one tool the model asked for: the hook for actions (a customer's own APIs). Registered with
 * its {@link dev.langchain4j.agent.tool.ToolSpecification} in a {@link ToolRegistry}.
 *
 * <pre>{@code
 * ToolExecutor orderStatus = (call, turn) -> {
 *     String orderId = JSON.readTree(call.arguments()).path("order_id").asText();
 *     return shop.status(orderId).toJson();
 * };
 * }</pre>
 *
 * <p>Contract: may be called from a pool thread, concurrently for different sessions; it should
 * honour interruption (the responder interrupts a call that exceeds its timeout). The returned
 * text is given to the model as the tool's result (never null; keep it short: it costs tokens). A
 * thrown exception is reported to the model as an error result and recorded in the session log;
 * the model then answers without it or asks for a human.
 *
 * <p>PII: the model only knows placeholders ({@code [EMAIL_1]}). The arguments an executor gets
 * carry the real values the channel's {@link dev.opencx.pii.PiiPolicy} allows for {@link
 * dev.opencx.pii.PiiDestination#ACTION} (others stay placeholders), and the result is redacted with
 * the session's placeholders before the model or the session log sees it.
 */
@FunctionalInterface
public interface ToolExecutor {
    /**
     * @param call the model's request: tool name and arguments as JSON text
     * @param turn the turn being answered (session, contact, channel)
     * @return the result for the model
     */
    String execute(ToolExecutionRequest call, ResponderRequest turn) throws Exception;
}
