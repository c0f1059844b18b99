package dev.opencx.spi;

import dev.opencx.internal.LanguageGuesser;
import java.util.Objects;
import java.util.Optional;

/**
 * The language guess the pipeline makes for a customer message that arrives without a locale: for
 * tools and adapters that must pick a language the same way (an evaluation run, a knowledge store
 * choosing an analyzer for a query).
 *
 * <pre>{@code
 * String locale = Languages.guess("¿Dónde está mi pedido?").orElse("en"); // "es"
 * }</pre>
 *
 * <p>The guess reads function words and accents, so it is meant for short messages in the languages
 * OpenCX ships texts for; it returns empty rather than guess when unsure.
 */
public final class Languages {
    private Languages() {}

    /**
     * Guesses the language of {@code text}.
     *
     * @param text a customer message; not null
     * @return a BCP 47 language tag such as {@code "en"} or {@code "es"}, or empty when unsure
     * @throws NullPointerException when {@code text} is null
     */
    public static Optional<String> guess(String text) {
        Objects.requireNonNull(text, "text");
        String language = LanguageGuesser.guess(text);
        return language.isEmpty() ? Optional.empty() : Optional.of(language);
    }
}
