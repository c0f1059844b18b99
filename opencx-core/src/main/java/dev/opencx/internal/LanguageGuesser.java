package dev.opencx.internal;

import dev.opencx.i18n.WordLists;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Guesses the language of a short customer message from function words and accents. Returns an
 * empty string when unsure; the session's locale is used then.
 */
public final class LanguageGuesser {
    /** The word lists: {@code dev/opencx/i18n/language-guesser/<language>.txt}. */
    private static final WordLists LISTS =
            WordLists.load("dev/opencx/i18n/language-guesser", LanguageGuesser.class.getClassLoader());

    private static final Map<String, Set<String>> WORDS = byLanguage("words");

    /** Characters that only one language uses ("¿", "ñ"): any of them adds 2 to its score. */
    private static final Map<String, Set<String>> MARKS = byLanguage("marks");

    private static Map<String, Set<String>> byLanguage(String section) {
        Map<String, Set<String>> out = new HashMap<>();
        for (String language : LISTS.languages()) {
            List<String> entries = LISTS.list(language, section);
            if (!entries.isEmpty()) {
                out.put(language, Set.copyOf(entries));
            }
        }
        return Map.copyOf(out);
    }

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
            if (MARKS.getOrDefault(e.getKey(), Set.of()).stream().anyMatch(t::contains)) {
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
