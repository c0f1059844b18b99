package dev.opencx.event;

/**
 * One call of a language model by a responder (inspect mode shows them; analytics sums the tokens).
 * Never carries the prompt, the answer or any credential.
 *
 * @param model the model's name as reported by the provider (or configured), never null
 * @param provider the LangChain4j provider ({@code OPEN_AI}, {@code ANTHROPIC}, …), {@code OTHER} when unknown
 * @param round 1 for the first call of a turn, +1 after each round of tool calls
 * @param streaming true when the answer was streamed
 * @param latencyMs wall-clock time of the call
 * @param inputTokens prompt tokens as reported by the provider, null when unknown
 * @param outputTokens completion tokens as reported by the provider, null when unknown
 * @param finishReason why the model stopped ({@code STOP}, {@code TOOL_EXECUTION}, {@code LENGTH}), empty when unknown
 * @param toolCalls how many tool calls the model asked for
 * @param outcome {@code ok}, {@code timeout}, {@code rate_limited}, {@code server_error}, {@code error}
 * @param error the error's type and status (no message body), empty when the call succeeded
 */
public record ModelCalled(
        String model,
        String provider,
        int round,
        boolean streaming,
        long latencyMs,
        Integer inputTokens,
        Integer outputTokens,
        String finishReason,
        int toolCalls,
        String outcome,
        String error)
        implements CoreEvent {
    public ModelCalled {
        model = model == null ? "" : model;
        provider = provider == null ? "OTHER" : provider;
        finishReason = finishReason == null ? "" : finishReason;
        outcome = outcome == null ? "" : outcome;
        error = error == null ? "" : error;
    }

    public boolean succeeded() {
        return "ok".equals(outcome);
    }
}
