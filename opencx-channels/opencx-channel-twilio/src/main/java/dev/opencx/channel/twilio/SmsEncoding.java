package dev.opencx.channel.twilio;

import java.util.Map;

/**
 * How an SMS text is encoded and how many segments it costs. A text made only of GSM 03.38
 * characters is sent in GSM-7: 160 septets in one segment, 153 per segment once concatenated (the
 * rest is the concatenation header), the characters of the extension table ({@code ^ { } \ [ ~ ] |
 * €} and form feed) taking two septets and never split across segments. Any other character sends
 * the whole text in UCS-2: 70 UTF-16 units in one segment, 67 per segment, a surrogate pair (an
 * emoji) never split.
 */
final class SmsEncoding {
    /** GSM 03.38 basic character set (the escape itself excluded). */
    private static final String BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** GSM 03.38 extension table: two septets each (escape + character). */
    private static final String EXTENSION = "^{}\\[~]|€\f";

    /**
     * Typographic characters an AI or an agent often writes that are not GSM-7, each with the GSM
     * text Twilio's "smart encoding" also sends in its place: one curly quote would otherwise turn a
     * 160-character segment into a 70-character one.
     */
    private static final Map<Character, String> LOOKALIKES = Map.ofEntries(
            Map.entry('‘', "'"),
            Map.entry('’', "'"),
            Map.entry('‚', "'"),
            Map.entry('‛', "'"),
            Map.entry('′', "'"),
            Map.entry('´', "'"),
            Map.entry('“', "\""),
            Map.entry('”', "\""),
            Map.entry('„', "\""),
            Map.entry('‟', "\""),
            Map.entry('″', "\""),
            Map.entry('«', "\""),
            Map.entry('»', "\""),
            Map.entry('‐', "-"),
            Map.entry('‑', "-"),
            Map.entry('‒', "-"),
            Map.entry('–', "-"),
            Map.entry('—', "-"),
            Map.entry('―', "-"),
            Map.entry('−', "-"),
            Map.entry('…', "..."),
            Map.entry('•', "-"),
            Map.entry('·', "-"),
            Map.entry('\u00A0', " "),
            Map.entry('\u2002', " "),
            Map.entry('\u2003', " "),
            Map.entry('\u2009', " "),
            Map.entry('\u200A', " "),
            Map.entry('\u202F', " "),
            Map.entry('\u200B', ""),
            Map.entry('\uFEFF', ""),
            Map.entry('\t', " "),
            Map.entry('ˆ', "^"),
            Map.entry('˜', "~"));

    static final int GSM_SINGLE = 160;
    static final int GSM_MULTI = 153;
    static final int UCS2_SINGLE = 70;
    static final int UCS2_MULTI = 67;

    private SmsEncoding() {}

    /** True when every character of {@code text} is in GSM-7 (basic or extension table). */
    static boolean isGsm7(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (BASIC.indexOf(c) < 0 && EXTENSION.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    /** The text with typographic look-alikes replaced by their GSM-7 equivalents. */
    static String substituteLookalikes(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            String r = LOOKALIKES.get(text.charAt(i));
            if (r != null && sb == null) {
                sb = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (sb != null) {
                sb.append(r != null ? r : String.valueOf(text.charAt(i)));
            }
        }
        return sb == null ? text : sb.toString();
    }

    /** The number of segments {@code text} is sent in (0 for an empty text). */
    static int segments(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (isGsm7(text)) {
            int septets = 0;
            for (int i = 0; i < text.length(); i++) {
                septets += width(text.charAt(i));
            }
            return septets <= GSM_SINGLE ? 1 : pack(text, GSM_MULTI, true);
        }
        return text.length() <= UCS2_SINGLE ? 1 : pack(text, UCS2_MULTI, false);
    }

    /** Fills segments of {@code size} units in order, never splitting an escape or a surrogate pair. */
    private static int pack(String text, int size, boolean gsm) {
        int segments = 1;
        int used = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int w = gsm ? width(c) : Character.isHighSurrogate(c) && i + 1 < text.length() ? 2 : 1;
            if (!gsm && w == 2) {
                i++;
            }
            if (used + w > size) {
                segments++;
                used = 0;
            }
            used += w;
        }
        return segments;
    }

    private static int width(char c) {
        return EXTENSION.indexOf(c) >= 0 ? 2 : 1;
    }

    /** The most characters of a GSM-7 text {@code segments} segments hold. */
    static int gsmCapacity(int segments) {
        return segments == 1 ? GSM_SINGLE : GSM_MULTI * segments;
    }

    /** The most UTF-16 units of a UCS-2 text {@code segments} segments hold. */
    static int ucs2Capacity(int segments) {
        return segments == 1 ? UCS2_SINGLE : UCS2_MULTI * segments;
    }
}
