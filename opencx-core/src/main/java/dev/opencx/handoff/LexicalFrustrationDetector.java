package dev.opencx.handoff;

import dev.opencx.i18n.WordLists;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects customer frustration from words, typography and the session's course, without a model.
 * Immutable and thread-safe; holds no message text.
 *
 * <pre>{@code
 * FrustrationDetector detector = LexicalFrustrationDetector.builder()
 *         .addCue("cancel my subscription", 0.3)
 *         .build();
 * Detection d = detector.detect("This is RIDICULOUS, still not working!!!", previousTexts);
 * d.explanation(); // "frustrated (turn 0.87): 'ridiculous' 0.55, 'still not working' 0.50, CAPS word 0.15, '!!!' 0.30"
 * }</pre>
 *
 * <h2>How it scores a turn</h2>
 *
 * <ul>
 *   <li>A weighted lexicon of cues ("useless" 0.55, "waste of time" 0.6, "for the last time" 0.6,
 *       "still not working" 0.5, profanity 0.5, masked profanity like "f***" or "$#!%" 0.5, and a
 *       few Spanish ones), matched longest first over normalized words.
 *   <li>An intensifier just before a cue ("so", "really", "absolutely") multiplies it by 1.3; a
 *       negation up to three words before a cue cancels it ("not bad", "I'm not angry").
 *   <li>Shouting: mostly upper-case text 0.4 (0.5 from three words on), single upper-case words 0.15 each (acronyms such as
 *       "FAQ" or "DHL" excepted); "!!"/"??" 0.15–0.3.
 *   <li>Repetition: a message much like an earlier one (Jaccard ≥ 0.6 on content words) 0.35, more
 *       than once 0.5; "I've asked three times" 0.6.
 *   <li>Repair cues, milder: a correction ("I said Friday", "not what I asked"), a retry ("try
 *       again", "check again"), a question waved away ("I don't care about the area"), a "no, ..."
 *       pushback, each 0.12–0.3, plus 0.15 when the AI's previous reply said it could not help
 *       ("sorry", "unfortunately", "there are no"). Together at most {@link #REPAIR_CAP}: enough for
 *       {@link #DISSATISFIED}, never a handoff by themselves.
 *   <li>Cues combine by noisy-or ({@code 1 - Π(1 - w)}); polite-positive words ("thanks", "that
 *       works", "perfect") then subtract 0.15 each, at most two.
 * </ul>
 *
 * <p>The trend: the turn scores of up to {@link Builder#historyTurns(int) three} earlier messages
 * are computed the same way; scores rising turn over turn add 0.1 per rising step (at most 0.2), and
 * sustained frustration (earlier mean ≥ 0.4) adds 0.2, together at most 0.3, and only when the
 * current turn has some cue of its own: a calm "thanks, that works" stays calm.
 * The result is detected at or above {@link #DEFAULT_THRESHOLD}.
 */
public final class LexicalFrustrationDetector implements FrustrationDetector {

    /** The score from which frustration counts as detected, unless the builder sets another. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /**
     * The score from which a turn counts as <em>dissatisfied</em>: the customer is correcting,
     * repeating or pushing back, usually after an answer that did not help. Below every preset's
     * handoff threshold; analytics and the {@code frustration} eval command read it.
     */
    public static final double DISSATISFIED = 0.25;

    /** The most that repair cues alone (corrections, retries, a failed answer before) can add. */
    public static final double REPAIR_CAP = 0.38;

    /** The word lists: {@code dev/opencx/handoff/frustration/<language>.txt} and {@code common.txt}. */
    private static final WordLists LISTS =
            WordLists.load("dev/opencx/handoff/frustration", LexicalFrustrationDetector.class.getClassLoader());

    private static final Map<String, Double> CUES = LISTS.weights("cues");

    /**
     * Repair cues: the customer corrects, retries or waves a question away. Mild on their own (their
     * sum is capped at {@link #REPAIR_CAP}); they mark the turn dissatisfied, not frustrated.
     */
    private static final Map<String, Double> REPAIR = LISTS.weights("repair");

    /** Words that open a pushback: "no, I need it on Friday", "hmm", "oh no". */
    private static final Set<String> PUSHBACK_OPENERS = LISTS.set("pushback-openers");

    /** In the AI's previous reply: it could not do or find what was asked. */
    private static final List<String> FAILED_REPLY = LISTS.list("failed-reply");

    private static final Map<List<String>, Double> REPAIR_TOKENS = tokenized(REPAIR);
    private static final Map<String, List<List<String>>> REPAIR_BY_FIRST = byFirstWord(REPAIR_TOKENS.keySet());
    private static final List<List<String>> FAILED_REPLY_TOKENS = FAILED_REPLY.stream()
            .map(p -> List.copyOf(TextNormalizer.tokens(p)))
            .toList();

    /** Phrases grouped by their first word, each group longest first: one lookup per position. */
    private static Map<String, List<List<String>>> byFirstWord(java.util.Collection<List<String>> phrases) {
        Map<String, List<List<String>>> out = new HashMap<>();
        phrases.stream()
                .sorted(Comparator.comparingInt((List<String> p) -> p.size())
                        .reversed()
                        .thenComparing(p -> String.join(" ", p)))
                .forEach(p ->
                        out.computeIfAbsent(p.get(0), k -> new ArrayList<>()).add(p));
        out.replaceAll((k, v) -> List.copyOf(v));
        return Map.copyOf(out);
    }

    private static Map<List<String>, Double> tokenized(Map<String, Double> phrases) {
        Map<List<String>, Double> out = new HashMap<>();
        phrases.forEach((p, w) -> out.put(List.copyOf(TextNormalizer.tokens(p)), w));
        return Map.copyOf(out);
    }

    private static final Set<String> INTENSIFIERS = LISTS.set("intensifiers");

    private static final Set<String> NEGATORS = LISTS.set("negators");

    private static final List<List<String>> POSITIVES =
            LISTS.list("positives").stream().map(p -> List.of(p.split(" "))).toList();

    private static final Map<String, List<List<String>>> POSITIVES_BY_FIRST = byFirstWord(POSITIVES);

    private static final Set<String> NUMBERS = LISTS.set("numbers");

    private static final Set<String> REPEAT_VERBS = LISTS.set("repeat-verbs");

    private static final Set<String> ACRONYMS = LISTS.set("acronyms");

    private static final Set<String> STOPWORDS = LISTS.set("stopwords");

    private static final Pattern MASKED_WORD = Pattern.compile("\\b\\p{L}+[*#@$%]+\\p{L}*|\\b\\p{L}[*#@$%]{2,}");
    private static final Pattern SYMBOL_SWEAR = Pattern.compile("[$#@%&*!]{3,}");
    private static final Pattern WORDS = Pattern.compile("\\p{L}+");

    private record Cue(String text, double weight) {}

    private record Turn(double score, List<Cue> cues, List<String> notes) {}

    private final double threshold;
    private final int historyTurns;
    private final Map<List<String>, Double> lexicon;
    private final Map<String, List<List<String>>> phrasesByFirst;

    private LexicalFrustrationDetector(Builder b) {
        this.threshold = b.threshold;
        this.historyTurns = b.historyTurns;
        Map<List<String>, Double> lex = new HashMap<>();
        CUES.forEach((p, w) -> lex.put(List.copyOf(TextNormalizer.tokens(p)), w));
        b.extraCues.forEach((p, w) -> lex.put(List.copyOf(TextNormalizer.tokens(p)), w));
        this.lexicon = Map.copyOf(lex);
        this.phrasesByFirst = byFirstWord(lex.keySet());
    }

    /** A builder with the defaults: threshold 0.5, three turns of history. */
    public static Builder builder() {
        return new Builder();
    }

    /** The threshold in use. */
    public double threshold() {
        return threshold;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if an argument or an element of the history is null
     */
    @Override
    public Detection detect(String text, List<String> previousCustomerTexts) {
        return detect(text, previousCustomerTexts, "");
    }

    /**
     * {@inheritDoc}
     *
     * <p>Besides the frustration cues, repair cues count here: a correction ("I said Friday"), a
     * retry ("can you check again"), a question waved away ("I don't care about the area"), a
     * pushback opener ("no, ..."), weighted up when the previous reply said it could not help. Their
     * sum is capped at {@link #REPAIR_CAP}: they make a turn {@linkplain #DISSATISFIED
     * dissatisfied}, and only frustration cues or the trend take it further.
     *
     * @throws NullPointerException if an argument or an element of the history is null
     */
    @Override
    public Detection detect(String text, List<String> previousCustomerTexts, String previousReply) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(previousCustomerTexts, "previousCustomerTexts");
        Objects.requireNonNull(previousReply, "previousReply");
        previousCustomerTexts.forEach(t -> Objects.requireNonNull(t, "previousCustomerTexts element"));
        if (text.isBlank()) {
            return Detection.none("empty message");
        }
        // each earlier message's content words, once: the current turn and the trend's earlier turns
        // all compare with them
        List<Set<String>> earlierContent = new ArrayList<>(previousCustomerTexts.size());
        previousCustomerTexts.forEach(t -> earlierContent.add(content(t)));
        Turn turn = withRepair(scoreTurn(text, content(text), earlierContent), text, previousReply);

        // trend over the last turns
        int n = previousCustomerTexts.size();
        int from = Math.max(0, n - historyTurns);
        List<Double> seq = new ArrayList<>();
        for (int i = from; i < n; i++) {
            String earlierText = previousCustomerTexts.get(i);
            seq.add(withRepair(
                            scoreTurn(earlierText, earlierContent.get(i), earlierContent.subList(0, i)),
                            earlierText,
                            "")
                    .score());
        }
        double earlierMean =
                seq.stream().mapToDouble(Double::doubleValue).average().orElse(0);
        seq.add(turn.score());
        int rising = 0;
        for (int i = seq.size() - 1; i > 0 && seq.get(i) > seq.get(i - 1) + 0.05; i--) {
            rising++;
        }
        double bonus = 0;
        List<String> notes = new ArrayList<>(turn.notes());
        List<String> evidence = new ArrayList<>();
        turn.cues().forEach(c -> evidence.add(c.text()));
        if (turn.score() > 0) {
            if (rising >= 2) {
                bonus += Math.min(0.2, 0.1 * rising);
                notes.add("rising over " + (rising + 1) + " turns");
                evidence.add("trend: rising over " + (rising + 1) + " turns");
            }
            if (n > 0 && earlierMean >= 0.4) {
                bonus += 0.2;
                notes.add(String.format(Locale.ROOT, "sustained (earlier mean %.2f)", earlierMean));
                evidence.add("trend: sustained");
            }
        }
        bonus = Math.min(0.3, bonus);
        double score = TextNormalizer.clamp01(turn.score() + bonus);
        boolean detected = score >= threshold;
        StringBuilder why = new StringBuilder(detected ? "frustrated" : "not frustrated");
        why.append(String.format(Locale.ROOT, " (turn %.2f", turn.score()));
        if (bonus > 0) {
            why.append(String.format(Locale.ROOT, ", trend +%.2f", bonus));
        }
        why.append(')');
        if (!turn.cues().isEmpty()) {
            why.append(": ");
            for (int i = 0; i < turn.cues().size(); i++) {
                Cue c = turn.cues().get(i);
                why.append(i == 0 ? "" : ", ").append(c.text()).append(String.format(Locale.ROOT, " %.2f", c.weight()));
            }
        } else {
            why.append(": no frustration cue");
        }
        if (!notes.isEmpty()) {
            why.append("; ").append(String.join("; ", notes));
        }
        return new Detection(detected, score, why.toString(), evidence);
    }

    private Turn scoreTurn(String text, Set<String> content, List<Set<String>> earlier) {
        List<Cue> cues = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        int positives = 0;
        for (List<String> clause : TextNormalizer.clauses(text)) {
            int i = 0;
            next:
            while (i < clause.size()) {
                for (List<String> p : phrasesByFirst.getOrDefault(clause.get(i), List.of())) {
                    if (startsWith(clause, i, p)) {
                        double w = lexicon.get(p);
                        String name = "'" + String.join(" ", p) + "'";
                        String negator = negatorBefore(clause, i, p);
                        if (negator != null) {
                            notes.add(name + " negated by '" + negator + "'");
                        } else {
                            if (i > 0 && INTENSIFIERS.contains(clause.get(i - 1))
                                    || i > 1 && INTENSIFIERS.contains(clause.get(i - 2))) {
                                w = Math.min(0.95, w * 1.3);
                                name = name + " (intensified)";
                            }
                            cues.add(new Cue(name, w));
                        }
                        i += p.size();
                        continue next;
                    }
                }
                for (List<String> p : POSITIVES_BY_FIRST.getOrDefault(clause.get(i), List.of())) {
                    if (startsWith(clause, i, p)) {
                        positives++;
                        i += p.size();
                        continue next;
                    }
                }
                if (clause.get(i).equals("times") && i > 0 && NUMBERS.contains(clause.get(i - 1))) {
                    for (int j = Math.max(0, i - 5); j < i; j++) {
                        if (REPEAT_VERBS.contains(clause.get(j))) {
                            cues.add(new Cue("'" + clause.get(j) + " … " + clause.get(i - 1) + " times'", 0.6));
                            break;
                        }
                    }
                } else if (clause.get(i).equals("twice")) {
                    for (int j = Math.max(0, i - 3); j < i; j++) {
                        if (REPEAT_VERBS.contains(clause.get(j))) {
                            cues.add(new Cue("'" + clause.get(j) + " … twice'", 0.6));
                            break;
                        }
                    }
                }
                i++;
            }
        }
        typography(text, cues);
        repetition(content, earlier, cues);

        double keep = 1;
        for (Cue c : cues) {
            keep *= 1 - c.weight();
        }
        double score = 1 - keep;
        if (positives > 0 && score > 0) {
            double damp = 0.15 * Math.min(2, positives);
            score = Math.max(0, score - damp);
            notes.add(String.format(Locale.ROOT, "dampened by polite/positive words (-%.2f)", damp));
        }
        return new Turn(TextNormalizer.clamp01(score), cues, notes);
    }

    /** Adds the capped repair component to a turn's score (noisy-or), with its cues. */
    private static Turn withRepair(Turn turn, String text, String previousReply) {
        List<String> tokens = TextNormalizer.tokens(text);
        if (tokens.isEmpty()) {
            return turn;
        }
        List<Cue> repairs = new ArrayList<>();
        for (int i = 0; i < tokens.size(); ) {
            List<String> match = null;
            for (List<String> phrase : REPAIR_BY_FIRST.getOrDefault(tokens.get(i), List.of())) {
                if (startsWith(tokens, i, phrase)) {
                    match = phrase;
                    break;
                }
            }
            if (match == null) {
                i++;
            } else {
                repairs.add(new Cue("'" + String.join(" ", match) + "' (repair)", REPAIR_TOKENS.get(match)));
                i += match.size();
            }
        }
        if (PUSHBACK_OPENERS.contains(tokens.get(0))) {
            repairs.add(new Cue("opens with '" + tokens.get(0) + "' (repair)", 0.15));
        }
        if (repairs.isEmpty()) {
            return turn;
        }
        List<String> reply = TextNormalizer.tokens(previousReply);
        for (List<String> f : FAILED_REPLY_TOKENS) {
            if (indexOf(reply, f) >= 0) {
                repairs.add(new Cue("after a reply that could not help ('" + String.join(" ", f) + "')", 0.15));
                break;
            }
        }
        double keep = 1;
        for (Cue c : repairs) {
            keep *= 1 - c.weight();
        }
        double repair = Math.min(REPAIR_CAP, 1 - keep);
        int positives = countPositives(tokens);
        List<String> notes = new ArrayList<>(turn.notes());
        if (positives > 0) {
            double damp = 0.15 * Math.min(2, positives);
            repair = Math.max(0, repair - damp);
            notes.add(String.format(Locale.ROOT, "repair dampened by polite/positive words (-%.2f)", damp));
        }
        if (repair <= 0) {
            return new Turn(turn.score(), turn.cues(), notes);
        }
        List<Cue> cues = new ArrayList<>(turn.cues());
        cues.addAll(repairs);
        double score = 1 - (1 - turn.score()) * (1 - repair);
        return new Turn(TextNormalizer.clamp01(score), cues, notes);
    }

    private static int countPositives(List<String> tokens) {
        int n = 0;
        for (int i = 0; i < tokens.size(); i++) {
            for (List<String> p : POSITIVES_BY_FIRST.getOrDefault(tokens.get(i), List.of())) {
                if (startsWith(tokens, i, p)) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static int indexOf(List<String> tokens, List<String> phrase) {
        for (int i = 0; i + phrase.size() <= tokens.size(); i++) {
            if (startsWith(tokens, i, phrase)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(List<String> tokens, int at, List<String> phrase) {
        if (at + phrase.size() > tokens.size()) {
            return false;
        }
        for (int j = 0; j < phrase.size(); j++) {
            if (!tokens.get(at + j).equals(phrase.get(j))) {
                return false;
            }
        }
        return true;
    }

    private static String negatorBefore(List<String> clause, int at, List<String> phrase) {
        if (NEGATORS.contains(phrase.get(0))) {
            return null; // the cue is itself negative: "not helpful", "no help"
        }
        for (int j = at - 1; j >= 0 && j >= at - 3; j--) {
            if (NEGATORS.contains(clause.get(j))) {
                return clause.get(j);
            }
        }
        return null;
    }

    private static void typography(String text, List<Cue> cues) {
        Matcher masked = MASKED_WORD.matcher(text);
        Matcher symbols = SYMBOL_SWEAR.matcher(text);
        boolean maskedFound = masked.find();
        if (!maskedFound && symbols.find()) {
            String run = symbols.group();
            maskedFound = run.chars().filter(ch -> ch != '!').distinct().count() >= 2;
        }
        if (maskedFound) {
            cues.add(new Cue("masked profanity", 0.5));
        }

        int letters = 0;
        int upper = 0;
        int capsWords = 0;
        int words = 0;
        Matcher m = WORDS.matcher(text);
        while (m.find()) {
            String w = m.group();
            words++;
            for (int i = 0; i < w.length(); i++) {
                letters++;
                if (Character.isUpperCase(w.charAt(i))) {
                    upper++;
                }
            }
            if (w.length() >= 3 && w.equals(w.toUpperCase(Locale.ROOT)) && !ACRONYMS.contains(w)) {
                capsWords++;
            }
        }
        if (letters >= 8 && upper >= 0.7 * letters && capsWords >= 2) {
            cues.add(new Cue("ALL CAPS", words >= 3 ? 0.5 : 0.4));
        } else if (capsWords > 0 && words >= 3) {
            cues.add(new Cue("CAPS word" + (capsWords > 1 ? "s" : ""), Math.min(0.3, 0.15 * capsWords)));
        }

        int bang = longestRun(text, '!');
        int question = longestRun(text, '?');
        boolean mixed = text.contains("?!") || text.contains("!?");
        if (mixed || bang >= 3 || question >= 3) {
            cues.add(new Cue(mixed ? "'?!'" : bang >= 3 ? "'!!!'" : "'???'", 0.3));
        } else if (bang == 2 || question == 2) {
            cues.add(new Cue(bang == 2 ? "'!!'" : "'??'", 0.15));
        }
    }

    private static int longestRun(String text, char c) {
        int best = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == c ? run + 1 : 0;
            best = Math.max(best, run);
        }
        return best;
    }

    private static void repetition(Set<String> now, List<Set<String>> earlier, List<Cue> cues) {
        if (now.size() < 2 || earlier.isEmpty()) {
            return;
        }
        int repeats = 0;
        for (Set<String> then : earlier) {
            if (then.isEmpty()) {
                continue;
            }
            int inter = 0;
            for (String w : now) {
                if (then.contains(w)) {
                    inter++;
                }
            }
            int union = now.size() + then.size() - inter;
            if ((double) inter / union >= 0.6) {
                repeats++;
            }
        }
        if (repeats > 0) {
            cues.add(new Cue(
                    "repeats an earlier message" + (repeats > 1 ? " (" + repeats + " times)" : ""),
                    repeats > 1 ? 0.5 : 0.35));
        }
    }

    private static Set<String> content(String text) {
        Set<String> out = new HashSet<>();
        for (String t : TextNormalizer.tokens(text)) {
            if (!STOPWORDS.contains(t)) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "LexicalFrustrationDetector[threshold=" + threshold + ", historyTurns=" + historyTurns + "]";
    }

    /** Builds a {@link LexicalFrustrationDetector}. Not thread-safe; the detector it builds is. */
    public static final class Builder {
        private double threshold = DEFAULT_THRESHOLD;
        private int historyTurns = 3;
        private final Map<String, Double> extraCues = new HashMap<>();

        private Builder() {}

        /**
         * The score from which frustration counts as detected; default {@link #DEFAULT_THRESHOLD}
         * (0.5).
         *
         * @throws IllegalArgumentException unless 0 &lt; threshold &le; 1
         */
        public Builder threshold(double threshold) {
            if (!(threshold > 0 && threshold <= 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1] but was " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * How many earlier customer messages the trend looks at; default 3, 0 turns the trend off.
         *
         * @throws IllegalArgumentException if negative or above 20
         */
        public Builder historyTurns(int turns) {
            if (turns < 0 || turns > 20) {
                throw new IllegalArgumentException("historyTurns must be in [0, 20] but was " + turns);
            }
            this.historyTurns = turns;
            return this;
        }

        /**
         * Adds a cue or overrides the weight of a built-in one.
         *
         * @param phrase words to match, normalized like messages (case and accents ignored), never null
         * @param weight how strongly it signals frustration, in (0, 1)
         * @throws IllegalArgumentException if the phrase has no word or the weight is out of range
         */
        public Builder addCue(String phrase, double weight) {
            Objects.requireNonNull(phrase, "phrase");
            if (TextNormalizer.tokens(phrase).isEmpty()) {
                throw new IllegalArgumentException("cue phrase must contain a word but was '" + phrase + "'");
            }
            if (!(weight > 0 && weight < 1)) {
                throw new IllegalArgumentException(
                        "weight of cue '" + phrase + "' must be in (0, 1) but was " + weight);
            }
            extraCues.put(phrase, weight);
            return this;
        }

        /** The detector. */
        public LexicalFrustrationDetector build() {
            return new LexicalFrustrationDetector(this);
        }
    }
}
