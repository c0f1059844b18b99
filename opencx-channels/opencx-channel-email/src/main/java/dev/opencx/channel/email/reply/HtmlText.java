package dev.opencx.channel.email.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;

/**
 * Readable text from an HTML e-mail part, with the quoted history that mail clients mark in HTML
 * removed.
 *
 * <p>Two kinds of marking are known:
 *
 * <ul>
 *   <li><em>quote containers</em> — Gmail's {@code div.gmail_quote}, Apple Mail's and Thunderbird's
 *       {@code blockquote type="cite"}, {@code div.yahoo_quoted}, ProtonMail's {@code
 *       .protonmail_quote}, blockquotes with a left border: dropped when nothing of the customer's
 *       follows them; otherwise (a reply below or between quotes) rendered as {@code "> "} lines, so
 *       that {@link ReplyExtractor#extract} keeps the customer's answers;
 *   <li><em>history starts</em> — Outlook's {@code #divRplyFwdMsg}, {@code #appendonsend}, the
 *       {@code border-top} box around a "From:/Sent:" header, Outlook for Mac's {@code
 *       #OLK_SRC_BODY_SECTION}, Zimbra's {@code hr#zwchr}, Zoho's {@code .zmail_extra}: they and
 *       everything after them are dropped.
 * </ul>
 *
 * <p>Signatures that clients mark ({@code .gmail_signature}, {@code .moz-signature}, Outlook's {@code
 * #Signature}) get an RFC 3676 {@code "-- "} line above them, so that {@code extract} finds them.
 */
final class HtmlText {

    private static final String QUOTES = String.join(
            ", ",
            "blockquote[type=cite]",
            "div.gmail_quote",
            "blockquote.gmail_quote",
            ".gmail_quote_container",
            "div.yahoo_quoted",
            ".protonmail_quote",
            "blockquote[style*=border-left]");

    private static final String HISTORY = String.join(
            ", ",
            "#divRplyFwdMsg",
            "#x_divRplyFwdMsg",
            "#appendonsend",
            "#OLK_SRC_BODY_SECTION",
            "#mail-editor-reference-message-container",
            "div.OutlookMessageHeader",
            "hr#zwchr",
            ".zmail_extra");

    private static final String SIGNATURES =
            "div.gmail_signature, div.moz-signature, #Signature, #signature, #ms-outlook-mobile-signature";

    private static final Set<String> BLOCKS = Set.of(
            "div",
            "p",
            "li",
            "ul",
            "ol",
            "dl",
            "dt",
            "dd",
            "tr",
            "table",
            "tbody",
            "thead",
            "tfoot",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "blockquote",
            "pre",
            "hr",
            "address",
            "section",
            "article",
            "header",
            "footer",
            "center",
            "form",
            "fieldset",
            "figure",
            "main",
            "nav",
            "aside",
            "caption");

    private static final Set<String> PARAGRAPHS = Set.of("p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "table");

    private HtmlText() {}

    static String toText(String html) {
        Document doc = Jsoup.parse(html);
        Element body = doc.body();
        body.select("script, style, template, head, title, meta, link, noscript")
                .remove();

        for (Element e : body.select("div[style*=border-top]")) {
            if (e.parent() != null && isOutlookHeaderBox(e)) {
                dropFromHereOn(e, body);
            }
        }
        for (Element e : body.select(HISTORY)) {
            if (e.parent() != null) {
                dropFromHereOn(e, body);
            }
        }
        List<Element> kept = new ArrayList<>();
        for (Element e : outermost(body.select(QUOTES))) {
            if (customerTextFollows(e, body)) {
                kept.add(e);
            } else {
                Element prev = e.previousElementSibling();
                if (prev != null && prev.hasClass("moz-cite-prefix")) {
                    prev.remove(); // Thunderbird's "On … wrote:" above the quote
                }
                e.remove();
            }
        }
        Renderer r = new Renderer(kept);
        r.render(body, 0);
        return r.result();
    }

    /** Outlook's box around "From: … Sent: … To: … Subject: …" that starts the history. */
    private static boolean isOutlookHeaderBox(Element e) {
        String style = e.attr("style").toLowerCase(Locale.ROOT).replace(" ", "");
        if (!style.contains("border-top:solid") && !style.contains("border-top-style:solid")) {
            return false;
        }
        Renderer r = new Renderer(List.of());
        r.render(e, 0);
        List<String> lines = r.result().lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                return QuoteSplitter.startsHeaderBlock(lines, i);
            }
        }
        return false;
    }

    private static void dropFromHereOn(Element e, Element body) {
        Node node = e;
        while (node != null && node != body) {
            Node next = node.nextSibling();
            while (next != null) {
                Node after = next.nextSibling();
                next.remove();
                next = after;
            }
            node = node.parent();
        }
        Element prev = e.previousElementSibling();
        if (prev != null && prev.tagName().equals("hr")) {
            prev.remove();
        }
        e.remove();
    }

    private static List<Element> outermost(Elements found) {
        List<Element> out = new ArrayList<>();
        for (Element e : found) {
            boolean nested = false;
            for (Element p = e.parent(); p != null; p = p.parent()) {
                if (found.contains(p)) {
                    nested = true;
                    break;
                }
            }
            if (!nested) {
                out.add(e);
            }
        }
        return out;
    }

    /** Whether text of the customer's (outside any quote) comes after {@code e} in document order. */
    private static boolean customerTextFollows(Element e, Element body) {
        Node node = e;
        while (node != null && node != body) {
            for (Node s = node.nextSibling(); s != null; s = s.nextSibling()) {
                if (hasOwnText(s)) {
                    return true;
                }
            }
            node = node.parent();
        }
        return false;
    }

    private static boolean hasOwnText(Node n) {
        if (n instanceof TextNode t) {
            return !t.getWholeText().replace('\u00a0', ' ').isBlank();
        }
        if (n instanceof Element el) {
            if (el.is(QUOTES) || el.is(SIGNATURES)) {
                return false;
            }
            for (Node c : el.childNodes()) {
                if (hasOwnText(c)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Writes text with line structure; quote containers the customer answered below become "> " lines. */
    private static final class Renderer {
        private final StringBuilder out = new StringBuilder();
        private final List<Element> quoted;
        private boolean atLineStart = true;
        private int depth;

        Renderer(List<Element> quoted) {
            this.quoted = quoted;
        }

        void render(Node node, int pre) {
            if (node instanceof TextNode t) {
                text(t.getWholeText(), pre > 0);
                return;
            }
            if (!(node instanceof Element e)) {
                return;
            }
            String tag = e.normalName();
            boolean quote = quoted.contains(e) && (tag.equals("blockquote") || e.selectFirst("blockquote") == null);
            boolean nestedQuote = depth > 0 && tag.equals("blockquote");
            if (quote || nestedQuote) {
                newline();
                depth++;
            }
            if (e.is(SIGNATURES) && !lastLineIsDelimiter()) {
                newline();
                raw("-- ");
                newline();
            }
            switch (tag) {
                case "br" -> {
                    lineBreak();
                    return;
                }
                case "hr" -> {
                    paragraph();
                    return;
                }
                case "img" -> {
                    return;
                }
                case "li" -> {
                    newline();
                    raw("- ");
                }
                case "td", "th" -> {
                    if (e.elementSiblingIndex() > 0) {
                        out.append('\t');
                    }
                }
                default -> {
                    if (PARAGRAPHS.contains(tag) && !e.hasClass("MsoNormal")) {
                        paragraph();
                    } else if (BLOCKS.contains(tag)) {
                        newline();
                    }
                }
            }
            int p = pre + (tag.equals("pre") ? 1 : 0);
            int before = out.length();
            for (Node c : e.childNodes()) {
                render(c, p);
            }
            if (out.length() == before
                    && atLineStart
                    && BLOCKS.contains(tag)
                    && e.wholeText().indexOf('\u00a0') >= 0) {
                lineBreak(); // Outlook's empty paragraph: <p class=MsoNormal>&nbsp;</p>
            }
            if (PARAGRAPHS.contains(tag) && !e.hasClass("MsoNormal")) {
                paragraph();
            } else if (BLOCKS.contains(tag)) {
                newline();
            }
            if (quote || nestedQuote) {
                newline();
                depth--;
            }
        }

        private void text(String s, boolean pre) {
            String t = s.replace('\u00a0', ' ');
            if (pre) {
                String[] parts = t.split("\n", -1);
                for (int i = 0; i < parts.length; i++) {
                    if (i > 0) {
                        lineBreak();
                    }
                    if (!parts[i].isEmpty()) {
                        raw(parts[i]);
                    }
                }
                return;
            }
            t = t.replaceAll("[ \\t\\r\\n\\f]+", " ");
            if (atLineStart) {
                t = t.stripLeading();
            }
            if (!t.isEmpty()) {
                raw(t);
            }
        }

        private void raw(String s) {
            if (atLineStart) {
                out.append("> ".repeat(depth));
                atLineStart = false;
            }
            out.append(s);
        }

        private void lineBreak() {
            if (atLineStart && depth > 0) {
                out.append(">".repeat(depth));
            }
            out.append('\n');
            atLineStart = true;
        }

        private void newline() {
            if (!atLineStart) {
                out.append('\n');
                atLineStart = true;
            }
        }

        private void paragraph() {
            newline();
            if (out.length() > 0 && !endsWithBlankLine()) {
                lineBreak();
            }
        }

        private boolean endsWithBlankLine() {
            int n = out.length();
            if (n < 2 || out.charAt(n - 1) != '\n') {
                return false;
            }
            int prevNl = out.lastIndexOf("\n", n - 2);
            String last = out.substring(prevNl + 1, n - 1);
            return last.replace(">", "").isBlank();
        }

        private boolean lastLineIsDelimiter() {
            String s = out.toString().stripTrailing();
            int nl = s.lastIndexOf('\n');
            String last = s.substring(nl + 1).strip();
            return last.equals("--");
        }

        String result() {
            List<String> lines = new ArrayList<>();
            int blanks = 0;
            for (String l : out.toString().split("\n", -1)) {
                String line = l.stripTrailing();
                if (line.isEmpty()) {
                    if (++blanks > 1) {
                        continue;
                    }
                } else {
                    blanks = 0;
                }
                lines.add(line);
            }
            return String.join("\n", lines).strip();
        }
    }
}
