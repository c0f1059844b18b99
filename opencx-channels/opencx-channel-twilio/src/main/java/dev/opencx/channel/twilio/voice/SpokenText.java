package dev.opencx.channel.twilio.voice;

import dev.opencx.connect.TextParts;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Turns a reply written for a screen into something a text-to-speech voice can read: markdown
 * markup, links, code and HTML tags go (a link keeps its label), list items and headings become
 * sentences, and the result is shortened at a sentence or word end to the spoken length limit.
 */
final class SpokenText {
    private static final Pattern FENCE = Pattern.compile("(?s)```.*?(```|\\z)");
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*]\\([^)]*\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern AUTOLINK = Pattern.compile("<(?:https?|mailto|ftp):[^>]*>");
    private static final Pattern URL =
            Pattern.compile("(?i)\\b(?:https?://|ftp://|www\\.)[^\\s)\\]>]*[^\\s)\\]>.,;:!?]");
    private static final Pattern TAG = Pattern.compile("</?[A-Za-z][^>]*>");
    private static final Pattern HEADING = Pattern.compile("^\\s{0,3}#{1,6}\\s*");
    private static final Pattern QUOTE = Pattern.compile("^\\s*>\\s?");
    private static final Pattern BULLET = Pattern.compile("^\\s*(?:[-*+•]|\\d{1,3}[.)])\\s+");
    private static final Pattern RULE = Pattern.compile("^\\s*(?:[-*_]\\s*){3,}$");
    private static final Pattern EMPHASIS = Pattern.compile("(\\*\\*|__|~~|\\*|_|`)(\\S(?:.*?\\S)?)\\1");
    private static final Pattern EMPTY_BRACKETS = Pattern.compile("\\(\\s*\\)|\\[\\s*]");
    private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile("\\s+([.,;:!?])");
    private static final Pattern SPACES = Pattern.compile("\\s+");

    private SpokenText() {}

    /**
     * The speakable form of {@code text}, at most {@code max} characters.
     *
     * @return empty when nothing speakable is left (a reply that was only a link)
     */
    static String of(String text, int max) {
        String t = FENCE.matcher(text).replaceAll(" ");
        t = IMAGE.matcher(t).replaceAll("");
        t = LINK.matcher(t).replaceAll("$1");
        t = AUTOLINK.matcher(t).replaceAll("");
        t = URL.matcher(t).replaceAll("");
        t = TAG.matcher(t).replaceAll("");
        List<String> sentences = new ArrayList<>();
        for (String raw : t.split("\\R")) {
            if (RULE.matcher(raw).matches()) {
                continue;
            }
            String line = HEADING.matcher(raw).replaceFirst("");
            line = QUOTE.matcher(line).replaceFirst("");
            boolean item = BULLET.matcher(line).lookingAt();
            line = BULLET.matcher(line).replaceFirst("");
            line = line.replace('|', ' ');
            for (int i = 0; i < 3; i++) {
                line = EMPHASIS.matcher(line).replaceAll("$2");
            }
            line = line.replace("*", "").replace("`", "").replace("#", " ");
            line = EMPTY_BRACKETS.matcher(line).replaceAll("");
            line = SPACES.matcher(line).replaceAll(" ").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (!sentences.isEmpty()) {
                int last = sentences.size() - 1;
                String prev = sentences.get(last);
                char end = prev.charAt(prev.length() - 1);
                if ((item || startsUpper(line)) && !endsSentence(prev) && end != ':' && end != ',' && end != ';') {
                    sentences.set(last, prev + "."); // a list item or a new line that starts a sentence
                }
            }
            sentences.add(line);
        }
        String joined = SPACE_BEFORE_PUNCT
                .matcher(String.join(" ", sentences))
                .replaceAll("$1")
                .strip();
        if (joined.isEmpty()) {
            return "";
        }
        String spoken = TextParts.shorten(joined, max, "…");
        // a cut after a whole sentence needs no ellipsis (and a voice does not read it anyway)
        return spoken.length() > 1 && spoken.endsWith("…") && endsSentence(spoken.substring(0, spoken.length() - 1))
                ? spoken.substring(0, spoken.length() - 1)
                : spoken;
    }

    private static boolean endsSentence(String s) {
        char c = s.charAt(s.length() - 1);
        return c == '.' || c == '!' || c == '?' || c == '…' || c == '。';
    }

    private static boolean startsUpper(String s) {
        return Character.isUpperCase(s.codePointAt(0));
    }

    /** A ticket number read digit by digit ({@code #1042} → {@code "1 0 4 2"}). */
    static String digits(String value) {
        StringBuilder sb = new StringBuilder();
        for (char c : value.toCharArray()) {
            if (Character.isDigit(c)) {
                if (!sb.isEmpty()) {
                    sb.append(' ');
                }
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
