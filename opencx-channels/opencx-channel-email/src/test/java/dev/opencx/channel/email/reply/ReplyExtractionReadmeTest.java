package dev.opencx.channel.email.reply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The "Reply extraction" section of the module README, compiled and run. */
class ReplyExtractionReadmeTest {

    @Test
    void extracts_the_reply_of_a_plain_and_an_html_part() {
        String plainBody = "Yes, please send the replacement.\n\nThanks,\nAna\n\n"
                + "On Mon, Feb 5, 2024 at 10:14 AM Northwind <help@northwind.example> wrote:\n> Shall we send a replacement?\n";
        String htmlBody = "<div dir=\"ltr\">Yes, please send the replacement.</div><div class=\"gmail_quote\">"
                + "<div class=\"gmail_attr\">On Mon, Feb 5, 2024 at 10:14 AM Northwind wrote:</div>"
                + "<blockquote class=\"gmail_quote\">Shall we send a replacement?</blockquote></div>";

        // README: Reply extraction
        ReplyExtractor extractor = ReplyExtractor.defaults(); // immutable, thread-safe: share it

        ExtractedReply r = extractor.extract(plainBody); // the text/plain part
        r.reply(); // "Yes, please send the replacement."  (no quotes, no signature)
        r.replyWithSignature(); // "Yes, please send the replacement.\n\nThanks,\nAna"
        r.signature(); // "Thanks,\nAna"  ("" when none)

        // a text/html part: htmlToText drops the quote containers and keeps paragraphs and line breaks
        ExtractedReply fromHtml = extractor.extract(extractor.htmlToText(htmlBody));
        // end of README snippet

        assertThat(r.reply()).isEqualTo("Yes, please send the replacement.");
        assertThat(r.replyWithSignature()).isEqualTo("Yes, please send the replacement.\n\nThanks,\nAna");
        assertThat(r.signature()).isEqualTo("Thanks,\nAna");
        assertThat(fromHtml.reply()).isEqualTo("Yes, please send the replacement.");
    }

    @Test
    void a_custom_extractor_honours_its_marker_and_keeps_undelimited_blocks() {
        // README: custom
        ReplyExtractor custom = ReplyExtractor.builder()
                .historyMarker("^-+ Northwind support -+$") // the marker your helpdesk writes into its mails
                .signatureBlocks(false) // only delimited signatures and taglines
                .build();
        // end of README snippet

        ExtractedReply r =
                custom.extract("Still broken.\n\nThanks,\nAna\n\n--- Northwind support ---\nWe replaced the router.");
        assertThat(r.reply()).isEqualTo("Still broken.\n\nThanks,\nAna");
        assertThat(custom.extract("Still broken.\n\nSent from my iPhone").reply())
                .isEqualTo("Still broken.");
    }
}
