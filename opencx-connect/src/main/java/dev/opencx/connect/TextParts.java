package dev.opencx.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fits a reply to a channel's length limit, cutting where a reader would: between paragraphs,
 * then after a sentence, then between words, and only inside a word when one word is longer than
 * the limit. Never splits a surrogate pair (an emoji stays whole).
 *
 * <pre>{@code
 * for (String part : TextParts.split(reply, 1600)) { twilio.send(to, part); }
 * String spoken = TextParts.shorten(reply, 300, "…");
 * }</pre>
 */
public final class TextParts {
    private TextParts() {}

    /**
     * Splits {@code text} into parts of at most {@code max} characters (UTF-16 units, as Java and
     * most provider limits count). Parts are trimmed; joined with a space or a line break they read
     * as the original. An empty text gives no parts.
     *
     * @throws IllegalArgumentException when {@code max < 1}
     */
    public static List<String> split(String text, int max) {
        Objects.requireNonNull(text, "text");
        requirePositive(max);
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        while (!rest.isEmpty()) {
            if (rest.length() <= max) {
                parts.add(rest);
                break;
            }
            int cut = cutPoint(rest, max);
            String head = rest.substring(0, cut).strip();
            if (!head.isEmpty()) {
                parts.add(head);
            }
            rest = rest.substring(cut).strip();
        }
        return parts;
    }

    /**
     * The longest start of {@code text} that fits in {@code max} characters with {@code ellipsis}
     * appended, cut at a sentence or word end; the text itself when it fits.
     *
     * @throws IllegalArgumentException when {@code max} leaves no room beside the ellipsis
     */
    public static String shorten(String text, int max, String ellipsis) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(ellipsis, "ellipsis");
        requirePositive(max);
        String t = text.strip();
        if (t.length() <= max) {
            return t;
        }
        int room = max - ellipsis.length();
        if (room < 1) {
            throw new IllegalArgumentException(
                    "max " + max + " leaves no room for text beside the ellipsis '" + ellipsis + "'");
        }
        int sentence = lastSentenceEnd(t, room);
        if (sentence > room / 2) {
            return t.substring(0, sentence).strip(); // whole sentences need no ellipsis
        }
        return t.substring(0, cutPoint(t, room)).strip() + ellipsis;
    }

    /** Where to cut {@code s} (longer than {@code max}) so that the head has at most max chars. */
    private static int cutPoint(String s, int max) {
        int paragraph = s.lastIndexOf("\n\n", max);
        if (paragraph > max / 3) {
            return paragraph;
        }
        int sentence = lastSentenceEnd(s, max);
        if (sentence > max / 3) {
            return sentence;
        }
        for (int i = max; i > 0; i--) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return Character.isLowSurrogate(s.charAt(max)) ? max - 1 : max;
    }

    /** The index just after the last sentence end (., !, ?, … followed by a space) within max. */
    private static int lastSentenceEnd(String s, int max) {
        for (int i = Math.min(max, s.length() - 1); i > 0; i--) {
            char c = s.charAt(i - 1);
            if ((c == '.' || c == '!' || c == '?' || c == '…' || c == '。')
                    && (i == s.length() || Character.isWhitespace(s.charAt(i)))) {
                return i;
            }
        }
        return -1;
    }

    private static void requirePositive(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
    }
}
