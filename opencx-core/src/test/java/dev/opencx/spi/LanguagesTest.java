package dev.opencx.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LanguagesTest {

    @Test
    void guesses_the_language_of_a_short_customer_message() {
        assertThat(Languages.guess("¿Dónde está mi pedido?")).contains("es");
        assertThat(Languages.guess("Where is my order, please?")).contains("en");
        assertThat(Languages.guess("Wo ist meine Bestellung? Danke")).contains("de");
        assertThat(Languages.guess("Bonjour, où est ma commande ?")).contains("fr");
    }

    @Test
    void says_nothing_rather_than_guess_when_unsure() {
        assertThat(Languages.guess("ok")).isEmpty();
        assertThat(Languages.guess("#4521")).isEmpty();
        assertThat(Languages.guess("")).isEmpty();
    }

    @Test
    void refuses_null_text() {
        assertThatThrownBy(() -> Languages.guess(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("text");
    }
}
