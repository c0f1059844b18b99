package dev.opencx.event;

/**
 * One tool call a language model asked for, and what came of it (for inspect mode).
 *
 * @param name the tool
 * @param arguments the arguments the model gave, as JSON text
 * @param result the start of the result given back to the model (at most 500 characters)
 * @param latencyMs how long the tool ran
 * @param outcome {@code ok}, {@code error}, {@code timeout} or {@code unknown_tool}
 * @param round the model round that asked for it (1-based)
 */
public record ToolCalled(String name, String arguments, String result, long latencyMs, String outcome, int round)
        implements EventPayload {
    public ToolCalled {
        name = name == null ? "" : name;
        arguments = arguments == null ? "" : arguments;
        result = result == null ? "" : result;
        outcome = outcome == null ? "" : outcome;
    }
}
