package dev.opencx.channel.twilio;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the markdown a responder or an agent may write into what a phone shows: plain text for
 * SMS, and WhatsApp's own formatting ({@code *bold*}, {@code _italic_}, {@code ~strike~}, {@code
 * `code`}) for WhatsApp. Links become {@code text (url)} (phones link bare URLs themselves).
 */
final class MarkdownText {
    private static final Pattern FENCE = Pattern.compile("(?m)^[ \\t]*```[^\\n]*\\n?");
    private static final Pattern HEADING = Pattern.compile("(?m)^[ \\t]{0,3}#{1,6}[ \\t]+(.*?)[ \\t]*#*[ \\t]*$");
    private static final Pattern RULE = Pattern.compile("(?m)^[ \\t]{0,3}([-*_])([ \\t]*\\1){2,}[ \\t]*$\\n?");
    private static final Pattern QUOTE = Pattern.compile("(?m)^[ \\t]{0,3}>[ \\t]?");
    private static final Pattern BULLET = Pattern.compile("(?m)^([ \\t]*)[*+][ \\t]+");
    private static final Pattern IMAGE =
            Pattern.compile("!\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern LINK =
            Pattern.compile("\\[([^\\]]+)\\]\\(\\s*<?([^)\\s>]+)>?(?:\\s+\"[^\"]*\")?\\s*\\)");
    private static final Pattern AUTOLINK = Pattern.compile("<((?:https?|mailto):[^>\\s]+)>");
    private static final Pattern BOLD_STARS = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*");
    private static final Pattern BOLD_UNDERSCORES = Pattern.compile("(?<![\\w])__(?=\\S)(.+?)(?<=\\S)__(?![\\w])");
    private static final Pattern ITALIC_STAR =
            Pattern.compile("(?<![\\w*])\\*(?=[^\\s*])(.+?)(?<=[^\\s*])\\*(?![\\w*])");
    private static final Pattern ITALIC_UNDERSCORE =
            Pattern.compile("(?<![\\w_])_(?=[^\\s_])(.+?)(?<=[^\\s_])_(?![\\w_])");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
    private static final Pattern CODE = Pattern.compile("`([^`\\n]+)`");
    private static final Pattern ESCAPE = Pattern.compile("\\\\([\\\\`*_{}\\[\\]()#+\\-.!>~|])");
    private static final Pattern BLANK_LINES = Pattern.compile("\\n{3,}");
    private static final char BOLD_MARK = '\u0001';
    private static final Pattern URL = Pattern.compile("(?:https?://|mailto:)[^\\s)]+");
    private static final char ESCAPED_BASE = '\uE000';
    private static final String URL_MARK = "\u0002";
    private static final String URL_END = "\u0003";

    private MarkdownText() {}

    /** Plain text: markers removed, links as {@code text (url)}, bullets as {@code - }. */
    static String toPlain(String markdown) {
        String t = hideEscapes(normalizeNewlines(markdown));
        t = FENCE.matcher(t).replaceAll("");
        t = RULE.matcher(t).replaceAll("");
        t = HEADING.matcher(t).replaceAll("$1");
        t = QUOTE.matcher(t).replaceAll("");
        t = BULLET.matcher(t).replaceAll("$1- ");
        t = links(t);
        java.util.List<String> urls = new java.util.ArrayList<>();
        t = hideUrls(t, urls);
        t = CODE.matcher(t).replaceAll("$1");
        t = BOLD_STARS.matcher(t).replaceAll("$1");
        t = BOLD_UNDERSCORES.matcher(t).replaceAll("$1");
        t = ITALIC_STAR.matcher(t).replaceAll("$1");
        t = ITALIC_UNDERSCORE.matcher(t).replaceAll("$1");
        t = STRIKE.matcher(t).replaceAll("$1");
        t = showEscapes(showUrls(t, urls));
        return BLANK_LINES.matcher(t).replaceAll("\n\n").strip();
    }

    /** WhatsApp formatting: {@code **b**} → {@code *b*}, {@code *i*} → {@code _i_}, headings bold. */
    static String toWhatsApp(String markdown) {
        String t = hideEscapes(normalizeNewlines(markdown));
        t = RULE.matcher(t).replaceAll("");
        t = HEADING.matcher(t).replaceAll(BOLD_MARK + "$1" + BOLD_MARK);
        t = QUOTE.matcher(t).replaceAll("> ");
        t = BULLET.matcher(t).replaceAll("$1- ");
        t = links(t);
        java.util.List<String> urls = new java.util.ArrayList<>();
        t = hideUrls(t, urls);
        t = BOLD_STARS.matcher(t).replaceAll(BOLD_MARK + "$1" + BOLD_MARK);
        t = BOLD_UNDERSCORES.matcher(t).replaceAll(BOLD_MARK + "$1" + BOLD_MARK);
        t = ITALIC_STAR.matcher(t).replaceAll("_$1_");
        t = STRIKE.matcher(t).replaceAll("~$1~");
        t = t.replace(BOLD_MARK, '*');
        t = showEscapes(showUrls(t, urls));
        return BLANK_LINES.matcher(t).replaceAll("\n\n").strip();
    }

    private static String links(String t) {
        t = IMAGE.matcher(t).replaceAll(m -> Matcher.quoteReplacement(labelled(m.group(1), m.group(2))));
        t = LINK.matcher(t).replaceAll(m -> Matcher.quoteReplacement(labelled(m.group(1), m.group(2))));
        return AUTOLINK.matcher(t).replaceAll("$1");
    }

    /** Replaces each URL by a marker so that emphasis rules never touch its {@code _} or {@code *}. */
    private static String hideUrls(String t, java.util.List<String> urls) {
        return URL.matcher(t).replaceAll(m -> {
            urls.add(m.group());
            return Matcher.quoteReplacement(URL_MARK + (urls.size() - 1) + URL_END);
        });
    }

    private static String showUrls(String t, java.util.List<String> urls) {
        for (int i = urls.size() - 1; i >= 0; i--) {
            t = t.replace(URL_MARK + i + URL_END, urls.get(i));
        }
        return t;
    }

    /** A backslash-escaped character becomes a private-use stand-in that no rule matches. */
    private static String hideEscapes(String t) {
        return ESCAPE.matcher(t)
                .replaceAll(m -> Matcher.quoteReplacement(
                        String.valueOf((char) (ESCAPED_BASE + m.group(1).charAt(0)))));
    }

    private static String showEscapes(String t) {
        StringBuilder sb = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            sb.append(c >= ESCAPED_BASE && c < ESCAPED_BASE + 128 ? (char) (c - ESCAPED_BASE) : c);
        }
        return sb.toString();
    }

    private static String labelled(String label, String url) {
        String l = label.strip();
        String bare = url.replaceFirst("^(https?://|mailto:)", "");
        if (l.isEmpty() || l.equals(url) || l.equals(bare)) {
            return url;
        }
        return l + " (" + url + ")";
    }

    private static String normalizeNewlines(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }
}
