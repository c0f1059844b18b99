package dev.opencx.internal;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Guesses the language of a short customer message from function words and accents. Returns an
 * empty string when unsure; the session's locale is used then.
 */
public final class LanguageGuesser {
    private static final Map<String, Set<String>> WORDS = Map.of(
            "en",
                    Set.of(
                            "the", "is", "my", "i", "you", "how", "what", "where", "when", "can", "do", "does", "a",
                            "to", "and", "of", "it", "for", "with", "your", "order", "please", "why", "have", "not",
                            "this"),
            "es",
                    Set.of(
                            "el", "la", "los", "las", "es", "mi", "yo", "tu", "cómo", "como", "qué", "que", "dónde",
                            "donde", "cuándo", "cuando", "puedo", "un", "una", "de", "y", "por", "para", "con", "mis",
                            "pedido", "tarda", "cuánto", "cuanto", "no", "del", "al", "se", "quiero", "hola",
                            "gracias"),
            "de",
                    Set.of(
                            "der",
                            "die",
                            "das",
                            "ist",
                            "mein",
                            "meine",
                            "ich",
                            "wie",
                            "was",
                            "wo",
                            "wann",
                            "kann",
                            "ein",
                            "eine",
                            "und",
                            "zu",
                            "mit",
                            "nicht",
                            "bestellung",
                            "bitte",
                            "warum",
                            "hallo",
                            "danke"),
            "fr",
                    Set.of(
                            "le",
                            "la",
                            "les",
                            "est",
                            "mon",
                            "ma",
                            "mes",
                            "je",
                            "comment",
                            "quoi",
                            "où",
                            "quand",
                            "puis",
                            "un",
                            "une",
                            "et",
                            "de",
                            "pour",
                            "avec",
                            "pas",
                            "commande",
                            "merci",
                            "bonjour",
                            "vous"),
            "pt",
                    Set.of(
                            "o",
                            "os",
                            "as",
                            "é",
                            "meu",
                            "minha",
                            "eu",
                            "como",
                            "onde",
                            "quando",
                            "posso",
                            "um",
                            "uma",
                            "e",
                            "de",
                            "para",
                            "com",
                            "não",
                            "pedido",
                            "obrigado",
                            "olá",
                            "você"));

    private LanguageGuesser() {}

    /** A BCP 47 language ({@code en}, {@code es}, …) or "" when unsure. */
    public static String guess(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        String[] tokens = t.split("[^\\p{L}]+");
        String best = "";
        double bestScore = 0;
        double second = 0;
        for (var e : WORDS.entrySet()) {
            double s = 0;
            for (String tok : tokens) {
                if (e.getValue().contains(tok)) {
                    s += 1;
                }
            }
            if (e.getKey().equals("es") && (t.indexOf('¿') >= 0 || t.indexOf('¡') >= 0 || t.indexOf('ñ') >= 0)) {
                s += 2;
            }
            if (s > bestScore) {
                second = bestScore;
                bestScore = s;
                best = e.getKey();
            } else if (s > second) {
                second = s;
            }
        }
        if (bestScore < 1 || bestScore - second < 1) {
            return "";
        }
        return best;
    }
}
