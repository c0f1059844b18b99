package dev.opencx.channel.whatsapp.internal;

import dev.opencx.knowledge.Citation;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Markdown as OpenCX writes it, turned into WhatsApp's own formatting: {@code **bold**} becomes
 * {@code *bold*}, {@code *italic*} {@code _italic_}, {@code ~~strike~~} {@code ~strike~}, headings
 * bold lines, links {@code text (url)}, {@code * item} lists {@code - item}. Code spans and fenced
 * blocks are kept as they are (WhatsApp shows {@code `code`} and {@code ```mono```}); a fence's
 * language tag is dropped.
 */
public final class WhatsAppText {
    private static final char BOLD = '\u0001';
    private static final char CODE = '\u0002';
    private static final Pattern FENCE = Pattern.compile("```[A-Za-z0-9_+-]*\\n?(.*?)```", Pattern.DOTALL);
    private static final Pattern INLINE_CODE = Pattern.compile("`[^`\\n]+`");
    private static final Pattern IMAGE = Pattern.compile("!\\[([^\\]]*)]\\(([^)\\s]+)\\)");
    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}[ \\t]+(.+?)[ \\t]*#*[ \\t]*$");
    private static final Pattern STAR_ITEM = Pattern.compile("(?m)^([ \\t]*)[*+][ \\t]+");
    private static final Pattern STRONG_EMPHASIS = Pattern.compile("\\*\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*\\*");
    private static final Pattern STRONG_STARS = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*");
    private static final Pattern STRONG_UNDERSCORES = Pattern.compile("(?<![\\w_])__(?=\\S)(.+?)(?<=\\S)__(?![\\w_])");
    private static final Pattern EMPHASIS =
            Pattern.compile("(?<![*\\w])\\*(?=[^\\s*])([^*\\n]+?)(?<=[^\\s*])\\*(?![*\\w])");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");

    private WhatsAppText() {}

    /** {@code markdown} in WhatsApp's formatting. */
    public static String fromMarkdown(String markdown) {
        List<String> code = new ArrayList<>();
        String s = markdown.replace("\r\n", "\n");
        s = protect(FENCE, s, code, m -> "```" + m.group(1).replaceAll("\\n$", "") + "```");
        s = protect(INLINE_CODE, s, code, Matcher::group);
        s = replace(IMAGE, s, m -> m.group(2));
        s = replace(LINK, s, m -> m.group(1).equals(m.group(2)) ? m.group(2) : m.group(1) + " (" + m.group(2) + ")");
        s = replace(HEADING, s, m -> BOLD + m.group(1) + BOLD);
        s = replace(STAR_ITEM, s, m -> m.group(1) + "- ");
        s = replace(STRONG_EMPHASIS, s, m -> BOLD + "_" + m.group(1) + "_" + BOLD);
        s = replace(STRONG_STARS, s, m -> BOLD + m.group(1) + BOLD);
        s = replace(STRONG_UNDERSCORES, s, m -> BOLD + m.group(1) + BOLD);
        s = replace(EMPHASIS, s, m -> "_" + m.group(1) + "_");
        s = replace(STRIKE, s, m -> "~" + m.group(1) + "~");
        s = s.replace(BOLD, '*');
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == CODE) {
                int end = s.indexOf(CODE, i + 1);
                out.append(code.get(Integer.parseInt(s.substring(i + 1, end))));
                i = end;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The sources of an answer as lines to append ({@code - Title: url}), leaving out those whose
     * URL the text already shows; empty when there are none.
     */
    public static String sources(String text, List<Citation> sources) {
        StringBuilder out = new StringBuilder();
        List<String> seen = new ArrayList<>();
        for (Citation c : sources) {
            String url = c.url() == null ? "" : c.url().strip();
            if (url.isEmpty() || text.contains(url) || seen.contains(url)) {
                continue;
            }
            seen.add(url);
            String title = c.title() == null ? "" : c.title().strip();
            out.append(out.length() == 0 ? "" : "\n").append("- ").append(title.isEmpty() ? url : title + ": " + url);
        }
        return out.toString();
    }

    private static String protect(
            Pattern p, String s, List<String> store, java.util.function.Function<Matcher, String> keep) {
        return replace(p, s, m -> {
            store.add(keep.apply(m));
            return CODE + Integer.toString(store.size() - 1) + CODE;
        });
    }

    private static String replace(Pattern p, String s, java.util.function.Function<Matcher, String> with) {
        Matcher m = p.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(with.apply(m)));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
