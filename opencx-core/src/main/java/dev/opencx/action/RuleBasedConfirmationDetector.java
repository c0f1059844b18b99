package dev.opencx.action;

import dev.opencx.i18n.WordLists;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A {@link ConfirmationDetector} from phrase lists: yes-words ("yes", "sure", "go ahead", "no
 * problem", "sí", "oui", "ja", "sim", 👍), no-words ("no", "cancel", "don't", "not now", "never
 * mind", "non", "nein", "não", 👎) and politeness that may come with them ("please", "thanks").
 * Case, accents, apostrophes and punctuation are ignored; phrases match longest first, so "no
 * problem" is a yes. A no anywhere wins over a yes ("yes… no, wait"); a yes with any other content
 * is not explicit and counts as {@link Answer#OTHER}. Thread-safe and stateless.
 */
public final class RuleBasedConfirmationDetector implements ConfirmationDetector {
    private static final Pattern MARKS = Pattern.compile("\\p{M}+");
    private static final Pattern APOSTROPHES = Pattern.compile("['\u2018\u2019\u02bc`\u00b4]");
    private static final int MAX_PHRASE = 4;

    /** The word lists: {@code dev/opencx/action/confirmation/<language>.txt} and {@code common.txt}. */
    private static final WordLists LISTS =
            WordLists.load("dev/opencx/action/confirmation", RuleBasedConfirmationDetector.class.getClassLoader());

    private static final List<String> YES = LISTS.list("yes");
    private static final List<String> NO = LISTS.list("no");
    private static final Set<String> FILLER = LISTS.set("filler");

    /** Yes and no entries without a letter or digit (👍, ❌): each is a word of its own. */
    private static final List<String> SYMBOLS = java.util.stream.Stream.concat(YES.stream(), NO.stream())
            .filter(p -> p.codePoints().noneMatch(Character::isLetterOrDigit))
            .distinct()
            .toList();

    private static final Pattern EMOJI = Pattern.compile("("
            + String.join(
                    "|",
                    SYMBOLS.stream().map(RuleBasedConfirmationDetector::literal).toList()) + ")");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}"
            + String.join(
                    "",
                    SYMBOLS.stream().map(RuleBasedConfirmationDetector::literal).toList()) + "]+");

    private static String literal(String symbol) {
        return symbol.chars().anyMatch(c -> "\\^$.|?*+()[]{}-&".indexOf(c) >= 0) ? Pattern.quote(symbol) : symbol;
    }

    private static final Map<String, Answer> PHRASES = phrases();

    private static Map<String, Answer> phrases() {
        Map<String, Answer> m = new HashMap<>();
        YES.forEach(p -> m.put(p, Answer.YES));
        NO.forEach(p -> m.put(p, Answer.NO));
        return Map.copyOf(m);
    }

    @Override
    public Result detect(String text, String locale) {
        List<String> tokens = tokens(text == null ? "" : text);
        String yesCue = "";
        String noCue = "";
        int content = 0;
        int i = 0;
        while (i < tokens.size()) {
            int matched = 0;
            Answer kind = null;
            String phrase = "";
            for (int n = Math.min(MAX_PHRASE, tokens.size() - i); n >= 1 && matched == 0; n--) {
                String candidate = String.join(" ", tokens.subList(i, i + n));
                Answer a = PHRASES.get(candidate);
                if (a != null) {
                    matched = n;
                    kind = a;
                    phrase = candidate;
                }
            }
            if (matched > 0) {
                if (kind == Answer.YES && yesCue.isEmpty()) {
                    yesCue = phrase;
                } else if (kind == Answer.NO && noCue.isEmpty()) {
                    noCue = phrase;
                }
                i += matched;
            } else {
                if (!FILLER.contains(tokens.get(i))) {
                    content++;
                }
                i++;
            }
        }
        if (!noCue.isEmpty()) {
            return new Result(Answer.NO, noCue, content > 0);
        }
        if (!yesCue.isEmpty()) {
            return content == 0 ? new Result(Answer.YES, yesCue, false) : new Result(Answer.OTHER, yesCue, true);
        }
        return new Result(Answer.OTHER, "", content > 0);
    }

    static List<String> tokens(String raw) {
        String s = Normalizer.normalize(raw, Normalizer.Form.NFKD);
        s = MARKS.matcher(s).replaceAll("").toLowerCase(Locale.ROOT);
        s = APOSTROPHES.matcher(s).replaceAll("");
        s = EMOJI.matcher(s).replaceAll(" $1 ");
        List<String> out = new ArrayList<>();
        for (String t : NON_WORD.split(s)) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }
}
