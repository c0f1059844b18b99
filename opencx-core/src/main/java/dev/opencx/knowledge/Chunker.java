package dev.opencx.knowledge;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts a {@link KnowledgeDocument} into {@link Passage}s along its structure.
 *
 * <p>Markdown is cut at headings ({@code #} to {@code ######}), HTML at {@code <h1>}..{@code <h6>}
 * (tags are stripped, common entities decoded), plain text at blank lines. Under one heading,
 * consecutive paragraphs are grouped until the group reaches the target size; a paragraph longer
 * than the maximum is split at sentence boundaries. Each passage carries its heading path, joined
 * with {@value #HEADING_SEPARATOR} ({@code "Returns › Refund timing"}), and its id is {@code
 * <documentId>#<n>} with {@code n} counting from 0. A document always yields at least one passage
 * (with empty text when its body is empty), so that its title stays findable.
 *
 * <pre>{@code
 * List<Passage> passages = Chunker.defaults().chunk(document);
 * }</pre>
 *
 * <p>Instances are immutable and thread-safe. No argument may be null.
 */
public final class Chunker {

    /** Separator between the levels of a passage's heading path. */
    public static final String HEADING_SEPARATOR = " › ";

    /** Default target size of a passage, in characters. */
    public static final int DEFAULT_TARGET_CHARS = 800;

    /** Default maximum size of a passage, in characters. */
    public static final int DEFAULT_MAX_CHARS = 1200;

    private static final Chunker DEFAULTS = new Chunker(DEFAULT_TARGET_CHARS, DEFAULT_MAX_CHARS);

    private static final Pattern MD_HEADING = Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
    private static final Pattern MD_FENCE = Pattern.compile("^ {0,3}(```|~~~)");
    private static final Pattern MD_SETEXT = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
    private static final Pattern MD_IMAGE = Pattern.compile("!\\[([^\\]]*)]\\([^)]*\\)");
    private static final Pattern MD_LINK = Pattern.compile("\\[([^\\]]+)]\\([^)]*\\)");
    private static final Pattern MD_EMPHASIS = Pattern.compile("(\\*\\*|__|~~|`)");
    private static final Pattern MD_LIST_OR_QUOTE = Pattern.compile("^\\s{0,3}(?:>\\s?)+");
    private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?。！？])\\s+");
    private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\x0B\\f\\u00A0]+");

    private final int targetChars;
    private final int maxChars;

    private Chunker(int targetChars, int maxChars) {
        this.targetChars = targetChars;
        this.maxChars = maxChars;
    }

    /** A chunker with a target of {@value #DEFAULT_TARGET_CHARS} and a maximum of {@value #DEFAULT_MAX_CHARS}. */
    public static Chunker defaults() {
        return DEFAULTS;
    }

    /**
     * A chunker with custom sizes.
     *
     * @param targetChars paragraphs are grouped until a passage reaches about this size (at least 50)
     * @param maxChars no passage exceeds this size unless a single sentence does (at least {@code
     *     targetChars})
     * @throws IllegalArgumentException when a size is out of range
     */
    public static Chunker of(int targetChars, int maxChars) {
        if (targetChars < 50) {
            throw new IllegalArgumentException("targetChars must be at least 50, was " + targetChars);
        }
        if (maxChars < targetChars) {
            throw new IllegalArgumentException(
                    "maxChars must be at least targetChars (" + targetChars + "), was " + maxChars);
        }
        return new Chunker(targetChars, maxChars);
    }

    public int targetChars() {
        return targetChars;
    }

    public int maxChars() {
        return maxChars;
    }

    /**
     * Cuts a document into passages, in document order.
     *
     * @param document the document, not null
     * @return at least one passage, never null
     */
    public List<Passage> chunk(KnowledgeDocument document) {
        Objects.requireNonNull(document, "document");
        List<Block> blocks =
                switch (document.format()) {
                    case MARKDOWN -> markdownBlocks(document.body());
                    case HTML -> htmlBlocks(document.body());
                    case PLAIN -> plainBlocks(document.body());
                };
        List<Passage> out = new ArrayList<>();
        String[] path = new String[7];
        List<String> pending = new ArrayList<>();
        for (Block block : blocks) {
            if (block.level > 0) {
                flush(document, headingPath(path), pending, out);
                path[block.level] = block.text;
                for (int i = block.level + 1; i < path.length; i++) {
                    path[i] = null;
                }
            } else {
                pending.add(block.text);
            }
        }
        flush(document, headingPath(path), pending, out);
        if (out.isEmpty()) {
            out.add(passage(document, 0, headingPath(path), ""));
        }
        return List.copyOf(out);
    }

    private void flush(KnowledgeDocument doc, String heading, List<String> paragraphs, List<Passage> out) {
        if (paragraphs.isEmpty()) {
            return;
        }
        List<String> pieces = new ArrayList<>();
        for (String p : paragraphs) {
            if (p.length() <= maxChars) {
                pieces.add(p);
            } else {
                pieces.addAll(splitLong(p));
            }
        }
        paragraphs.clear();
        StringBuilder current = new StringBuilder();
        for (String piece : pieces) {
            if (current.length() > 0 && current.length() + 2 + piece.length() > maxChars
                    || current.length() >= targetChars) {
                out.add(passage(doc, out.size(), heading, current.toString()));
                current.setLength(0);
            }
            if (current.length() > 0) {
                current.append("\n\n");
            }
            current.append(piece);
        }
        if (current.length() > 0) {
            out.add(passage(doc, out.size(), heading, current.toString()));
        }
    }

    private List<String> splitLong(String paragraph) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String sentence : SENTENCE_END.split(paragraph)) {
            if (current.length() > 0 && current.length() + 1 + sentence.length() > targetChars) {
                out.add(current.toString());
                current.setLength(0);
            }
            // a single sentence longer than the maximum is cut hard, at a space when possible
            while (sentence.length() > maxChars) {
                int cut = sentence.lastIndexOf(' ', maxChars);
                cut = cut < maxChars / 2 ? maxChars : cut;
                if (current.length() > 0) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                out.add(sentence.substring(0, cut).strip());
                sentence = sentence.substring(cut).strip();
            }
            if (current.length() > 0) {
                current.append(' ');
            }
            current.append(sentence);
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    private static Passage passage(KnowledgeDocument doc, int n, String heading, String text) {
        return new Passage(doc.id() + "#" + n, doc.id(), doc.title(), heading, text, doc.url(), doc.locale());
    }

    private static String headingPath(String[] path) {
        StringBuilder sb = new StringBuilder();
        for (String h : path) {
            if (h != null && !h.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append(HEADING_SEPARATOR);
                }
                sb.append(h);
            }
        }
        return sb.toString();
    }

    /** A heading (level 1..6) or a paragraph (level 0), as clean plain text. */
    private record Block(int level, String text) {}

    // ---------------------------------------------------------------- plain text

    private static List<Block> plainBlocks(String body) {
        List<Block> out = new ArrayList<>();
        for (String para : body.replace("\r\n", "\n").replace('\r', '\n').split("\\n[ \\t]*\\n")) {
            String text = normalize(para);
            if (!text.isEmpty()) {
                out.add(new Block(0, text));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- markdown

    private static List<Block> markdownBlocks(String body) {
        List<Block> out = new ArrayList<>();
        String[] lines = body.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
        StringBuilder para = new StringBuilder();
        String fence = null;
        for (String line : lines) {
            if (fence != null) {
                para.append(line).append('\n');
                if (line.strip().startsWith(fence)) {
                    fence = null;
                }
                continue;
            }
            Matcher fm = MD_FENCE.matcher(line);
            if (fm.find()) {
                fence = fm.group(1);
                para.append(line).append('\n');
                continue;
            }
            Matcher hm = MD_HEADING.matcher(line);
            if (hm.matches()) {
                addParagraph(out, para);
                String text = hm.group(2) == null ? "" : inlineMarkdown(hm.group(2));
                out.add(new Block(hm.group(1).length(), text));
                continue;
            }
            if (MD_SETEXT.matcher(line).matches() && para.length() > 0 && para.indexOf("\n") == para.length() - 1) {
                // "Title\n=====" (a one-line paragraph underlined) is a heading
                String text = inlineMarkdown(para.toString());
                para.setLength(0);
                out.add(new Block(line.strip().charAt(0) == '=' ? 1 : 2, text));
                continue;
            }
            if (line.isBlank()) {
                addParagraph(out, para);
            } else {
                para.append(line).append('\n');
            }
        }
        addParagraph(out, para);
        return out;
    }

    private static void addParagraph(List<Block> out, StringBuilder para) {
        if (para.length() == 0) {
            return;
        }
        StringBuilder cleaned = new StringBuilder();
        for (String line : para.toString().split("\n")) {
            if (MD_FENCE.matcher(line).find()) {
                continue;
            }
            String l = MD_LIST_OR_QUOTE.matcher(line).replaceFirst("");
            if (cleaned.length() > 0) {
                cleaned.append('\n');
            }
            cleaned.append(inlineMarkdown(l));
        }
        para.setLength(0);
        String text = normalize(cleaned.toString());
        if (!text.isEmpty()) {
            out.add(new Block(0, text));
        }
    }

    private static String inlineMarkdown(String s) {
        String t = MD_IMAGE.matcher(s).replaceAll("$1");
        t = MD_LINK.matcher(t).replaceAll("$1");
        t = MD_EMPHASIS.matcher(t).replaceAll("");
        return normalize(decodeEntities(t));
    }

    // ---------------------------------------------------------------- HTML

    private static final Pattern HTML_DROP = Pattern.compile(
            "(?is)<!--.*?-->|<(script|style|noscript|template|head)\\b[^>]*>.*?</\\1\\s*>|<!\\[CDATA\\[.*?]]>|<![^>]*>|<\\?[^>]*>");
    private static final Pattern HTML_TAG =
            Pattern.compile("(?s)<(/?)([a-zA-Z][a-zA-Z0-9:-]*)\\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>");
    private static final java.util.Set<String> HTML_BLOCK = java.util.Set.of(
            "p",
            "div",
            "br",
            "li",
            "ul",
            "ol",
            "tr",
            "table",
            "blockquote",
            "pre",
            "section",
            "article",
            "header",
            "footer",
            "aside",
            "nav",
            "main",
            "dl",
            "dt",
            "dd",
            "hr",
            "figure",
            "figcaption",
            "form",
            "details",
            "summary",
            "tbody",
            "thead",
            "caption");
    private static final java.util.Set<String> HTML_INLINE_BREAK = java.util.Set.of("td", "th");

    private static List<Block> htmlBlocks(String body) {
        List<Block> out = new ArrayList<>();
        String html = HTML_DROP.matcher(body).replaceAll(" ");
        Matcher m = HTML_TAG.matcher(html);
        StringBuilder text = new StringBuilder();
        int headingLevel = 0;
        int last = 0;
        while (m.find()) {
            text.append(html, last, m.start());
            last = m.end();
            String name = m.group(2).toLowerCase(Locale.ROOT);
            boolean closing = !m.group(1).isEmpty();
            if (name.length() == 2 && name.charAt(0) == 'h' && name.charAt(1) >= '1' && name.charAt(1) <= '6') {
                if (!closing) {
                    addHtmlText(out, text, headingLevel);
                    headingLevel = name.charAt(1) - '0';
                } else {
                    addHtmlText(out, text, headingLevel);
                    headingLevel = 0;
                }
            } else if (HTML_BLOCK.contains(name)) {
                if (headingLevel > 0) {
                    text.append(' ');
                } else {
                    addHtmlText(out, text, 0);
                }
            } else if (HTML_INLINE_BREAK.contains(name)) {
                text.append(' ');
            }
        }
        text.append(html.substring(last).replace("<", " "));
        addHtmlText(out, text, headingLevel);
        return out;
    }

    private static void addHtmlText(List<Block> out, StringBuilder raw, int level) {
        String text = normalize(decodeEntities(raw.toString()).replace('\n', ' '));
        raw.setLength(0);
        if (level > 0) {
            out.add(new Block(level, text)); // an empty heading still closes the section above
        } else if (!text.isEmpty()) {
            out.add(new Block(0, text));
        }
    }

    private static final Map<String, String> ENTITIES = Map.ofEntries(
            Map.entry("amp", "&"),
            Map.entry("lt", "<"),
            Map.entry("gt", ">"),
            Map.entry("quot", "\""),
            Map.entry("apos", "'"),
            Map.entry("nbsp", " "),
            Map.entry("ndash", "–"),
            Map.entry("mdash", "—"),
            Map.entry("hellip", "…"),
            Map.entry("lsquo", "‘"),
            Map.entry("rsquo", "’"),
            Map.entry("ldquo", "“"),
            Map.entry("rdquo", "”"),
            Map.entry("laquo", "«"),
            Map.entry("raquo", "»"),
            Map.entry("copy", "©"),
            Map.entry("reg", "®"),
            Map.entry("trade", "™"),
            Map.entry("euro", "€"),
            Map.entry("pound", "£"),
            Map.entry("yen", "¥"),
            Map.entry("cent", "¢"),
            Map.entry("deg", "°"),
            Map.entry("times", "×"),
            Map.entry("middot", "·"),
            Map.entry("bull", "•"),
            Map.entry("rarr", "→"),
            Map.entry("larr", "←"),
            Map.entry("shy", ""),
            Map.entry("zwj", ""),
            Map.entry("zwnj", ""));

    private static final Pattern ENTITY =
            Pattern.compile("&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z][a-zA-Z0-9]{1,31});");

    /** Decodes named entities in {@link #ENTITIES} and all numeric references; others stay as they are. */
    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder sb = new StringBuilder(s.length());
        while (m.find()) {
            String e = m.group(1);
            String replacement;
            if (e.charAt(0) == '#') {
                replacement = codePoint(e);
            } else {
                replacement = ENTITIES.get(e);
                if (replacement == null) {
                    replacement = ENTITIES.get(e.toLowerCase(Locale.ROOT));
                }
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(replacement == null ? m.group() : replacement));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    private static String codePoint(String ref) {
        try {
            int cp = ref.charAt(1) == 'x' || ref.charAt(1) == 'X'
                    ? Integer.parseInt(ref.substring(2), 16)
                    : Integer.parseInt(ref.substring(1));
            if (cp == 0xA0) {
                return " ";
            }
            return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : "\uFFFD";
        } catch (NumberFormatException e) {
            return "\uFFFD";
        }
    }

    /** Collapses runs of spaces, trims each line, drops empty lines. */
    private static String normalize(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (String line : s.split("\n")) {
            String l = WHITESPACE.matcher(line).replaceAll(" ").strip();
            if (!l.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(l);
            }
        }
        return sb.toString();
    }
}
