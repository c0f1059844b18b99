package dev.opencx.autopilot;

import java.util.Objects;

/**
 * A text and the topic it belongs to, for validation: {@code ""} (see {@link #outOfScope(String)})
 * means no topic fits and the classifier should say "none".
 *
 * <p>Null contract: {@code text} must not be null; {@code topic} null becomes {@code ""}.
 *
 * @param text a customer message
 * @param topic the expected topic's name, or {@code ""} for out of scope
 */
public record LabeledText(String text, String topic) {
    public LabeledText {
        Objects.requireNonNull(text, "text");
        topic = topic == null ? "" : topic.strip();
    }

    /** A message no topic fits. */
    public static LabeledText outOfScope(String text) {
        return new LabeledText(text, "");
    }

    /** Whether no topic fits this message. */
    public boolean isOutOfScope() {
        return topic.isEmpty();
    }
}
