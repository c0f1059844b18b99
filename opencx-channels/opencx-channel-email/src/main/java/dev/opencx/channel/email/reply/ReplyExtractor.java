package dev.opencx.channel.email.reply;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Takes what a customer wrote out of an inbound e-mail: removes the quoted history (the mail being
 * answered) and the signature, and says which is which.
 *
 * <pre>{@code
 * ReplyExtractor extractor = ReplyExtractor.defaults();
 * ExtractedReply r = extractor.extract("""
 *         Yes, please send the replacement.
 *
 *         Thanks,
 *         Ana
 *
 *         Am Mo., 5. Feb. 2024 um 10:00 Uhr schrieb Support <help@shop.example>:
 *         > Shall we send a replacement?
 *         """);
 * r.reply();              // "Yes, please send the replacement."
 * r.replyWithSignature(); // "Yes, please send the replacement.\n\nThanks,\nAna"
 * r.signature();          // "Thanks,\nAna"
 *
 * // an HTML part: drop the HTML quote first, then extract as above
 * ExtractedReply fromHtml = extractor.extract(extractor.htmlToText(htmlPart));
 * }</pre>
 *
 * <p><b>Quoted history.</b> Recognised: attribution lines ("On … wrote:", "Am … schrieb …:", "Le … a
 * écrit :", "El … escribió:", "Em … escreveu:", "Il giorno … ha scritto:", "Op … schreef …:", "Den …
 * skrev:", "W dniu … napisał:", "… написал:", "… kirjoitti …:", "… 写道：", "…のメール:" and more,
 * also wrapped over several lines or sharing a line with the reply), Outlook header blocks
 * ("From:/Sent:/To:/Subject:", "Von:/Gesendet:/An:/Betreff:", "De :/Envoyé :/À :/Objet :" and the other
 * Outlook languages), "-----Original Message-----" and forward separators in many languages, {@code
 * >} quotes, and helpdesk markers like "##- Please type your reply above this line -##". A reply
 * above the quote (top-posting), below it (bottom-posting) or around a single quote keeps all the
 * customer's text; an interleaved reply keeps the answers with the quoted lines they answer.
 *
 * <p><b>Signatures.</b> The RFC 3676 {@code "-- "} delimiter (and a bare {@code "--"}), the rules
 * mailing lists put above their footers, mobile taglines ("Sent from my iPhone", "Von meinem iPhone
 * gesendet", "Envoyé de mon iPhone", "Enviado desde mi iPhone" …), "-Name" sign-offs, and blocks
 * without a delimiter: a name, optionally under a closing ("Thanks," "Mit freundlichen Grüßen,"
 * "Cordialement," …) and above a title, company, phone numbers, addresses or links. Such a block must
 * have the customer's text above it; a mail that is only "Thanks,\nAna" keeps it as the reply.
 *
 * <p>Instances are immutable and thread-safe; share one. Plain Java and jsoup, no model: a typical
 * mail takes well under a millisecond.
 */
public final class ReplyExtractor {

    private static final ReplyExtractor DEFAULTS = builder().build();

    private final QuoteSplitter splitter;
    private final boolean signatureBlocks;
    private final int maxSignatureLines;

    private ReplyExtractor(Builder b) {
        this.splitter = new QuoteSplitter(b.historyMarkers);
        this.signatureBlocks = b.signatureBlocks;
        this.maxSignatureLines = b.maxSignatureLines;
    }

    /** The extractor with every rule on: what the e-mail channel uses. */
    public static ReplyExtractor defaults() {
        return DEFAULTS;
    }

    /** A builder to add your own history markers or tune signature detection. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Splits a plain-text mail body into the customer's reply, its signature and the quoted history
     * (which is dropped).
     *
     * @param plainText the {@code text/plain} body, or the output of {@link #htmlToText}; never null
     * @return the parts, never null; all empty for a blank body
     */
    public ExtractedReply extract(String plainText) {
        Objects.requireNonNull(plainText, "plainText");
        List<String> lines = normalize(plainText);
        List<String> reply = trim(splitter.reply(lines));
        int sig = SignatureFinder.find(reply, signatureBlocks, maxSignatureLines);
        String withSignature = join(reply);
        if (sig < 0) {
            return new ExtractedReply(withSignature, withSignature, "");
        }
        return new ExtractedReply(
                join(trim(reply.subList(0, sig))), withSignature, join(trim(reply.subList(sig, reply.size()))));
    }

    /**
     * Readable text from an HTML body: paragraphs and line breaks kept, lists as {@code "- "} lines,
     * and the quoted history that mail clients mark in HTML removed ({@code div.gmail_quote}, {@code
     * blockquote[type=cite]}, Outlook's {@code #divRplyFwdMsg}, {@code #appendonsend} and
     * border-top header box, {@code .yahoo_quoted}, ProtonMail's and Zimbra's markers …). A quote
     * that the customer answered below or between is kept as {@code "> "} lines so that {@link
     * #extract} keeps the answers; signatures the client marks get a {@code "-- "} line above them.
     * Pass the result to {@link #extract} for the rest (plain-text quote headers, signatures).
     *
     * @param html an HTML document or fragment; never null
     * @return the text, never null
     */
    public String htmlToText(String html) {
        Objects.requireNonNull(html, "html");
        return HtmlText.toText(html);
    }

    private static List<String> normalize(String text) {
        String t = text.replace("\r\n", "\n").replace('\r', '\n').replace('\u00a0', ' ');
        t = t.replace("\u200b", "").replace("\ufeff", "").replace("\u200e", "").replace("\u200f", "");
        List<String> out = new ArrayList<>();
        for (String l : t.split("\n", -1)) {
            out.add(l.stripTrailing());
        }
        return out;
    }

    private static List<String> trim(List<String> lines) {
        int from = 0;
        int to = lines.size();
        while (from < to && lines.get(from).isBlank()) {
            from++;
        }
        while (to > from && lines.get(to - 1).isBlank()) {
            to--;
        }
        List<String> out = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            out.add(lines.get(i).stripTrailing());
        }
        return out;
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines);
    }

    /** Builds a {@link ReplyExtractor}; every setting has a default (see each method). */
    public static final class Builder {
        private final List<Pattern> historyMarkers = new ArrayList<>();
        private boolean signatureBlocks = true;
        private int maxSignatureLines = 10;

        private Builder() {}

        /**
         * A line that starts quoted history in your mails, in addition to the built-in ones — for
         * example the "reply above this line" text your helpdesk puts in its outbound mails. The line
         * matching it and everything below are dropped.
         *
         * @param regex a Java regular expression searched in each line (case-insensitive)
         * @throws IllegalArgumentException if it is blank or not a valid expression
         */
        public Builder historyMarker(String regex) {
            if (regex == null || regex.isBlank()) {
                throw new IllegalArgumentException(
                        "historyMarker must be a non-blank regular expression, was '" + regex + "'");
            }
            try {
                historyMarkers.add(Pattern.compile(regex, QuoteMarkers.FLAGS));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("historyMarker is not a valid regular expression: " + regex, e);
            }
            return this;
        }

        /**
         * Whether to remove signature blocks that have no {@code "-- "} delimiter (a name, title and
         * phone number at the end). Default true. Delimited signatures and mobile taglines are
         * always removed.
         */
        public Builder signatureBlocks(boolean on) {
            this.signatureBlocks = on;
            return this;
        }

        /**
         * The most non-blank lines a signature block without delimiter may have; a longer run of short
         * lines is taken for a list. A block headed by a closing ("Mit freundlichen Grüßen") may be
         * three times as long (company footers). Default 10.
         *
         * @throws IllegalArgumentException unless 1..30
         */
        public Builder maxSignatureLines(int lines) {
            if (lines < 1 || lines > 30) {
                throw new IllegalArgumentException("maxSignatureLines must be 1..30, was " + lines);
            }
            this.maxSignatureLines = lines;
            return this;
        }

        public ReplyExtractor build() {
            return new ReplyExtractor(this);
        }
    }
}
