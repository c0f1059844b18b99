package dev.opencx.pii;

import java.util.List;

/**
 * Finds personal data in a text. Implementations must be thread-safe and must not log the text.
 *
 * <pre>{@code
 * PiiDetector orders = PiiDetectors.pattern(PiiType.of("ORDER_NUMBER"), "\\bORD-\\d{6}\\b");
 * List<PiiSpan> spans = orders.detect("Where is ORD-123456?");   // [9, 19) ORDER_NUMBER
 * }</pre>
 *
 * <p>The built-in detectors (email, phone, payment card, IBAN, SSN, IP, address, person names,
 * dates of birth, credentials) are in the {@code opencx-pii} module: {@code BuiltInPiiDetectors}.
 */
@FunctionalInterface
public interface PiiDetector {

    /**
     * The spans of personal data in {@code text}, in any order; they may overlap (the redactor keeps
     * the longest). Never null.
     *
     * @param text the text to scan; never null
     */
    List<PiiSpan> detect(String text);
}
