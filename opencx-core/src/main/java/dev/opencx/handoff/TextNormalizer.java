package dev.opencx.handoff;

import dev.opencx.i18n.WordLists;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Text normalization shared by the handoff detectors: lower-case, accents folded, contractions
 * expanded, punctuation stripped; clause splitting; Damerau-Levenshtein distance. Package-private:
 * not API.
 */
final class TextNormalizer {
    private TextNormalizer() {}

    /** The word lists: {@code dev/opencx/handoff/normalizer/<language>.txt}. */
    private static final WordLists LISTS =
            WordLists.load("dev/opencx/handoff/normalizer", TextNormalizer.class.getClassLoader());

    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APOSTROPHES = Pattern.compile("[\u2018\u2019\u02bc`\u00b4]");
    private static final Pattern CLAUSE_BREAK =
            Pattern.compile("[.,;:!?\\n\\r()\\[\\]{}\u2026\u2014\u2013\u00bf\u00a1]+|\\s-+\\s");
    private static final Set<String> CLAUSE_WORDS = LISTS.set("clause-words");

    private static final String[][] CONTRACTIONS = LISTS.entries("contractions").stream()
            .map(e -> new String[] {e.text(), e.value()})
            .toArray(String[][]::new);
    private static final Pattern[] CONTRACTION_PATTERNS =
            Arrays.stream(CONTRACTIONS).map(c -> Pattern.compile(c[0])).toArray(Pattern[]::new);

    /** Apostrophe-less contractions and chat shorthand, mapped to their full words. */
    private static final Map<String, String> SHORTHAND = LISTS.map("shorthand");

    /** Lower-case, accents and compatibility forms folded, apostrophes unified. */
    static String fold(String raw) {
        if (isAscii(raw)) { // NFKD and the marks leave ASCII alone: the common case, without regexes
            return raw.toLowerCase(Locale.ROOT).replace('`', '\'');
        }
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKD);
        s = MARKS.matcher(s).replaceAll("");
        s = s.toLowerCase(Locale.ROOT);
        return APOSTROPHES.matcher(s).replaceAll("'");
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The normalized words of a text: folded, contractions expanded, punctuation stripped. */
    static List<String> tokens(String raw) {
        String s = fold(raw);
        if (s.indexOf('\'') >= 0) { // every contraction has an apostrophe ("cannot" is a shorthand)
            for (int i = 0; i < CONTRACTION_PATTERNS.length; i++) {
                s = CONTRACTION_PATTERNS[i].matcher(s).replaceAll(CONTRACTIONS[i][1]);
            }
        }
        // the runs of letters and digits (\\p{L}\\p{N}), scanned by code point without a regex
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= s.length(); ) {
            int cp = i < s.length() ? s.codePointAt(i) : ' ';
            boolean word = i < s.length() && isWordChar(cp);
            if (word && start < 0) {
                start = i;
            } else if (!word && start >= 0) {
                addToken(out, s.substring(start, i));
                start = -1;
            }
            i += i < s.length() ? Character.charCount(cp) : 1;
        }
        return out;
    }

    private static void addToken(List<String> out, String t) {
        String expanded = SHORTHAND.get(t);
        if (expanded == null) {
            out.add(t);
        } else {
            out.addAll(Arrays.asList(expanded.split(" ")));
        }
    }

    /** As the regex class [\\p{L}\\p{N}]: a letter or a number of any kind. */
    private static boolean isWordChar(int cp) {
        if (cp < 0x80) {
            return cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z' || cp >= '0' && cp <= '9';
        }
        if (Character.isLetter(cp)) {
            return true;
        }
        int type = Character.getType(cp);
        return type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER
                || type == Character.OTHER_NUMBER;
    }

    /**
     * The text cut into clauses at punctuation and at contrastive words ("but", "pero"), each as
     * normalized tokens; empty clauses are dropped.
     */
    static List<List<String>> clauses(String raw) {
        List<List<String>> out = new ArrayList<>();
        for (String part : CLAUSE_BREAK.split(raw)) {
            List<String> current = new ArrayList<>();
            for (String t : tokens(part)) {
                if (CLAUSE_WORDS.contains(t)) {
                    if (!current.isEmpty()) {
                        out.add(current);
                    }
                    current = new ArrayList<>();
                } else {
                    current.add(t);
                }
            }
            if (!current.isEmpty()) {
                out.add(current);
            }
        }
        return out;
    }

    /** Edits a typo may be away from a lexicon word of this length. */
    static int allowedEdits(int lexiconWordLength) {
        if (lexiconWordLength < 4) {
            return 0;
        }
        return lexiconWordLength >= 10 ? 2 : 1;
    }

    /**
     * Optimal-string-alignment (restricted Damerau-Levenshtein) distance: insertions, deletions,
     * substitutions and adjacent transpositions. Returns {@code max + 1} as soon as the distance
     * exceeds {@code max}.
     */
    static int distance(String a, String b, int max) {
        int n = a.length();
        int m = b.length();
        if (Math.abs(n - m) > max) {
            return max + 1;
        }
        int[][] d = new int[n + 1][m + 1];
        for (int i = 0; i <= n; i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= m; j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= n; i++) {
            int rowMin = Integer.MAX_VALUE;
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
                rowMin = Math.min(rowMin, v);
            }
            if (rowMin > max) {
                return max + 1;
            }
        }
        return d[n][m];
    }

    static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
