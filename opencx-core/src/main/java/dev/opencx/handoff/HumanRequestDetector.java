package dev.opencx.handoff;

import java.util.List;

/**
 * Tells whether a customer explicitly asks for a human ("can I talk to a real person?", "agent
 * please"). A positive detection leads autopilot to hand off with {@link
 * HandoffReason#EXPLICIT_REQUEST}.
 *
 * <p>Implementations must be thread-safe and must not log message text. The built-in one is
 * {@link RuleBasedHumanRequestDetector}; an LLM-backed one can implement this interface.
 *
 * <pre>{@code
 * HumanRequestDetector detector = RuleBasedHumanRequestDetector.builder().build();
 * detector.detect("get me a human!!!").detected(); // true
 * detector.detect("I don't need an agent").detected(); // false
 * }</pre>
 */
public interface HumanRequestDetector {

    /**
     * Examines one customer message.
     *
     * @param text the message text, never null (blank gives a non-detection)
     * @return the detection, never null
     */
    Detection detect(String text);

    /**
     * Examines one customer message with the session's earlier customer messages as context. The
     * default ignores the context.
     *
     * @param text the message text, never null
     * @param previousCustomerTexts earlier customer messages, oldest first, never null (may be empty)
     * @return the detection, never null
     */
    default Detection detect(String text, List<String> previousCustomerTexts) {
        java.util.Objects.requireNonNull(previousCustomerTexts, "previousCustomerTexts");
        return detect(text);
    }
}
