package dev.opencx.responder;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.action.ActionRegistry;
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.ScenarioMatched;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.i18n.WordLists;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.Passage;
import dev.opencx.knowledge.ScenarioMatcher;
import dev.opencx.knowledge.ScoredPassage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The responder that needs no LLM. For each customer message it
 *
 * <ol>
 *   <li>answers with the exact text of a SCENARIO_SPECIFIC training scenario whose triggers match
 *       (similarity at or above the matcher's threshold);
 *   <li>otherwise searches the knowledge store and answers with a short extract of the best passage
 *       (the sentences that best cover the question), citing its article and link, with a
 *       calibrated confidence;
 *   <li>otherwise answers nothing and asks for a human with reason {@code MISSING_KNOWLEDGE}.
 * </ol>
 *
 * It never writes text of its own: every reply is a scenario answer or words of an article.
 *
 * <pre>{@code
 * Responder r = EmbeddedResponder.builder().knowledge(store).scenarios(matcher).build();
 * }</pre>
 */
public final class EmbeddedResponder implements Responder {
    /** Words left out of coverage: {@code dev/opencx/responder/stopwords/<language>.txt}, all languages. */
    private static final Set<String> STOP = WordLists.load(
                    "dev/opencx/responder/stopwords", EmbeddedResponder.class.getClassLoader())
            .set("stopwords");

    /** The default similarity a message needs to an action to be taken as asking for it. */
    public static final double DEFAULT_ACTION_THRESHOLD = 0.65;

    private final KnowledgeStore knowledge;
    private final ScenarioMatcher scenarios;
    private final int maxPassages;
    private final int maxExtractChars;
    private final ConfidenceModel confidence;
    private final ActionIntents actions; // null without actions

    /**
     * Maps retrieval signals to the probability that the best passage answers the question: a
     * logistic function of the question's similarity to the best hit ({@link #similarity}), the
     * margin of that similarity over the runner-up document, and the gap between the two documents'
     * fused (BM25 + vector) scores, and how many of the question's words the best hit contains. The
     * defaults were fitted with {@code opencx-eval calibrate} on StackFAQ dev queries and the
     * quickstart's calibration questions (see BENCHMARKS.md); fit your own with the same command on
     * your help center and a hundred labelled questions.
     */
    public record ConfidenceModel(
            double bias, double similarityWeight, double marginWeight, double fusedGapWeight, double coverageWeight) {
        public static ConfidenceModel defaults() {
            return new ConfidenceModel(-8.483, 11.727, 3.595, 4.521, 0.0);
        }

        /** The probability that an answer with these signals ({@link #features}) is right. */
        public double of(double[] f) {
            double z = bias
                    + similarityWeight * f[0]
                    + marginWeight * f[1]
                    + fusedGapWeight * f[2]
                    + coverageWeight * f[3];
            return 1 / (1 + Math.exp(-z));
        }

        /**
         * The signals of a result list for a question, best hit first: {similarity, margin over the
         * runner-up, fused-score gap, share of the question's words found in the best hit}.
         */
        public static double[] features(String question, List<ScoredPassage> hits) {
            if (hits.isEmpty()) {
                return new double[] {0, 0, 0, 0};
            }
            double s1 = similarity(hits.get(0));
            double s2 = hits.size() > 1 ? similarity(hits.get(1)) : 0;
            double f1 = hits.get(0).signal("fused", hits.get(0).score());
            double f2 =
                    hits.size() > 1 ? hits.get(1).signal("fused", hits.get(1).score()) : 0;
            double gap = f1 > 0 ? Math.max(0, (f1 - f2) / f1) : 0;
            return new double[] {s1, Math.max(0, s1 - s2), gap, coverage(question, hits.get(0))};
        }
    }

    /** Share of the question's content words (stemmed, no stop words) found in the hit's title, heading or text. */
    public static double coverage(String question, ScoredPassage hit) {
        Set<String> q = terms(question);
        if (q.isEmpty()) {
            return 0;
        }
        Passage p = hit.passage();
        Set<String> doc = terms(p.title() + " " + p.heading() + " " + p.text());
        int found = 0;
        for (String t : q) {
            if (doc.contains(t)) {
                found++;
            }
        }
        return (double) found / q.size();
    }

    private EmbeddedResponder(Builder b) {
        this.knowledge = b.knowledge;
        this.scenarios = b.scenarios;
        this.maxPassages = b.maxPassages;
        this.maxExtractChars = b.maxExtractChars;
        this.confidence = b.confidence;
        this.actions = b.actions == null ? null : new ActionIntents(b.actions, b.actionModel, b.actionThreshold);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Reply respond(ResponderRequest req) {
        String text = req.message().text();
        Map<String, Object> ev = new LinkedHashMap<>();
        if (actions != null) {
            Optional<Reply> acted = actions.respond(req, ev);
            if (acted.isPresent()) {
                return acted.get();
            }
        }
        if (scenarios != null) {
            Optional<ScenarioMatcher.Match> best = scenarios.best(text);
            if (best.isPresent()) {
                ScenarioMatcher.Match m = best.get();
                ev.put("scenario_best", m.scenario().id());
                ev.put("scenario_similarity", round(m.similarity()));
                ev.put("scenario_threshold", m.threshold());
                if (m.similarity() >= m.threshold()) {
                    req.log()
                            .accept(new ScenarioMatched(
                                    m.scenario().id(), m.scenario().title(), round(m.similarity()), m.threshold()));
                    double conf = Math.min(
                            1, 0.75 + 0.25 * (m.similarity() - m.threshold()) / Math.max(1e-9, 1 - m.threshold()));
                    return Reply.answer(
                            m.scenario().answer(),
                            round(conf),
                            List.of(),
                            String.format(
                                    Locale.ROOT,
                                    "scenario '%s' matched \"%s\" (similarity %.2f >= %.2f)",
                                    m.scenario().id(),
                                    m.trigger(),
                                    m.similarity(),
                                    m.threshold()),
                            ev);
                }
            }
        }
        List<ScoredPassage> hits = knowledge.search(new KnowledgeQuery(text, req.locale(), maxPassages, true));
        List<KnowledgeRetrieved.Hit> logged = new ArrayList<>();
        for (ScoredPassage h : hits) {
            logged.add(new KnowledgeRetrieved.Hit(
                    h.passage().id(), h.passage().documentId(), h.passage().title(), round(h.score()), h.signals()));
        }
        req.log().accept(new KnowledgeRetrieved(text, logged));
        if (hits.isEmpty()) {
            return Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "no help-center passage matched the question", ev);
        }
        ScoredPassage best = hits.get(0);
        double[] f = ConfidenceModel.features(text, hits);
        double conf = round(confidence.of(f));
        ev.put("passage", best.passage().id());
        ev.put("similarity", round(f[0]));
        ev.put("margin", round(f[1]));
        ev.put("fused_gap", round(f[2]));
        ev.put("coverage", round(f[3]));
        String extract = extract(best.passage().text(), text, maxExtractChars);
        String why = String.format(
                Locale.ROOT,
                "best passage (similarity %.2f, margin %.2f, fused gap %.2f, coverage %.2f) -> confidence %.2f",
                f[0],
                f[1],
                f[2],
                f[3],
                conf);
        if (extract.isBlank()) {
            return Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "the best passage is empty: " + why, ev);
        }
        return Reply.answer(extract, conf, List.of(best.passage().citation()), why, ev);
    }

    /**
     * How close a hit is in meaning to the question: the larger of the cosine similarities of the
     * question with the passage ({@code vector}) and with its document's title ({@code
     * vector_title}); 0 when the store reports neither.
     */
    public static double similarity(ScoredPassage hit) {
        return Math.max(hit.signal("vector", 0), hit.signal("vector_title", 0));
    }

    /**
     * The sentences of a passage that best cover the question: the best-scoring sentence and its
     * neighbours, up to {@code maxChars}; the whole passage when it is short enough.
     */
    static String extract(String passage, String question, int maxChars) {
        String p = passage.strip();
        if (p.length() <= maxChars) {
            return p;
        }
        String[] sentences = p.split("(?<=[.!?])\\s+|\\n+");
        Set<String> q = terms(question);
        int bestIdx = 0;
        double bestScore = -1;
        for (int i = 0; i < sentences.length; i++) {
            Set<String> s = terms(sentences[i]);
            double overlap = 0;
            for (String t : s) {
                if (q.contains(t)) {
                    overlap++;
                }
            }
            double score = overlap - 0.05 * i;
            if (score > bestScore) {
                bestScore = score;
                bestIdx = i;
            }
        }
        StringBuilder sb = new StringBuilder(sentences[bestIdx].strip());
        int lo = bestIdx - 1;
        int hi = bestIdx + 1;
        while (true) {
            boolean grew = false;
            if (hi < sentences.length && sb.length() + 1 + sentences[hi].length() <= maxChars) {
                sb.append(' ').append(sentences[hi].strip());
                hi++;
                grew = true;
            } else if (lo >= 0
                    && bestIdx - lo <= 1
                    && sb.length() + 1 + sentences[lo].length() <= maxChars
                    && terms(sentences[lo]).stream().anyMatch(q::contains)) {
                sb.insert(0, sentences[lo].strip() + ' ');
                lo--;
                grew = true;
            }
            if (!grew) {
                break;
            }
        }
        String out = sb.toString();
        return out.length() <= maxChars
                ? out
                : out.substring(0, Math.max(0, maxChars - 3)).strip() + "...";
    }

    private static Set<String> terms(String text) {
        Set<String> out = new HashSet<>();
        for (String t : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (t.length() < 2 || STOP.contains(t)) {
                continue;
            }
            out.add(stem(t));
        }
        return out;
    }

    private static String stem(String t) {
        if (t.length() > 5 && t.endsWith("ing")) {
            return t.substring(0, t.length() - 3);
        }
        if (t.length() > 4 && t.endsWith("ed")) {
            return t.substring(0, t.length() - 2);
        }
        if (t.length() > 3 && t.endsWith("s")) {
            return t.substring(0, t.length() - 1);
        }
        return t;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Builds an {@link EmbeddedResponder}. */
    public static final class Builder {
        private KnowledgeStore knowledge;
        private ScenarioMatcher scenarios;
        private int maxPassages = 3;
        private int maxExtractChars = 480;
        private ConfidenceModel confidence = ConfidenceModel.defaults();
        private ActionRegistry actions;
        private EmbeddingModel actionModel;
        private double actionThreshold = DEFAULT_ACTION_THRESHOLD;

        private Builder() {}

        /**
         * Lets the responder call actions: a message is matched to an action by meaning (its
         * description and {@link dev.opencx.action.ActionSettings#examples() examples}) before the
         * help center is searched; parameters are filled from the message, missing ones asked for,
         * confirmation asked when required, and the reply written from the action's {@link
         * dev.opencx.action.ReplyTemplate}. Which actions a turn may use comes from {@link
         * ResponderRequest#actions()}. {@code OpenCx.builder().actions(...)} sets this for the
         * default responder.
         */
        public Builder actions(ActionRegistry actions, EmbeddingModel model) {
            this.actions = Objects.requireNonNull(actions, "actions");
            this.actionModel = Objects.requireNonNull(model, "embedding model");
            return this;
        }

        /** The similarity a message needs to an action's description or examples (default 0.65). */
        public Builder actionThreshold(double threshold) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("action threshold must be within (0, 1), was " + threshold);
            }
            this.actionThreshold = threshold;
            return this;
        }

        /** The knowledge to answer from (required). */
        public Builder knowledge(KnowledgeStore knowledge) {
            this.knowledge = Objects.requireNonNull(knowledge, "knowledge");
            return this;
        }

        /** Training scenarios to match first; null for none. */
        public Builder scenarios(ScenarioMatcher scenarios) {
            this.scenarios = scenarios;
            return this;
        }

        /** Passages retrieved (and logged) per question, 1..50 (default 3: the best answers, the runner-up sets the margins). */
        public Builder maxPassages(int n) {
            if (n < 1 || n > 50) {
                throw new IllegalArgumentException("maxPassages must be 1..50, was " + n);
            }
            this.maxPassages = n;
            return this;
        }

        /** Longest extract quoted from a passage (default 480 characters, at least 80). */
        public Builder maxExtractChars(int n) {
            if (n < 80) {
                throw new IllegalArgumentException("maxExtractChars must be >= 80, was " + n);
            }
            this.maxExtractChars = n;
            return this;
        }

        public Builder confidence(ConfidenceModel model) {
            this.confidence = Objects.requireNonNull(model, "confidence");
            return this;
        }

        public EmbeddedResponder build() {
            if (knowledge == null) {
                throw new IllegalStateException("EmbeddedResponder needs a knowledge store: call knowledge(...)");
            }
            return new EmbeddedResponder(this);
        }
    }
}
