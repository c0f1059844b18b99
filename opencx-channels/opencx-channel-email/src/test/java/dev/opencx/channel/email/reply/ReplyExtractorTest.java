package dev.opencx.channel.email.reply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The public surface: null contract, builder checks, and a mail with everything in it. */
class ReplyExtractorTest {

    @Test
    void separates_reply_signature_and_history_of_a_top_posted_mail() {
        String mail = "Yes, please send the replacement.\n\nThanks,\nAna\n\n"
                + "Am Mo., 5. Feb. 2024 um 10:00 Uhr schrieb Support <help@shop.example>:\n> Shall we send a replacement?\n";

        ExtractedReply r = ReplyExtractor.defaults().extract(mail);

        assertThat(r.reply()).isEqualTo("Yes, please send the replacement.");
        assertThat(r.replyWithSignature()).isEqualTo("Yes, please send the replacement.\n\nThanks,\nAna");
        assertThat(r.signature()).isEqualTo("Thanks,\nAna");
    }

    @Test
    void refuses_null_input() {
        ReplyExtractor x = ReplyExtractor.defaults();

        assertThatThrownBy(() -> x.extract(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("plainText");
        assertThatThrownBy(() -> x.htmlToText(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("html");
        assertThatThrownBy(() -> new ExtractedReply(null, "", "")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void builder_names_the_bad_value() {
        assertThatThrownBy(() -> ReplyExtractor.builder().maxSignatureLines(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxSignatureLines")
                .hasMessageContaining("0");
        assertThatThrownBy(() -> ReplyExtractor.builder().historyMarker("(unclosed"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("(unclosed");
        assertThatThrownBy(() -> ReplyExtractor.builder().historyMarker(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("historyMarker");
    }

    @Test
    void a_shorter_signature_limit_keeps_long_blocks() {
        String mail =
                "Quote for 40 units, please.\n\nDaniel Okafor\nProcurement Lead\nAcme Logistics Ltd.\nTel: +44 113 496 0000";

        assertThat(ReplyExtractor.builder()
                        .maxSignatureLines(3)
                        .build()
                        .extract(mail)
                        .reply())
                .isEqualTo(mail);
        assertThat(ReplyExtractor.defaults().extract(mail).reply()).isEqualTo("Quote for 40 units, please.");
    }

    @Test
    void handles_a_very_long_mail_in_reasonable_time() {
        StringBuilder sb =
                new StringBuilder("See below.\n\nOn Mon, Feb 5, 2024 at 10:14 AM A <a@example.org> wrote:\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("> line ")
                    .append(i)
                    .append(" of an old thread, with some words: ")
                    .append("x".repeat(i % 90))
                    .append('\n');
        }
        StringBuilder prose = new StringBuilder();
        for (int i = 0; i < 5_000; i++) {
            prose.append("On day ")
                    .append(i)
                    .append(" I wrote a long sentence about order ")
                    .append(i)
                    .append(" and more\n");
        }
        long t0 = System.nanoTime();
        ExtractedReply quoted = ReplyExtractor.defaults().extract(sb.toString());
        ExtractedReply text = ReplyExtractor.defaults().extract(prose.toString());
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("25,000 lines extracted in " + ms + " ms");

        assertThat(quoted.reply()).isEqualTo("See below.");
        assertThat(text.reply()).hasLineCount(5_000);
    }
}
