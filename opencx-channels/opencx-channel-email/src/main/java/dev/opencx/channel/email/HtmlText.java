package dev.opencx.channel.email;

import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * Turns an HTML mail body into readable plain text with jsoup: blocks and {@code <br>} become line
 * breaks, list items get a dash, a link whose text differs from its address keeps the address in
 * parentheses, scripts and styles are dropped; and turns our plain-text replies into a simple,
 * escaped HTML part.
 */
final class HtmlText {
    private static final Set<String> BLOCKS = Set.of(
            "p",
            "div",
            "section",
            "article",
            "header",
            "footer",
            "blockquote",
            "pre",
            "table",
            "tr",
            "ul",
            "ol",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "address",
            "center",
            "dl",
            "dt",
            "dd",
            "form",
            "fieldset");

    private HtmlText() {}

    /** The text of an HTML document or fragment; never null. */
    static String toText(String html) {
        if (html == null || html.isBlank()) {
            return "";
        }
        Document doc = Jsoup.parse(html);
        doc.select("script, style, head, title, noscript, template").remove();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(
                new NodeVisitor() {
                    @Override
                    public void head(Node node, int depth) {
                        if (node instanceof TextNode t) {
                            String text = inPre(t) ? t.getWholeText() : t.text();
                            if (!text.isEmpty()) {
                                if (out.length() > 0 && endsWithSpace(out) && text.startsWith(" ")) {
                                    text = text.substring(1);
                                }
                                out.append(text);
                            }
                        } else if (node instanceof Element e) {
                            String tag = e.normalName();
                            if (tag.equals("br")) {
                                out.append('\n');
                            } else if (tag.equals("li")) {
                                newLine(out);
                                out.append("- ");
                            } else if (BLOCKS.contains(tag)) {
                                newLine(out);
                            } else if (tag.equals("td") || tag.equals("th")) {
                                if (out.length() > 0 && !endsWithSpace(out)) {
                                    out.append(' ');
                                }
                            }
                        }
                    }

                    @Override
                    public void tail(Node node, int depth) {
                        if (node instanceof Element e) {
                            String tag = e.normalName();
                            if (tag.equals("a")) {
                                String href = e.attr("href").strip();
                                String text = e.text().strip();
                                if ((href.startsWith("http:") || href.startsWith("https:"))
                                        && !href.equals(text)
                                        && !text.isEmpty()) {
                                    out.append(" (").append(href).append(')');
                                }
                            } else if (tag.equals("p") || tag.startsWith("h") && tag.length() == 2) {
                                newLine(out);
                                out.append('\n');
                            } else if (BLOCKS.contains(tag) || tag.equals("li")) {
                                newLine(out);
                            }
                        }
                    }
                },
                doc.body());
        return tidy(out.toString());
    }

    /** Our plain text as a minimal HTML document: escaped, paragraphs and line breaks kept, links clickable. */
    static String toHtml(String text) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><body>");
        for (String para : text.strip().split("\\n\\s*\\n")) {
            b.append("<p>");
            String[] lines = para.split("\\n");
            for (int i = 0; i < lines.length; i++) {
                if (i > 0) {
                    b.append("<br>");
                }
                b.append(linkify(escape(lines[i])));
            }
            b.append("</p>");
        }
        return b.append("</body></html>").toString();
    }

    private static String linkify(String escaped) {
        return escaped.replaceAll("(https?://[^\\s<>\"]+[^\\s<>\".,;:!?)\\]])", "<a href=\"$1\">$1</a>");
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static boolean inPre(TextNode t) {
        for (Node p = t.parent(); p != null; p = p.parent()) {
            if (p instanceof Element e && e.normalName().equals("pre")) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWithSpace(StringBuilder b) {
        char c = b.charAt(b.length() - 1);
        return c == ' ' || c == '\n';
    }

    private static void newLine(StringBuilder b) {
        if (b.length() > 0 && b.charAt(b.length() - 1) != '\n') {
            b.append('\n');
        }
    }

    /** Trailing spaces off each line, at most one empty line in a row, no leading or trailing blank lines. */
    static String tidy(String text) {
        String[] lines = text.replace("\u00a0", " ").split("\n", -1);
        StringBuilder b = new StringBuilder();
        int blank = 0;
        for (String line : lines) {
            String l = line.stripTrailing();
            if (l.isBlank()) {
                blank++;
                continue;
            }
            if (b.length() > 0) {
                b.append(blank > 0 ? "\n\n" : "\n");
            }
            blank = 0;
            b.append(l);
        }
        return b.toString();
    }
}
