package dev.opencx.channel.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts between the markdown OpenCX writes (AI answers, agent replies) and Slack's own markup,
 * <a href="https://api.slack.com/reference/surfaces/formatting">mrkdwn</a>, and splits a long message
 * where Slack will show it well. {@link SlackChannel} uses it for every message; it is public so an
 * application can format its own Slack texts the same way.
 *
 * <pre>{@code
 * SlackMrkdwn.fromMarkdown("**Refunds** take [5 days](https://shop.example/refunds) & more");
 * // "*Refunds* take <https://shop.example/refunds|5 days> &amp; more"
 * SlackMrkdwn.toPlainText("Hi <@U0BOT>, see <https://x.example|this> &amp; that");
 * // "Hi @U0BOT, see this (https://x.example) & that"
 * }</pre>
 *
 * <p>What {@link #fromMarkdown} converts: {@code **bold**}/{@code __bold__} to {@code *bold*},
 * {@code *italic*}/{@code _italic_} to {@code _italic_}, {@code ~~strike~~} to {@code ~strike~},
 * inline code and fenced code blocks (the language tag is dropped: mrkdwn has no highlighting),
 * headings to a bold line, {@code -}/{@code *}/{@code +} list items to {@code •} (nested items
 * indented, task boxes to ☐/☑), numbered items kept, block quotes, tables as a monospaced block,
 * links and images to {@code <url|text>} (only {@code http}, {@code https} and {@code mailto}
 * links; any other target keeps its text only). Everything else is text: {@code &}, {@code <} and
 * {@code >} are escaped as Slack requires, so a text can never mention {@code @channel} or a user,
 * nor forge a link. Pure functions, thread-safe.
 */
public final class SlackMrkdwn {
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,}|~{3,})\\s*([^`\\s]*)\\s*$");
    private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");
    private static final Pattern RULE = Pattern.compile("^ {0,3}([-*_])(?:\\s*\\1){2,}\\s*$");
    private static final Pattern BULLET = Pattern.compile("^(\\s*)[-*+]\\s+(.*)$");
    private static final Pattern ORDERED = Pattern.compile("^(\\s*)(\\d{1,9})[.)]\\s+(.*)$");
    private static final Pattern QUOTE = Pattern.compile("^ {0,3}>\\s?(.*)$");
    private static final Pattern TABLE_ROW = Pattern.compile("^\\s*\\|.*\\|\\s*$");
    private static final Pattern TABLE_RULE =
            Pattern.compile("^\\s*\\|?\\s*:?-{3,}:?\\s*(\\|\\s*:?-{3,}:?\\s*)*\\|?\\s*$");
    private static final Pattern TASK = Pattern.compile("^\\[([ xX])]\\s+(.*)$");
    private static final Pattern AUTOLINK =
            Pattern.compile("<((?:https?://|mailto:)[^\\s<>]+|[^\\s<>@]+@[^\\s<>@]+\\.[^\\s<>@]+)>");
    private static final Pattern BOLD_ITALIC = Pattern.compile("\\*\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*\\*");
    private static final Pattern BOLD_STARS = Pattern.compile("\\*\\*(?=\\S)(.+?)(?<=\\S)\\*\\*");
    private static final Pattern BOLD_UNDERSCORES =
            Pattern.compile("(?<![\\p{L}\\p{N}_])__(?=\\S)(.+?)(?<=\\S)__(?![\\p{L}\\p{N}_])");
    private static final Pattern ITALIC_STAR =
            Pattern.compile("(?<![\\p{L}\\p{N}*\\\\])\\*(?=[^\\s*])(.+?)(?<=[^\\s*\\\\])\\*(?![\\p{L}\\p{N}*])");
    private static final Pattern STRIKE = Pattern.compile("~~(?=\\S)(.+?)(?<=\\S)~~");
    private static final Pattern SLACK_TOKEN = Pattern.compile("<([^<>\\n]*)>");
    private static final char BOLD = '\uE000';
    private static final char TOKEN_OPEN = '\uE001';
    private static final char TOKEN_CLOSE = '\uE002';
    private static final String DIVIDER = "──────────";

    private SlackMrkdwn() {}

    /**
     * Slack mrkdwn for a markdown text; the result may be longer than the input (escaping).
     *
     * @param markdown never null; an empty text gives an empty result
     */
    public static String fromMarkdown(String markdown) {
        Objects.requireNonNull(markdown, "markdown");
        String[] lines = markdown.replace("\r\n", "\n")
                .replace('\r', '\n')
                .replaceAll("[\uE000-\uE002]", "") // our own markers: never taken from the input
                .split("\n", -1);
        List<String> out = new ArrayList<>(lines.length);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher fence = FENCE.matcher(line);
            if (fence.matches()) {
                String marker = fence.group(1);
                List<String> code = new ArrayList<>();
                int j = i + 1;
                while (j < lines.length && !closes(lines[j], marker)) {
                    code.add(escape(lines[j]));
                    j++;
                }
                out.add("```\n" + String.join("\n", code) + "\n```");
                i = j; // the closing fence (or the end of the text)
                continue;
            }
            if (TABLE_ROW.matcher(line).matches()
                    && i + 1 < lines.length
                    && TABLE_RULE.matcher(lines[i + 1]).matches()) {
                List<String> table = new ArrayList<>();
                int j = i;
                while (j < lines.length && TABLE_ROW.matcher(lines[j]).matches()) {
                    table.add(escape(lines[j].strip()));
                    j++;
                }
                out.add("```\n" + String.join("\n", table) + "\n```");
                i = j - 1;
                continue;
            }
            out.add(block(line));
        }
        return String.join("\n", out).strip();
    }

    private static boolean closes(String line, String marker) {
        String s = line.strip();
        return s.length() >= marker.length() && s.chars().allMatch(c -> c == marker.charAt(0)) && s.startsWith(marker);
    }

    /** One line outside code: a heading, a rule, a list item, a quote or a paragraph line. */
    private static String block(String line) {
        Matcher m = HEADING.matcher(line);
        if (m.matches()) {
            String text = m.group(1).replace("**", "").replace("__", "");
            return text.isBlank() ? "" : "*" + inline(text) + "*";
        }
        if (RULE.matcher(line).matches()) {
            return DIVIDER;
        }
        m = BULLET.matcher(line);
        if (m.matches()) {
            int level = indentLevel(m.group(1));
            String item = m.group(2);
            Matcher task = TASK.matcher(item);
            String mark = level == 0 ? "•" : level == 1 ? "◦" : "▪";
            if (task.matches()) {
                mark = task.group(1).isBlank() ? "☐" : "☑";
                item = task.group(2);
            }
            return "    ".repeat(level) + mark + " " + inline(item);
        }
        m = ORDERED.matcher(line);
        if (m.matches()) {
            return "    ".repeat(indentLevel(m.group(1))) + m.group(2) + ". " + inline(m.group(3));
        }
        m = QUOTE.matcher(line);
        if (m.matches()) {
            // the marker stays a literal '>' (it is formatting); the quoted text is escaped
            String rest = m.group(1);
            Matcher nested = QUOTE.matcher(rest);
            while (nested.matches()) {
                rest = nested.group(1);
                nested = QUOTE.matcher(rest);
            }
            return "> " + inline(rest);
        }
        return inline(line.stripTrailing());
    }

    private static int indentLevel(String spaces) {
        int width = 0;
        for (char c : spaces.toCharArray()) {
            width += c == '\t' ? 4 : 1;
        }
        return Math.min(width / 2, 3);
    }

    /** Inline markup of one line: code spans, links, emphasis; the rest escaped. */
    private static String inline(String text) {
        List<String> tokens = new ArrayList<>();
        StringBuilder plain = new StringBuilder();
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < n && isPunctuation(text.charAt(i + 1))) {
                // an escaped character is a literal one: keep it out of the emphasis patterns
                plain.append(token(tokens, escape(String.valueOf(text.charAt(i + 1)))));
                i += 2;
                continue;
            }
            if (c == '`') {
                int run = run(text, i, '`');
                int close = text.indexOf("`".repeat(run), i + run);
                while (close >= 0 && run(text, close, '`') != run) {
                    close = text.indexOf("`".repeat(run), close + run(text, close, '`'));
                }
                if (close >= 0) {
                    String code = text.substring(i + run, close).strip();
                    plain.append(token(
                            tokens, code.isEmpty() ? "" : "`" + escape(code).replace('`', '\'') + "`"));
                    i = close + run;
                    continue;
                }
                plain.append(text, i, i + run);
                i += run;
                continue;
            }
            if (c == '[' || (c == '!' && i + 1 < n && text.charAt(i + 1) == '[')) {
                int end = link(text, c == '!' ? i + 1 : i, tokens, plain, c == '!');
                if (end > 0) {
                    i = end;
                    continue;
                }
            }
            if (c == '<') {
                Matcher auto = AUTOLINK.matcher(text).region(i, n);
                if (auto.lookingAt()) {
                    String target = auto.group(1);
                    String url = target.contains("://") || target.startsWith("mailto:") ? target : "mailto:" + target;
                    String label = target.startsWith("mailto:") ? target.substring(7) : target;
                    plain.append(token(
                            tokens,
                            url.equals(label)
                                    ? "<" + escapeUrl(url) + ">"
                                    : "<" + escapeUrl(url) + "|" + escape(label) + ">"));
                    i = auto.end();
                    continue;
                }
            }
            plain.append(c);
            i++;
        }
        String s = escape(plain.toString());
        s = BOLD_ITALIC.matcher(s).replaceAll(r -> BOLD + "_" + quoteReplacement(r.group(1)) + "_" + BOLD);
        s = BOLD_STARS.matcher(s).replaceAll(r -> BOLD + quoteReplacement(r.group(1)) + BOLD);
        s = BOLD_UNDERSCORES.matcher(s).replaceAll(r -> BOLD + quoteReplacement(r.group(1)) + BOLD);
        s = ITALIC_STAR.matcher(s).replaceAll(r -> "_" + quoteReplacement(r.group(1)) + "_");
        s = STRIKE.matcher(s).replaceAll(r -> "~" + quoteReplacement(r.group(1)) + "~");
        return restore(s, tokens);
    }

    /**
     * Reads {@code [text](url)} at {@code open} (the '['); appends the link's token and returns the
     * index after it, or -1 when it is not a link.
     */
    private static int link(String text, int open, List<String> tokens, StringBuilder plain, boolean image) {
        int depth = 0;
        int close = -1;
        for (int j = open; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '\\') {
                j++;
            } else if (c == '[') {
                depth++;
            } else if (c == ']' && --depth == 0) {
                close = j;
                break;
            }
        }
        if (close < 0 || close + 1 >= text.length() || text.charAt(close + 1) != '(') {
            return -1;
        }
        int paren = 0;
        int end = -1;
        for (int j = close + 1; j < text.length(); j++) {
            char c = text.charAt(j);
            if (c == '(') {
                paren++;
            } else if (c == ')' && --paren == 0) {
                end = j;
                break;
            }
        }
        if (end < 0) {
            return -1;
        }
        String label = text.substring(open + 1, close);
        String target = text.substring(close + 2, end).strip();
        int space = target.indexOf(' ');
        if (space > 0) {
            target = target.substring(0, space); // drop a "title"
        }
        if (target.startsWith("<") && target.endsWith(">")) {
            target = target.substring(1, target.length() - 1);
        }
        String shown = inline(label).replace(String.valueOf(BOLD), "*");
        String lower = target.toLowerCase(Locale.ROOT);
        boolean linkable = lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("mailto:");
        String rendered;
        if (!linkable) {
            rendered = shown.isBlank() ? "" : shown;
        } else if (shown.isBlank()) {
            rendered = "<" + escapeUrl(target) + ">";
        } else {
            rendered = "<" + escapeUrl(target) + "|" + shown.replace("|", "¦") + ">";
        }
        if (image && shown.isBlank() && !linkable) {
            rendered = "";
        }
        plain.append(token(tokens, rendered));
        return end + 1;
    }

    private static String token(List<String> tokens, String rendered) {
        tokens.add(rendered);
        return TOKEN_OPEN + Integer.toString(tokens.size() - 1) + TOKEN_CLOSE;
    }

    private static String restore(String s, List<String> tokens) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == TOKEN_OPEN) {
                int close = s.indexOf(TOKEN_CLOSE, i);
                out.append(tokens.get(Integer.parseInt(s.substring(i + 1, close))));
                i = close;
            } else if (c == BOLD) {
                out.append('*');
            } else {
                out.append(c);
            }
        }
        return out.toString().replace(BOLD, '*');
    }

    private static String quoteReplacement(String s) {
        return Matcher.quoteReplacement(s);
    }

    private static int run(String s, int at, char c) {
        int j = at;
        while (j < s.length() && s.charAt(j) == c) {
            j++;
        }
        return j - at;
    }

    private static boolean isPunctuation(char c) {
        return "\\`*_{}[]()#+-.!<>~|".indexOf(c) >= 0;
    }

    /**
     * {@code &}, {@code <} and {@code >} as Slack wants them in a message text: {@code &amp;},
     * {@code &lt;}, {@code &gt;}. Nothing else changes.
     */
    public static String escape(String text) {
        Objects.requireNonNull(text, "text");
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String r = c == '&' ? "&amp;" : c == '<' ? "&lt;" : c == '>' ? "&gt;" : null;
            if (r != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (r != null) {
                    sb.append(r);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    private static String escapeUrl(String url) {
        return escape(url.replace("|", "%7C").replace(" ", "%20"));
    }

    /**
     * A Slack message text as a person reads it, for the AI and the agents: {@code <@U123>} becomes
     * {@code @U123} (or {@code @name} when Slack gave one), {@code <#C123|general>} becomes {@code
     * #general}, {@code <!here>} becomes {@code @here}, {@code <https://x.example|label>} becomes
     * {@code label (https://x.example)}, and {@code &amp;}, {@code &lt;}, {@code &gt;} are unescaped.
     * Emphasis markers are kept.
     */
    public static String toPlainText(String mrkdwn) {
        Objects.requireNonNull(mrkdwn, "mrkdwn");
        Matcher m = SLACK_TOKEN.matcher(mrkdwn);
        StringBuilder out = new StringBuilder(mrkdwn.length());
        int last = 0;
        while (m.find()) {
            out.append(unescape(mrkdwn.substring(last, m.start())));
            out.append(plainToken(m.group(1)));
            last = m.end();
        }
        out.append(unescape(mrkdwn.substring(last)));
        return out.toString();
    }

    private static String plainToken(String inner) {
        int bar = inner.indexOf('|');
        String target = bar < 0 ? inner : inner.substring(0, bar);
        String label = bar < 0 ? "" : unescape(inner.substring(bar + 1));
        if (target.startsWith("@")) {
            return label.isEmpty() ? target : label.startsWith("@") ? label : "@" + label;
        }
        if (target.startsWith("#")) {
            return label.isEmpty() ? target : "#" + label;
        }
        if (target.startsWith("!")) {
            if (!label.isEmpty()) {
                return label;
            }
            String special = target.substring(1);
            int caret = special.indexOf('^');
            return "@" + (caret < 0 ? special : special.substring(0, caret));
        }
        String url = unescape(target);
        if (url.startsWith("mailto:")) {
            return label.isEmpty() ? url.substring(7) : label;
        }
        if (label.isEmpty() || label.equals(url)) {
            return url;
        }
        return label + " (" + url + ")";
    }

    private static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /**
     * Splits a mrkdwn text into messages of at most {@code max} characters, cutting between
     * paragraphs, then lines, then sentences, then words; never inside a {@code <…>} link or
     * mention, nor inside an {@code &amp;}-style escape. A code block cut in two is closed at the end
     * of one part and opened again in the next, so both render as code.
     *
     * @param max at least 16
     * @return the parts, trimmed; none for a blank text
     */
    public static List<String> split(String mrkdwn, int max) {
        Objects.requireNonNull(mrkdwn, "mrkdwn");
        if (max < 16) {
            throw new IllegalArgumentException("max must be at least 16, was " + max);
        }
        List<String> parts = new ArrayList<>();
        String rest = mrkdwn.strip();
        while (!rest.isEmpty()) {
            if (rest.length() <= max) {
                parts.add(rest);
                break;
            }
            int budget = max - 4; // room to close a code block
            int cut = cutPoint(rest, budget);
            String head = rest.substring(0, cut).stripTrailing();
            String tail = rest.substring(cut).strip();
            if (count(head, "```") % 2 == 1) {
                head = head + "\n```";
                tail = tail.isEmpty() ? "" : "```\n" + tail;
            }
            if (!head.isBlank() && !head.equals("```\n```")) {
                parts.add(head);
            }
            rest = tail;
        }
        return parts;
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + what.length())) {
            n++;
        }
        return n;
    }

    /** Where to cut {@code s} (longer than {@code budget}) so the head has at most budget chars. */
    private static int cutPoint(String s, int budget) {
        boolean[] unsafe = new boolean[budget + 1]; // unsafe[i]: a cut before index i splits a token
        int tokenStart = -1;
        int entityStart = -1;
        for (int i = 0; i <= budget; i++) {
            char c = s.charAt(i);
            if (tokenStart >= 0 || entityStart >= 0) {
                unsafe[i] = true;
            }
            if (c == '<') {
                tokenStart = i;
            } else if (c == '>' && tokenStart >= 0) {
                tokenStart = -1;
            } else if (c == '\n') {
                tokenStart = -1; // tokens never span lines
            }
            if (c == '&') {
                entityStart = i;
            } else if (c == ';' || (entityStart >= 0 && i - entityStart > 6)) {
                entityStart = -1;
            }
            if (Character.isLowSurrogate(c)) {
                unsafe[i] = true;
            }
        }
        int floor = budget / 3;
        int p = lastSafe(s, budget, floor, unsafe, "\n\n");
        if (p < 0) {
            p = lastSafe(s, budget, floor, unsafe, "\n");
        }
        if (p < 0) {
            for (int i = budget; i > floor; i--) {
                char prev = s.charAt(i - 1);
                if (!unsafe[i]
                        && Character.isWhitespace(s.charAt(i))
                        && (prev == '.' || prev == '!' || prev == '?' || prev == '…')) {
                    p = i;
                    break;
                }
            }
        }
        if (p < 0) {
            for (int i = budget; i > 0; i--) {
                if (!unsafe[i] && Character.isWhitespace(s.charAt(i))) {
                    p = i;
                    break;
                }
            }
        }
        if (p < 0) {
            int q = budget;
            while (q > 0 && unsafe[q]) {
                q--;
            }
            p = q > 0 ? q : budget; // a single token longer than a message is cut where it must be
        }
        return p;
    }

    private static int lastSafe(String s, int budget, int floor, boolean[] unsafe, String sep) {
        for (int i = s.lastIndexOf(sep, budget - sep.length()); i > floor; i = s.lastIndexOf(sep, i - 1)) {
            if (!unsafe[i]) {
                return i;
            }
        }
        return -1;
    }
}
