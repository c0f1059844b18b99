package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.channel.whatsapp.internal.WhatsAppText;
import dev.opencx.knowledge.Citation;
import java.util.List;
import org.junit.jupiter.api.Test;

class WhatsAppTextTest {

    private static String wa(String md) {
        return WhatsAppText.fromMarkdown(md);
    }

    @Test
    void bold_italic_and_strike_take_whatsapps_markers() {
        assertThat(wa("**bold** and __also bold__")).isEqualTo("*bold* and *also bold*");
        assertThat(wa("*italic* and _italic_")).isEqualTo("_italic_ and _italic_");
        assertThat(wa("~~gone~~")).isEqualTo("~gone~");
        assertThat(wa("***both***")).isEqualTo("*_both_*");
    }

    @Test
    void code_is_left_alone_and_a_fences_language_is_dropped() {
        assertThat(wa("run `rm **x**` now")).isEqualTo("run `rm **x**` now");
        assertThat(wa("```json\n{\"a\": \"**b**\"}\n```")).isEqualTo("```{\"a\": \"**b**\"}```");
    }

    @Test
    void headings_links_images_and_lists_read_well_as_plain_whatsapp() {
        assertThat(wa("# Returns\ntext")).isEqualTo("*Returns*\ntext");
        assertThat(wa("see [our policy](https://shop.example/p)")).isEqualTo("see our policy (https://shop.example/p)");
        assertThat(wa("[https://shop.example](https://shop.example)")).isEqualTo("https://shop.example");
        assertThat(wa("![a chart](https://shop.example/c.png)")).isEqualTo("https://shop.example/c.png");
        assertThat(wa("* one\n* two\n- three")).isEqualTo("- one\n- two\n- three");
    }

    @Test
    void plain_text_and_arithmetic_stay_as_they_are() {
        assertThat(wa("2 * 3 * 4 = 24, snake_case_name, a_b")).isEqualTo("2 * 3 * 4 = 24, snake_case_name, a_b");
        assertThat(wa("Grüße 😀")).isEqualTo("Grüße 😀");
    }

    @Test
    void sources_are_listed_unless_the_text_already_links_them() {
        List<Citation> sources = List.of(
                new Citation("p1", "d1", "Returns", "https://shop.example/returns"),
                new Citation("p2", "d2", "Shipping", "https://shop.example/shipping"),
                new Citation("p3", "d2", "Shipping", "https://shop.example/shipping"),
                new Citation("p4", "d4", "No link", ""));

        assertThat(WhatsAppText.sources("see https://shop.example/returns", sources))
                .isEqualTo("- Shipping: https://shop.example/shipping");
    }
}
