package dev.opencx.channel.twilio;

import dev.opencx.connect.TextParts;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Cuts a reply into the messages Twilio is asked to send. Every part fits its limit (for SMS: a
 * number of segments in the part's own encoding; always Twilio's 1,600-character {@code Body}
 * limit); parts are cut at paragraph, sentence or word ends ({@link TextParts}); a reply that needs
 * more than the allowed number of parts is shortened in the last one, with an ellipsis; when there
 * are several parts each ends with {@code " (i/n)"} so a reader can put them in order (separate
 * messages may arrive out of order).
 */
final class MessageParts {
    /** Twilio's limit on a message's {@code Body}. */
    static final int TWILIO_BODY_LIMIT = 1600;

    private MessageParts() {}

    /**
     * The parts of an SMS text.
     *
     * @param segmentsPerPart the most segments one part may cost (1 to 10)
     */
    static List<String> sms(String text, int segmentsPerPart, int maxParts, boolean numbered) {
        int capacity = Math.min(SmsEncoding.gsmCapacity(segmentsPerPart), TWILIO_BODY_LIMIT);
        return cut(text, maxParts, numbered, capacity, "...", suffix -> candidate -> {
            String whole = candidate + suffix;
            return whole.length() <= TWILIO_BODY_LIMIT && SmsEncoding.segments(whole) <= segmentsPerPart;
        });
    }

    /** The parts of a text limited to {@code maxChars} UTF-16 units per part (WhatsApp). */
    static List<String> byLength(String text, int maxChars, int maxParts, boolean numbered) {
        return cut(
                text,
                maxParts,
                numbered,
                maxChars,
                "…",
                suffix -> candidate -> candidate.length() + suffix.length() <= maxChars);
    }

    /** The longest part the settings allow, in characters, whatever the text (for capabilities). */
    static int smsPartLimit(int segmentsPerPart) {
        return Math.min(SmsEncoding.gsmCapacity(segmentsPerPart), TWILIO_BODY_LIMIT);
    }

    private static List<String> cut(
            String text,
            int maxParts,
            boolean numbered,
            int capacity,
            String ellipsis,
            java.util.function.Function<String, Predicate<String>> fitsWithSuffix) {
        List<String> parts = fill(text, maxParts, capacity, ellipsis, fitsWithSuffix.apply(""));
        if (parts.size() <= 1 || !numbered) {
            return parts;
        }
        String widest = " (" + maxParts + "/" + maxParts + ")";
        parts = fill(text, maxParts, capacity, ellipsis, fitsWithSuffix.apply(widest));
        List<String> out = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            out.add(parts.get(i) + " (" + (i + 1) + "/" + parts.size() + ")");
        }
        return out;
    }

    private static List<String> fill(String text, int maxParts, int capacity, String ellipsis, Predicate<String> fits) {
        List<String> parts = new ArrayList<>();
        String rest = text.strip();
        while (!rest.isEmpty()) {
            if (fits.test(rest)) {
                parts.add(rest);
                break;
            }
            if (parts.size() == maxParts - 1) {
                parts.add(shortened(rest, capacity, ellipsis, fits));
                break;
            }
            String head = head(rest, capacity, fits);
            parts.add(head);
            rest = rest.substring(head.length()).strip();
        }
        return parts;
    }

    /** The longest start of {@code rest} (cut where a reader would) that fits. */
    private static String head(String rest, int capacity, Predicate<String> fits) {
        int limit = Math.min(capacity, rest.length());
        String head = first(rest, limit);
        if (!fits.test(head) && !SmsEncoding.isGsm7(head)) {
            // a UCS-2 part holds far fewer characters: start from its capacity
            limit = Math.min(
                    limit, Math.max(1, (int) (limit * (SmsEncoding.UCS2_MULTI / (double) SmsEncoding.GSM_MULTI))));
            head = first(rest, limit);
        }
        while (!fits.test(head) && limit > 1) {
            limit--;
            head = first(rest, limit);
        }
        return head;
    }

    private static String first(String rest, int limit) {
        String window = rest.length() > limit + 2 ? rest.substring(0, limit + 2) : rest;
        List<String> split = TextParts.split(window, limit);
        return split.isEmpty() ? "" : split.get(0);
    }

    private static String shortened(String rest, int capacity, String ellipsis, Predicate<String> fits) {
        int limit = capacity;
        String s = TextParts.shorten(rest, limit, ellipsis);
        while (!fits.test(s) && limit > ellipsis.length() + 1) {
            limit--;
            s = TextParts.shorten(rest, limit, ellipsis);
        }
        return s;
    }
}
