package dev.opencx.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** GSM-7 and UCS-2 segment arithmetic, and how a reply is cut into SMS parts. */
class SmsTextTest {

    @Test
    void counts_gsm7_segments_as_160_alone_and_153_concatenated() {
        assertThat(SmsEncoding.segments("a".repeat(160))).isEqualTo(1);
        assertThat(SmsEncoding.segments("a".repeat(161))).isEqualTo(2);
        assertThat(SmsEncoding.segments("a".repeat(306))).isEqualTo(2);
        assertThat(SmsEncoding.segments("a".repeat(307))).isEqualTo(3);
        assertThat(SmsEncoding.segments("")).isZero();
    }

    @Test
    void an_extension_character_takes_two_septets_and_is_never_split_across_segments() {
        assertThat(SmsEncoding.isGsm7("price: 5€ [approx] {ok} ~ ^ | \\")).isTrue();
        assertThat(SmsEncoding.segments("€".repeat(80))).isEqualTo(1); // 160 septets
        assertThat(SmsEncoding.segments("€".repeat(81))).isEqualTo(2);
        // 152 septets then a two-septet euro: it cannot straddle, so the second segment starts with it
        assertThat(SmsEncoding.segments("a".repeat(152) + "€" + "a".repeat(152)))
                .isEqualTo(3);
    }

    @Test
    void one_character_outside_gsm7_sends_the_whole_text_in_ucs2_at_70_and_67() {
        assertThat(SmsEncoding.isGsm7("Ça coûte 5 €")).isFalse(); // û is not GSM-7
        assertThat(SmsEncoding.segments("é".repeat(160))).isEqualTo(1); // é is GSM-7
        assertThat(SmsEncoding.segments("a".repeat(69) + "’")).isEqualTo(1);
        assertThat(SmsEncoding.segments("a".repeat(70) + "’")).isEqualTo(2);
        assertThat(SmsEncoding.segments("ы".repeat(134))).isEqualTo(2);
        assertThat(SmsEncoding.segments("ы".repeat(135))).isEqualTo(3);
        // an emoji is a surrogate pair: two units that stay in one segment
        assertThat(SmsEncoding.segments("a".repeat(66) + "👍" + "a".repeat(66))).isEqualTo(3);
    }

    @Test
    void typographic_lookalikes_become_gsm7_so_a_curly_quote_does_not_halve_a_segment() {
        String ai = "We’re sorry — your “order” ships soon…";
        assertThat(SmsEncoding.isGsm7(ai)).isFalse();
        String sent = SmsEncoding.substituteLookalikes(ai);
        assertThat(sent).isEqualTo("We're sorry - your \"order\" ships soon...");
        assertThat(SmsEncoding.isGsm7(sent)).isTrue();
    }

    @Test
    void a_short_reply_is_one_unnumbered_part() {
        assertThat(MessageParts.sms("Your refund is on its way.", 4, 3, true))
                .containsExactly("Your refund is on its way.");
        assertThat(MessageParts.sms("   ", 4, 3, true)).isEmpty();
    }

    @Test
    void a_long_reply_is_cut_at_sentences_into_numbered_parts_each_within_its_segments() {
        String sentence = "Refunds reach your card within five business days after we receive the item. ";
        String text = sentence.repeat(12).strip(); // 12 × 79 = 947 GSM-7 characters
        List<String> parts = MessageParts.sms(text, 2, 5, true);
        assertThat(parts).hasSizeGreaterThan(1);
        for (int i = 0; i < parts.size(); i++) {
            String p = parts.get(i);
            assertThat(SmsEncoding.segments(p)).as(p).isLessThanOrEqualTo(2);
            assertThat(p).endsWith(" (" + (i + 1) + "/" + parts.size() + ")");
            assertThat(p).contains("receive the item.");
        }
        String joined = String.join(
                " ",
                parts.stream().map(p -> p.replaceAll(" \\(\\d+/\\d+\\)$", "")).toList());
        assertThat(joined).isEqualTo(text);
    }

    @Test
    void a_ucs2_part_holds_fewer_characters_and_still_fits_its_segments() {
        String text = ("Добрый день! Ваш заказ отправлен сегодня и прибудет через три дня. ")
                .repeat(10)
                .strip();
        List<String> parts = MessageParts.sms(text, 2, 10, true);
        assertThat(parts).allSatisfy(p -> {
            assertThat(SmsEncoding.isGsm7(p)).isFalse();
            assertThat(SmsEncoding.segments(p)).isLessThanOrEqualTo(2);
            assertThat(p.length()).isLessThanOrEqualTo(134);
        });
    }

    @Test
    void a_reply_longer_than_the_allowed_parts_is_shortened_in_the_last_one() {
        String text = "Word after word goes on. ".repeat(200).strip();
        List<String> parts = MessageParts.sms(text, 1, 3, true);
        assertThat(parts).hasSize(3);
        assertThat(parts).allSatisfy(p -> assertThat(SmsEncoding.segments(p)).isEqualTo(1));
        assertThat(parts.get(2)).endsWith(" (3/3)");
        assertThat(parts.get(2).replace(" (3/3)", "")).endsWith(".");
    }

    @Test
    void unnumbered_parts_and_the_twilio_body_limit() {
        String text = "x".repeat(5000);
        List<String> parts = MessageParts.sms(text, 10, 10, false);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(1530));
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(MessageParts.byLength("y".repeat(4000), 1600, 3, true))
                .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(1600))
                .hasSize(3);
    }

    @Test
    void markdown_becomes_plain_text_for_sms() {
        String md = "## Refunds\n\n**Good news:** your refund is *on its way*.\n\n"
                + "* See [our policy](https://shop.example/help/returns_policy)\n"
                + "* Or write to <mailto:help@shop.example>\n\n---\n\nUse code `SAVE10` \\*today\\*.";
        assertThat(MarkdownText.toPlain(md))
                .isEqualTo("Refunds\n\nGood news: your refund is on its way.\n\n"
                        + "- See our policy (https://shop.example/help/returns_policy)\n"
                        + "- Or write to mailto:help@shop.example\n\nUse code SAVE10 *today*.");
    }

    @Test
    void markdown_becomes_whatsapp_formatting() {
        String md = "# Order\n**Shipped** today, *arriving* Friday. ~~Delayed~~ [Track](https://t.example/a_b_c)";
        assertThat(MarkdownText.toWhatsApp(md))
                .isEqualTo("*Order*\n*Shipped* today, _arriving_ Friday. ~Delayed~ Track (https://t.example/a_b_c)");
    }

    @Test
    void snake_case_and_urls_keep_their_underscores_and_stars() {
        assertThat(MarkdownText.toPlain("set max_retry_count to 3 at https://x.example/a_b_*c*"))
                .isEqualTo("set max_retry_count to 3 at https://x.example/a_b_*c*");
    }
}
