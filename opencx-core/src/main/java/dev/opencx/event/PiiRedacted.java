package dev.opencx.event;

import java.util.Map;

/**
 * Personal data was replaced by placeholders in a customer message before it was stored: the why
 * of the redaction, never the values.
 *
 * @param messageId the redacted message
 * @param counts spans replaced, by PII type ({@code {"EMAIL": 1, "PHONE": 2}})
 * @param newPlaceholders placeholders the message introduced (others were already in the session)
 * @param reversible true when the values were sealed in the vault (they can be restored where the
 *     policy allows), false when the redaction is one-way (no vault configured)
 */
public record PiiRedacted(String messageId, Map<String, Integer> counts, int newPlaceholders, boolean reversible)
        implements CoreEvent {
    public PiiRedacted {
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }
}
