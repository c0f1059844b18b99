package dev.opencx.handoff;

import dev.opencx.i18n.WordLists;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Detects explicit requests for a human with hand-written rules over normalized words, in English
 * and (basic) Spanish. Immutable and thread-safe; holds no message text.
 *
 * <pre>{@code
 * HumanRequestDetector detector = RuleBasedHumanRequestDetector.builder()
 *         .addTarget("concierge")                // "let me talk to the concierge"
 *         .addIgnoredPhrase("insurance broker")
 *         .build();
 * detector.detect("can I tlak to a humna?");       // detected, 0.86, typos read as talk, human
 * detector.detect("no need for an agent");         // not detected: negated
 * }</pre>
 *
 * <h2>How it decides</h2>
 *
 * <ol>
 *   <li>The text is normalized (lower-case, accents folded, contractions expanded, punctuation
 *       stripped) and cut into clauses at punctuation and at "but"/"pero".
 *   <li>Words are tagged with a small lexicon: <em>targets</em> (human, person, agent,
 *       representative, operator, customer service, …; weak ones: someone, anyone), <em>contact
 *       verbs</em> (talk, speak, chat, call, transfer, connect, …), <em>asking verbs</em> (want,
 *       need, get, give, would like, …), negations, and bot words. Words of four letters or more
 *       that are one edit (two from ten letters) away from a lexicon word count as that word
 *       ("humna", "reprsentative", "tlak"), except real words that sit that close ("walk", "that",
 *       "went").
 *   <li>Look-alikes are absorbed before tagging and never count: "human resources", "travel
 *       agent", "real estate agent", "user agent", "in person", "recursos humanos", … .
 *   <li>For each target the detector walks back through the clause over filler words; a contact
 *       or asking verb found there makes a request ("get me a human", "speak with someone"), as do
 *       "is there a human", a clause that is only the target ("agent please", "human!!!"), and
 *       "stop the bot"-style rejections of the bot. Past tenses do not count, so "the agent I spoke
 *       to said…" is a mention, not a request.
 *   <li>A negation in that walk ("not", "no", "never", "without", "no necesito") cancels the
 *       request, except for inability ("why can't I talk to a human?", which is a request).
 * </ol>
 *
 * <p><b>Decided edge cases.</b> A question about the assistant's identity ("are you a human?",
 * "am I talking to a real person?", "is this a bot?") is <em>not</em> a request: the assistant can
 * answer it truthfully, and a customer who then wants a human will say so. A weak target with only
 * an asking verb ("I need someone to fix my router") scores below the threshold.
 *
 * <p>Scores: contact verb + target 0.95, asking verb + target 0.9, bare target 0.9, "is there a
 * human" 0.8, contact verb + weak target 0.8, "transfer me"/"escalate" 0.75, bot rejection 0.7;
 * typos multiply by 0.9; a second independent cue adds 0.05. Detected at or above {@link
 * #DEFAULT_THRESHOLD} unless the builder says otherwise.
 */
public final class RuleBasedHumanRequestDetector implements HumanRequestDetector {

    /** The score from which a request counts as detected, unless the builder sets another. */
    public static final double DEFAULT_THRESHOLD = 0.5;

    /** The word lists: {@code dev/opencx/handoff/human-request/<language>.txt}. */
    private static final WordLists LISTS =
            WordLists.load("dev/opencx/handoff/human-request", RuleBasedHumanRequestDetector.class.getClassLoader());

    private static final Map<String, Map<Kind, List<String>>> LEXICON = lexicon();

    private static Map<String, Map<Kind, List<String>>> lexicon() {
        Map<String, Map<Kind, List<String>>> out = new HashMap<>();
        for (String language : LISTS.languages()) {
            Map<Kind, List<String>> kinds = new EnumMap<>(Kind.class);
            for (Kind k : Kind.values()) {
                if (k != Kind.EXTRA) {
                    List<String> entries = LISTS.list(
                            language, k.name().toLowerCase(Locale.ROOT).replace('_', '-'));
                    if (!entries.isEmpty()) {
                        kinds.put(k, entries);
                    }
                }
            }
            if (!kinds.isEmpty()) {
                out.put(language, Collections.unmodifiableMap(kinds));
            }
        }
        return Map.copyOf(out);
    }

    /**
     * Locales with a built-in lexicon: those of {@code dev/opencx/i18n/languages.txt} that have a file
     * {@code dev/opencx/handoff/human-request/<language>.txt} (en and es ship with OpenCX).
     */
    public static final Set<String> SUPPORTED_LOCALES = Set.copyOf(LEXICON.keySet());

    enum Kind {
        TARGET,
        WEAK_TARGET,
        CONTACT,
        ASK,
        NEGATION,
        BOT,
        BOT_AVERSION,
        IGNORED,
        CUE_ONLY,
        EXTRA
    }

    private record Phrase(List<String> words, Kind kind) {}

    private record Unit(String text, Kind kind, String canonical, boolean fuzzy) {
        boolean is(Kind k) {
            return kind == k;
        }

        boolean isTarget() {
            return kind == Kind.TARGET || kind == Kind.WEAK_TARGET;
        }
    }

    private static final java.util.regex.Pattern COORDINATED_ADJECTIVES = java.util.regex.Pattern.compile(
            "(?iu)\\b(real|live|actual|genuine|humana?)\\s*,\\s*(?=(real|live|actual|genuine|humana?)\\b)");

    private record Hit(double score, boolean negated, boolean identity, String explanation, List<String> evidence) {}

    // ---------------------------------------------------------------- lexicon

    /** Words the backward walk from a target may cross. */
    private static final Set<String> FILLERS = LISTS.set("fillers");

    /** Words a bare-target clause may contain besides targets ("agent please", "un agente por favor"). */
    private static final Set<String> SHORT_FILLERS = LISTS.set("short-fillers");

    /** Real words one edit away from a lexicon word: never read as a typo. */
    private static final Set<String> PROTECTED = LISTS.set("protected");

    /** Lexicon words a typo may stand for. */
    private static final Set<String> FUZZY_ELIGIBLE = LISTS.set("fuzzy");

    private static final Set<String> CUE_ONLY_FOLLOWERS = LISTS.set("cue-followers");

    private final double threshold;
    private final boolean fuzzyMatching;
    private final Set<String> locales;
    private final Map<String, Kind> words;
    private final List<Phrase> phrases;
    private final List<String> fuzzyWords;

    private RuleBasedHumanRequestDetector(Builder b) {
        this.threshold = b.threshold;
        this.fuzzyMatching = b.fuzzyMatching;
        this.locales = Set.copyOf(b.locales);
        Map<String, Kind> w = new HashMap<>();
        List<Phrase> p = new ArrayList<>();
        for (String locale : new TreeSet<>(b.locales)) {
            LEXICON.get(locale).forEach((kind, entries) -> entries.forEach(e -> add(w, p, kind, e)));
        }
        b.targets.forEach(e -> add(w, p, Kind.TARGET, e));
        b.ignored.forEach(e -> add(w, p, Kind.IGNORED, e));
        b.phrases.forEach(e -> add(w, p, Kind.EXTRA, e));
        p.sort(Comparator.comparingInt((Phrase ph) -> ph.words().size()).reversed());
        this.words = Map.copyOf(w);
        this.phrases = List.copyOf(p);
        List<String> fz = new ArrayList<>();
        for (String word : new TreeSet<>(FUZZY_ELIGIBLE)) {
            Kind k = w.get(word);
            if (k != null) {
                fz.add(word);
            }
        }
        b.targets.stream()
                .map(TextNormalizer::tokens)
                .filter(t -> t.size() == 1)
                .forEach(t -> fz.add(t.get(0)));
        this.fuzzyWords = List.copyOf(fz);
    }

    private static void add(Map<String, Kind> words, List<Phrase> phrases, Kind kind, String entry) {
        List<String> tokens = TextNormalizer.tokens(entry);
        if (tokens.size() == 1 && kind != Kind.EXTRA && kind != Kind.CUE_ONLY) {
            words.putIfAbsent(tokens.get(0), kind);
        } else if (!tokens.isEmpty()) {
            phrases.add(new Phrase(List.copyOf(tokens), kind));
        }
    }

    /** A builder with the defaults: English and Spanish, fuzzy matching on, threshold 0.5. */
    public static Builder builder() {
        return new Builder();
    }

    /** The threshold in use. */
    public double threshold() {
        return threshold;
    }

    /** The locales whose lexicons are in use. */
    public Set<String> locales() {
        return locales;
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if text is null
     */
    @Override
    public Detection detect(String text) {
        Objects.requireNonNull(text, "text");
        List<Hit> hits = new ArrayList<>();
        // "a real, live person" is one noun phrase: the comma must not cut it into two clauses
        String joined = COORDINATED_ADJECTIVES.matcher(text).replaceAll("$1 ");
        for (List<String> clause : TextNormalizer.clauses(joined)) {
            analyzeClause(annotate(clause), hits);
        }
        return decide(hits);
    }

    /**
     * Like {@link #detect(String)}; a request repeated from an earlier turn scores a little higher
     * and says so.
     *
     * @throws NullPointerException if an argument is null
     */
    @Override
    public Detection detect(String text, List<String> previousCustomerTexts) {
        Objects.requireNonNull(previousCustomerTexts, "previousCustomerTexts");
        Detection current = detect(text);
        if (!current.detected()) {
            return current;
        }
        long before = previousCustomerTexts.stream()
                .filter(Objects::nonNull)
                .filter(t -> detect(t).detected())
                .count();
        if (before == 0) {
            return current;
        }
        return new Detection(
                true,
                TextNormalizer.clamp01(current.score() + 0.03 * before),
                current.explanation() + "; asked " + before + " time(s) before in this session",
                current.evidence());
    }

    // ---------------------------------------------------------------- analysis

    private List<Unit> annotate(List<String> tokens) {
        List<Unit> units = new ArrayList<>();
        int i = 0;
        next:
        while (i < tokens.size()) {
            for (Phrase p : phrases) {
                int n = p.words().size();
                if (i + n <= tokens.size() && phraseMatches(p, tokens, i)) {
                    units.add(new Unit(
                            String.join(" ", tokens.subList(i, i + n)), p.kind(), String.join(" ", p.words()), false));
                    i += n;
                    continue next;
                }
            }
            String t = tokens.get(i);
            Kind k = words.get(t);
            if (k != null || FILLERS.contains(t)) {
                units.add(new Unit(t, k, t, false));
            } else {
                String typoOf = typoOf(t);
                units.add(typoOf == null ? new Unit(t, null, t, false) : new Unit(t, words.get(typoOf), typoOf, true));
            }
            i++;
        }
        return units;
    }

    private boolean phraseMatches(Phrase p, List<String> tokens, int from) {
        List<String> phrase = p.words();
        boolean fuzzy = fuzzyMatching && p.kind() != Kind.IGNORED && p.kind() != Kind.EXTRA;
        for (int j = 0; j < phrase.size(); j++) {
            String want = phrase.get(j);
            String got = tokens.get(from + j);
            if (!want.equals(got) && !(fuzzy && want.length() >= 5 && isTypo(got, want))) {
                return false;
            }
        }
        return true;
    }

    private String typoOf(String token) {
        if (!fuzzyMatching || token.length() < 4 || PROTECTED.contains(token)) {
            return null;
        }
        for (String w : fuzzyWords) {
            if (isTypo(token, w)) {
                return w;
            }
        }
        return null;
    }

    private static boolean isTypo(String token, String word) {
        if (token.length() < 4 || PROTECTED.contains(token)) {
            return false;
        }
        int allowed = TextNormalizer.allowedEdits(word.length());
        return allowed > 0 && TextNormalizer.distance(token, word, allowed) <= allowed;
    }

    private void analyzeClause(List<Unit> units, List<Hit> hits) {
        boolean clauseHasTarget = units.stream().anyMatch(u -> u.is(Kind.TARGET));
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            if (u.isTarget()) {
                Hit h = targetHit(units, i);
                if (h != null) {
                    hits.add(h);
                }
            } else if (u.is(Kind.BOT)) {
                Hit h = botHit(units, i);
                if (h != null) {
                    hits.add(h);
                }
            } else if (u.is(Kind.CUE_ONLY) && !clauseHasTarget) {
                Hit h = cueOnlyHit(units, i);
                if (h != null) {
                    hits.add(h);
                }
            } else if (u.is(Kind.EXTRA)) {
                hits.add(extraHit(units, i));
            }
        }
    }

    /** What the backward walk from a unit found. */
    private static final class Walk {
        Unit contact;
        Unit ask;
        Unit negation;
        Unit aversion;
        boolean inability;
        boolean existential;
        boolean identity;
        boolean typo;
        int leftmost;
        final List<String> negations = new ArrayList<>();
    }

    private static Walk walkBack(List<Unit> units, int at) {
        Walk w = new Walk();
        w.leftmost = at;
        w.typo = units.get(at).fuzzy();
        int j = at - 1;
        for (; j >= 0 && at - j <= 10; j--) {
            Unit u = units.get(j);
            if (u.kind() == null && !FILLERS.contains(u.text())) {
                break;
            }
            if (u.is(Kind.IGNORED) || u.is(Kind.EXTRA)) {
                break;
            }
            if (u.is(Kind.CONTACT) || u.is(Kind.CUE_ONLY)) {
                w.contact = u;
                w.leftmost = j;
                w.typo |= u.fuzzy();
            } else if (u.is(Kind.ASK)) {
                if (w.ask == null) {
                    w.ask = u;
                }
                w.leftmost = j;
                w.typo |= u.fuzzy();
            } else if (u.is(Kind.NEGATION)) {
                boolean canBefore = j > 0
                        && Set.of("can", "could").contains(units.get(j - 1).text());
                if (canBefore) {
                    w.inability = true;
                } else if (w.negation == null) {
                    w.negation = u;
                }
                w.negations.add(u.text());
            } else if (u.is(Kind.BOT_AVERSION)) {
                w.aversion = u;
            } else if (u.text().equals("there")
                    && j > 0
                    && Set.of("is", "are").contains(units.get(j - 1).text())) {
                w.existential = true;
            } else if (u.text().equals("hay")) {
                w.existential = true;
            }
        }
        // identity question right before the first cue (or the target): "am I talking to", "are you a"
        int k = (w.contact != null || w.ask != null) ? w.leftmost - 1 : at - 1;
        while (k >= 0
                && Set.of("a", "an", "the", "really", "actually", "real", "live", "just", "un", "una", "con")
                        .contains(units.get(k).text())) {
            k--;
        }
        if (k >= 0) {
            String last = units.get(k).text();
            String prev = k > 0 ? units.get(k - 1).text() : "";
            w.identity = (prev.equals("am") && last.equals("i"))
                    || (prev.equals("are") && last.equals("you"))
                    || (prev.equals("is") && (last.equals("this") || last.equals("it")))
                    || last.equals("eres")
                    || last.equals("hablo")
                    || (prev.equals("es") && last.equals("usted"));
        }
        return w;
    }

    private Hit targetHit(List<Unit> units, int at) {
        Unit target = units.get(at);
        if (at > 0 && units.get(at - 1).isTarget()) {
            return null; // "human agent": the first target already speaks for both
        }
        boolean weak = target.is(Kind.WEAK_TARGET);
        Walk w = walkBack(units, at);
        boolean forwardContact = false;
        if (w.contact == null && (w.ask != null || w.existential)) {
            for (int j = at + 1; j < units.size() && j <= at + 4; j++) {
                if (units.get(j).is(Kind.CONTACT)
                        && Set.of("i", "to", "can", "could", "que", "puedo", "con")
                                .contains(units.get(j - 1).text())) {
                    forwardContact = true;
                    break;
                }
            }
        }
        boolean bare = !weak
                && units.size() <= 6
                && units.stream().allMatch(u -> u.isTarget() || SHORT_FILLERS.contains(u.text()));
        String what = describe(target);

        double score;
        String how;
        if (w.contact != null || forwardContact) {
            score = weak ? 0.8 : 0.95;
            how = "'" + (w.contact != null ? w.contact.canonical() : "talk") + "' + " + what;
        } else if (w.ask != null) {
            score = weak ? 0.4 : 0.9;
            how = "'" + w.ask.canonical() + "' + " + what;
        } else if (bare) {
            score = 0.9;
            how = "bare " + what;
        } else if (w.existential) {
            score = weak ? 0.35 : 0.8;
            how = "'is there' + " + what;
        } else {
            if (w.identity) {
                return new Hit(0.15, false, true, "question about the assistant's identity, not a request", List.of());
            }
            return new Hit(weak ? 0 : 0.1, false, false, "mentions " + what + " without asking for one", List.of());
        }
        if (w.typo) {
            score *= 0.9;
        }
        List<String> evidence = new ArrayList<>();
        evidence.add(span(units, w.leftmost, at));
        if (w.typo) {
            for (int j = w.leftmost; j <= at; j++) {
                if (units.get(j).fuzzy()) {
                    evidence.add("typo '" + units.get(j).text() + "' read as '"
                            + units.get(j).canonical() + "'");
                }
            }
        }
        if (w.identity) {
            return new Hit(0.15, false, true, "question about the assistant's identity, not a request", evidence);
        }
        if (w.negation != null) {
            evidence.add("negation '" + w.negation.text() + "'");
            return new Hit(
                    0.05, true, false, "request for " + what + " negated by '" + w.negation.text() + "'", evidence);
        }
        return new Hit(
                score, false, false, "asks for a human: " + how + (w.inability ? " (cannot reach one)" : ""), evidence);
    }

    private Hit botHit(List<Unit> units, int at) {
        Walk w = walkBack(units, at);
        if (w.identity) {
            return new Hit(0.15, false, true, "question about the assistant's identity, not a request", List.of());
        }
        boolean directNo = at > 0
                && units.get(at - 1).is(Kind.NEGATION)
                && units.get(at - 1).text().equals("no");
        boolean negatedWish = w.negation != null && (w.contact != null || w.ask != null);
        if (w.aversion != null || directNo || negatedWish) {
            String cue = w.aversion != null ? w.aversion.canonical() : w.negation != null ? w.negation.text() : "no";
            return new Hit(
                    0.7,
                    false,
                    false,
                    "rejects the bot: '" + cue + "' + '" + units.get(at).canonical() + "'",
                    List.of(span(units, Math.min(w.leftmost, at), at)));
        }
        return null;
    }

    private Hit cueOnlyHit(List<Unit> units, int at) {
        Unit cue = units.get(at);
        Unit after = at + 1 < units.size() ? units.get(at + 1) : null;
        if (after != null && !CUE_ONLY_FOLLOWERS.contains(after.text()) && !after.isTarget()) {
            return null;
        }
        if (cue.canonical().equals("connect me")
                && after != null
                && !after.isTarget()
                && !Set.of("please", "now", "asap", "right", "immediately").contains(after.text())) {
            return null; // "connect me to paypal"
        }
        Walk w = walkBack(units, at);
        if (w.negation != null || (at > 0 && units.get(at - 1).is(Kind.NEGATION))) {
            String neg =
                    w.negation != null ? w.negation.text() : units.get(at - 1).text();
            return new Hit(
                    0.05,
                    true,
                    false,
                    "'" + cue.canonical() + "' negated by '" + neg + "'",
                    List.of(cue.text(), "negation '" + neg + "'"));
        }
        return new Hit(0.75, false, false, "asks to be handed over: '" + cue.canonical() + "'", List.of(cue.text()));
    }

    private Hit extraHit(List<Unit> units, int at) {
        Unit u = units.get(at);
        for (int j = at - 1; j >= 0 && j >= at - 3; j--) {
            if (units.get(j).is(Kind.NEGATION)) {
                return new Hit(
                        0.05,
                        true,
                        false,
                        "configured phrase '" + u.canonical() + "' negated by '"
                                + units.get(j).text() + "'",
                        List.of(u.text()));
            }
        }
        return new Hit(0.9, false, false, "configured request phrase '" + u.canonical() + "'", List.of(u.text()));
    }

    private Detection decide(List<Hit> hits) {
        Hit best = null;
        int positives = 0;
        for (Hit h : hits) {
            if (!h.negated() && !h.identity() && h.score() >= 0.5) {
                positives++;
            }
            if (!h.negated() && !h.identity() && (best == null || h.score() > best.score())) {
                best = h;
            }
        }
        if (best != null && best.score() > 0.1) {
            double score = TextNormalizer.clamp01(best.score() + (positives > 1 ? 0.05 : 0));
            List<String> evidence = new ArrayList<>();
            hits.stream().filter(h -> !h.negated() && h.score() >= 0.3).forEach(h -> evidence.addAll(h.evidence()));
            return new Detection(
                    score >= threshold, score, best.explanation(), new ArrayList<>(new LinkedHashSet<>(evidence)));
        }
        for (Hit h : hits) {
            if (h.negated()) {
                return new Detection(false, h.score(), h.explanation(), h.evidence());
            }
        }
        for (Hit h : hits) {
            if (h.identity()) {
                return new Detection(false, h.score(), h.explanation(), h.evidence());
            }
        }
        if (best != null) {
            return new Detection(false, best.score(), best.explanation(), best.evidence());
        }
        return Detection.none("no request for a human");
    }

    private static String describe(Unit target) {
        return target.fuzzy()
                ? "'" + target.canonical() + "' (typo '" + target.text() + "')"
                : "'" + target.canonical() + "'";
    }

    private static String span(List<Unit> units, int from, int to) {
        StringBuilder sb = new StringBuilder();
        for (int j = from; j <= to; j++) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(units.get(j).text());
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return "RuleBasedHumanRequestDetector[locales=" + new TreeSet<>(locales) + ", threshold=" + threshold
                + ", fuzzy=" + fuzzyMatching + "]";
    }

    /** Builds a {@link RuleBasedHumanRequestDetector}. Not thread-safe; the detector it builds is. */
    public static final class Builder {
        private double threshold = DEFAULT_THRESHOLD;
        private boolean fuzzyMatching = true;
        private final Set<String> locales = new LinkedHashSet<>(new TreeSet<>(SUPPORTED_LOCALES));
        private final List<String> targets = new ArrayList<>();
        private final List<String> ignored = new ArrayList<>();
        private final List<String> phrases = new ArrayList<>();

        private Builder() {}

        /**
         * The score from which a request counts as detected; default {@link #DEFAULT_THRESHOLD} (0.5).
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

        /** Whether to read near-misses ("humna") as lexicon words; default true. */
        public Builder fuzzyMatching(boolean enabled) {
            this.fuzzyMatching = enabled;
            return this;
        }

        /**
         * The built-in lexicons to use, from {@link #SUPPORTED_LOCALES}; default all of them ({@code en, es}).
         *
         * @throws IllegalArgumentException if empty or a locale is unsupported (named in the message)
         * @throws NullPointerException if an element is null
         */
        public Builder locales(String... locales) {
            Objects.requireNonNull(locales, "locales");
            if (locales.length == 0) {
                throw new IllegalArgumentException(
                        "locales must not be empty; supported: " + new TreeSet<>(SUPPORTED_LOCALES));
            }
            Set<String> chosen = new LinkedHashSet<>();
            for (String l : locales) {
                String norm = Objects.requireNonNull(l, "locale").toLowerCase(Locale.ROOT);
                if (!SUPPORTED_LOCALES.contains(norm)) {
                    throw new IllegalArgumentException(
                            "unsupported locale '" + l + "'; supported: " + new TreeSet<>(SUPPORTED_LOCALES));
                }
                chosen.add(norm);
            }
            this.locales.clear();
            this.locales.addAll(chosen);
            return this;
        }

        /**
         * Another word or phrase that names a human to ask for, e.g. "concierge", "account manager".
         * It then works with the verbs and negations like the built-in ones.
         */
        public Builder addTarget(String wordOrPhrase) {
            targets.add(checked(wordOrPhrase, "target"));
            return this;
        }

        /** A phrase that looks like a target but is not, e.g. "insurance broker"; it never counts. */
        public Builder addIgnoredPhrase(String phrase) {
            ignored.add(checked(phrase, "ignored phrase"));
            return this;
        }

        /**
         * A whole phrase that is a request on its own, e.g. "escalate to tier 2"; detected with score
         * 0.9 unless a negation precedes it.
         */
        public Builder addRequestPhrase(String phrase) {
            phrases.add(checked(phrase, "request phrase"));
            return this;
        }

        private static String checked(String value, String what) {
            Objects.requireNonNull(value, what);
            if (TextNormalizer.tokens(value).isEmpty()) {
                throw new IllegalArgumentException(what + " must contain a word but was '" + value + "'");
            }
            return value;
        }

        /** The detector. */
        public RuleBasedHumanRequestDetector build() {
            return new RuleBasedHumanRequestDetector(this);
        }
    }
}
