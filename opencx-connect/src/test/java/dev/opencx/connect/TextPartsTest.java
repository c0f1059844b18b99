package dev.opencx.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextPartsTest {

    @Test
    void leaves_a_short_text_whole() {
        assertThat(TextParts.split("Your order shipped.", 160)).containsExactly("Your order shipped.");
        assertThat(TextParts.split("  ", 160)).isEmpty();
    }

    @Test
    void cuts_after_sentences_and_keeps_every_word() {
        String text = "Your order 1042 shipped on Monday. It should arrive by Thursday. "
                + "You can follow it with the link in your confirmation e-mail. Anything else I can help with?";
        List<String> parts = TextParts.split(text, 70);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(70));
        assertThat(parts.get(0)).isEqualTo("Your order 1042 shipped on Monday. It should arrive by Thursday.");
        assertThat(String.join(" ", parts)).isEqualTo(text);
    }

    @Test
    void cuts_inside_a_word_only_when_it_is_longer_than_the_limit_and_never_inside_an_emoji() {
        String text = "a".repeat(9) + "😀" + "b".repeat(5);
        List<String> parts = TextParts.split(text, 10);
        assertThat(parts).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(10));
        assertThat(String.join("", parts)).isEqualTo(text);
        assertThat(parts.get(0)).isEqualTo("a".repeat(9));
    }

    @Test
    void shortens_to_whole_sentences_or_words_with_an_ellipsis() {
        String text = "Your refund is on its way. It takes five to seven business days to reach your card.";
        assertThat(TextParts.shorten(text, 40, "…")).isEqualTo("Your refund is on its way.");
        assertThat(TextParts.shorten("one two three four five six", 14, "…")).isEqualTo("one two three…");
        assertThat(TextParts.shorten("short", 14, "…")).isEqualTo("short");
        assertThatThrownBy(() -> TextParts.shorten(text, 1, "…")).hasMessageContaining("max 1");
    }
}
