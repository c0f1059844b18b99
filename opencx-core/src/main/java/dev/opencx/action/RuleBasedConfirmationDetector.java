package dev.opencx.action;

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
    private static final Pattern EMOJI = Pattern.compile("(\ud83d\udc4d|\ud83d\udc4c|\u2705|\ud83d\udc4e|\u274c)");
    private static final Pattern NON_WORD =
            Pattern.compile("[^\\p{L}\\p{N}\ud83d\udc4d\ud83d\udc4c\u2705\ud83d\udc4e\u274c]+");
    private static final int MAX_PHRASE = 4;

    private static final List<String> YES = List.of(
            "yes",
            "yeah",
            "yea",
            "yep",
            "yup",
            "ya",
            "yas",
            "y",
            "sure",
            "ok",
            "okay",
            "okey",
            "k",
            "kk",
            "confirm",
            "confirmed",
            "i confirm",
            "go ahead",
            "go on",
            "go for it",
            "do it",
            "please do",
            "proceed",
            "correct",
            "that is right",
            "thats right",
            "that is correct",
            "thats correct",
            "right",
            "absolutely",
            "definitely",
            "of course",
            "affirmative",
            "sounds good",
            "perfect",
            "alright",
            "all right",
            "fine",
            "no problem",
            "not a problem",
            "no worries",
            "why not",
            "you may",
            "you can",
            "yes please",
            "si",
            "claro",
            "vale",
            "dale",
            "de acuerdo",
            "oui",
            "d accord",
            "daccord",
            "bien sur",
            "ja",
            "genau",
            "klar",
            "sim",
            "pode",
            "\ud83d\udc4d",
            "\ud83d\udc4c",
            "\u2705");
    private static final List<String> NO = List.of(
            "no",
            "nope",
            "nah",
            "nay",
            "n",
            "cancel",
            "cancel it",
            "dont",
            "do not",
            "stop",
            "never mind",
            "nevermind",
            "not now",
            "not yet",
            "wait",
            "hold on",
            "abort",
            "negative",
            "forget it",
            "leave it",
            "changed my mind",
            "no thanks",
            "no thank you",
            "non",
            "nein",
            "nao",
            "\ud83d\udc4e",
            "\u274c");
    private static final Set<String> FILLER = Set.of(
            "please",
            "pls",
            "plz",
            "thanks",
            "thank",
            "you",
            "thx",
            "ty",
            "cheers",
            "great",
            "cool",
            "good",
            "nice",
            "awesome",
            "lol",
            "haha",
            "ah",
            "oh",
            "well",
            "then",
            "so",
            "just",
            "it",
            "that",
            "this",
            "now",
            "sir",
            "madam",
            "mate",
            "very",
            "much",
            "i",
            "have",
            "gracias",
            "merci",
            "danke",
            "obrigado",
            "obrigada",
            "por",
            "favor",
            "bitte",
            "sil",
            "vous",
            "plait");

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
