package dev.opencx.channel.email;

import dev.opencx.channel.email.reply.ReplyExtractor;

/**
 * The seam where the customer's new words are separated from quoted history and signatures. The
 * channel stores {@link #reply} of the mail's text as the message OpenCX answers; the whole mail
 * stays in the mailbox, referenced from the message as {@code original.eml}.
 *
 * <p>{@link #standard()} is what {@link EmailChannel.Builder#build()} uses.
 */
interface BodyCleaner {

    /**
     * The customer's reply in a plain-text body, without quoted history and signature.
     *
     * @param plainText the text/plain body (or the text of the HTML body)
     * @return the reply; blank when nothing is left (the channel then keeps the whole text)
     */
    String reply(String plainText);

    /**
     * The text of an HTML body, HTML-quoted history ({@code div.gmail_quote}, {@code
     * blockquote[type=cite]}, Outlook's {@code #divRplyFwdMsg}, …) removed where the cleaner knows
     * how.
     */
    String htmlToText(String html);

    /**
     * The cleaner the channel uses: {@link ReplyExtractor} drops quoted history and the signature
     * from the text, and HTML-quoted history before the HTML becomes text.
     */
    static BodyCleaner standard() {
        ReplyExtractor extractor = ReplyExtractor.defaults();
        return new BodyCleaner() {
            @Override
            public String reply(String plainText) {
                return extractor.extract(plainText).reply();
            }

            @Override
            public String htmlToText(String html) {
                return extractor.htmlToText(html);
            }

            @Override
            public String toString() {
                return "BodyCleaner.standard()";
            }
        };
    }

    /** Keeps the whole text; HTML becomes text by {@link HtmlText#toText}. */
    static BodyCleaner passThrough() {
        return new BodyCleaner() {
            @Override
            public String reply(String plainText) {
                return plainText;
            }

            @Override
            public String htmlToText(String html) {
                return HtmlText.toText(html);
            }

            @Override
            public String toString() {
                return "BodyCleaner.passThrough()";
            }
        };
    }
}
