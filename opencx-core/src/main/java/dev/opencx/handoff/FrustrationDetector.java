package dev.opencx.handoff;

import java.util.List;

/**
 * Tells whether a customer is frustrated, from the current message and the session so far. A
 * positive detection leads autopilot to hand off with {@link HandoffReason#FRUSTRATION}.
 *
 * <p>The score combines the current turn with the trend over the session: frustration that keeps
 * rising over the last turns scores higher than the same message out of the blue. Implementations
 * must be thread-safe and must not log message text. The built-in one is {@link
 * LexicalFrustrationDetector}.
 *
 * <pre>{@code
 * FrustrationDetector detector = LexicalFrustrationDetector.builder().build();
 * Detection d = detector.detect("STILL not working!!!", List.of("my order is late", "any news?"));
 * }</pre>
 */
public interface FrustrationDetector {

    /**
     * Examines one customer message in the context of the session.
     *
     * @param text the message text, never null (blank gives a non-detection)
     * @param previousCustomerTexts earlier customer messages of the session, oldest first, never
     *     null (may be empty)
     * @return the detection, never null
     */
    Detection detect(String text, List<String> previousCustomerTexts);

    /**
     * Examines one customer message in the context of the session and the AI's last reply, which
     * tells a correction after an unhelpful answer from a fresh request. The pipeline calls this
     * one; the default ignores the reply.
     *
     * @param text the message text, never null (blank gives a non-detection)
     * @param previousCustomerTexts earlier customer messages of the session, oldest first, never
     *     null (may be empty)
     * @param previousReply the last AI or agent message before this one, {@code ""} when none
     * @return the detection, never null
     */
    default Detection detect(String text, List<String> previousCustomerTexts, String previousReply) {
        return detect(text, previousCustomerTexts);
    }

    /**
     * Examines one message without session context.
     *
     * @param text the message text, never null
     * @return the detection, never null
     */
    default Detection detect(String text) {
        return detect(text, List.of());
    }
}
