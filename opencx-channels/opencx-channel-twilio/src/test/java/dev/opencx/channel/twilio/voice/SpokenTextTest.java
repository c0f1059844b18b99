package dev.opencx.channel.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpokenTextTest {

    @Test
    void removes_markdown_markup_and_keeps_link_labels() {
        assertThat(SpokenText.of(
                        "**Refunds** take _five_ days; see [the policy](https://shop.example/p) or `RET-1`.", 400))
                .isEqualTo("Refunds take five days; see the policy or RET-1.");
    }

    @Test
    void drops_bare_urls_images_code_blocks_and_html() {
        String text = "Track it at https://track.example/abc?x=1 or www.track.example.\n"
                + "![map](https://img.example/m.png)\n```\ncurl -X POST https://api\n```\n<b>Done</b>";
        assertThat(SpokenText.of(text, 400)).isEqualTo("Track it at or. Done");
    }

    @Test
    void reads_list_items_and_headings_as_sentences() {
        String text = "## Opening hours\n- Monday to Friday: 9 to 5\n- Saturday: 10 to 2\n\nClosed on Sundays";
        assertThat(SpokenText.of(text, 400))
                .isEqualTo("Opening hours. Monday to Friday: 9 to 5. Saturday: 10 to 2. Closed on Sundays");
    }

    @Test
    void joins_a_wrapped_sentence_without_a_stop() {
        assertThat(SpokenText.of("Your parcel left our warehouse\nthis morning.", 400))
                .isEqualTo("Your parcel left our warehouse this morning.");
    }

    @Test
    void shortens_a_long_reply_at_a_sentence_end_to_the_spoken_limit() {
        String text = "First sentence is here. Second sentence is a bit longer than the first. Third one ends it.";
        String spoken = SpokenText.of(text, 60);
        assertThat(spoken).hasSizeLessThanOrEqualTo(60).isEqualTo("First sentence is here.");
    }

    @Test
    void a_reply_that_was_only_a_link_leaves_nothing_to_say() {
        assertThat(SpokenText.of("https://shop.example/help", 400)).isEmpty();
    }

    @Test
    void reads_a_ticket_number_digit_by_digit() {
        assertThat(SpokenText.digits("#1042")).isEqualTo("1 0 4 2");
    }
}
