package dev.opencx.pii;

import java.util.Objects;

/**
 * A piece of personal data found in a text: {@code text.substring(start, end)}.
 *
 * @param start first character (inclusive)
 * @param end last character (exclusive), greater than {@code start}
 * @param type what kind of data it is; never null
 * @param confidence how sure the detector is, 0..1 (checksummed matches are 1.0)
 */
public record PiiSpan(int start, int end, PiiType type, double confidence) {
    public PiiSpan {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("a span needs 0 <= start < end, was " + start + ".." + end);
        }
        Objects.requireNonNull(type, "type");
        if (!(confidence >= 0 && confidence <= 1)) {
            throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
        }
    }

    /** A span with confidence 1. */
    public static PiiSpan of(int start, int end, PiiType type) {
        return new PiiSpan(start, end, type, 1.0);
    }

    public int length() {
        return end - start;
    }

    public boolean overlaps(PiiSpan o) {
        return start < o.end && o.start < end;
    }
}
