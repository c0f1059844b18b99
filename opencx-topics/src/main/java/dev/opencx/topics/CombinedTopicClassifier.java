package dev.opencx.topics;

import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.autopilot.TopicScore;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fast classifier that decides when it is sure, and an {@link LlmTopicClassifier} asked only in
 * the grey zone: when the best topic's score is between {@linkplain Builder#noneBelow(double) none
 * below} and {@linkplain Builder#confidentAbove(double) confident above}, or it leads the runner-up
 * by less than the {@linkplain Builder#minMargin(double) minimum margin}. The LLM then chooses among
 * the fast classifier's best {@linkplain Builder#candidates(int) candidates}, or none.
 *
 * <pre>{@code
 * TopicClassifier topics = CombinedTopicClassifier.builder(
 *                 TrainedTopicClassifier.builder(embeddingModel).addTopics(topics).build(),
 *                 LlmTopicClassifier.builder(chatModel).addTopics(topics).build())
 *         .build();
 * }</pre>
 *
 * <p>The defaults suit a {@link TrainedTopicClassifier}, whose scores are probabilities: sure at
 * 0.80 with a lead of 0.30, none without asking under 0.05. If the LLM fails (an exception), the
 * fast classifier's verdict is used and the failure is logged without the message text. The result
 * keeps the fast classifier's scores, and its {@link TopicClassification#method()} says who decided.
 *
 * <p>Thread-safe, provided both classifiers are.
 */
public final class CombinedTopicClassifier implements TopicClassifier {
    private static final Logger LOG = LoggerFactory.getLogger(CombinedTopicClassifier.class);

    /** Default score at and above which the fast classifier decides alone. */
    public static final double DEFAULT_CONFIDENT_ABOVE = 0.80;

    /** Default score under which the message is out of scope without asking the LLM. */
    public static final double DEFAULT_NONE_BELOW = 0.05;

    /** Default lead over the runner-up the fast classifier needs to decide alone. */
    public static final double DEFAULT_MIN_MARGIN = 0.30;

    /** Default number of the fast classifier's best topics the LLM chooses from. */
    public static final int DEFAULT_CANDIDATES = 5;

    private final TopicClassifier fast;
    private final LlmTopicClassifier llm;
    private final double confidentAbove;
    private final double noneBelow;
    private final double minMargin;
    private final int candidates;

    private CombinedTopicClassifier(Builder b) {
        this.fast = b.fast;
        this.llm = b.llm;
        this.confidentAbove = b.confidentAbove;
        this.noneBelow = b.noneBelow;
        this.minMargin = b.minMargin;
        this.candidates = b.candidates;
    }

    /**
     * A builder.
     *
     * @param fast the classifier asked first, never null (usually a {@link TrainedTopicClassifier})
     * @param llm the classifier asked in the grey zone, never null
     */
    public static Builder builder(TopicClassifier fast, LlmTopicClassifier llm) {
        return new Builder(Objects.requireNonNull(fast, "fast"), Objects.requireNonNull(llm, "llm"));
    }

    /**
     * {@inheritDoc}
     *
     * @throws RuntimeException whatever the fast classifier throws
     */
    @Override
    public TopicClassification classify(String text) {
        Objects.requireNonNull(text, "text");
        TopicClassification first = fast.classify(text);
        List<TopicScore> scores = first.scores();
        if (text.isBlank() || scores.isEmpty()) {
            return first;
        }
        double best = scores.get(0).score();
        double margin = best - (scores.size() > 1 ? scores.get(1).score() : 0);
        if (best >= confidentAbove && margin >= minMargin) {
            return with(first, "confident");
        }
        if (best < noneBelow) {
            return TopicClassification.none(
                    scores,
                    first.threshold(),
                    first.method() + String.format(Locale.ROOT, "; combined: best %.3f, none", best));
        }
        List<String> names = scores.subList(0, Math.min(candidates, scores.size())).stream()
                .map(TopicScore::topic)
                .toList();
        TopicClassification second;
        try {
            second = llm.classify(text, names);
        } catch (RuntimeException e) {
            LOG.warn("topic LLM failed, keeping the fast classifier's verdict: {}", e.toString());
            return with(first, "grey zone, LLM failed");
        }
        String method = String.format(
                Locale.ROOT,
                "combined: grey zone (best %.3f, margin %.3f) -> %s; fast: %s",
                best,
                margin,
                second.method(),
                first.isNone() ? "none" : first.topic());
        return second.isNone()
                ? TopicClassification.none(scores, first.threshold(), method)
                : new TopicClassification(second.topic(), scores, first.threshold(), method);
    }

    private static TopicClassification with(TopicClassification c, String note) {
        return new TopicClassification(c.topic(), c.scores(), c.threshold(), c.method() + "; combined: " + note);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "CombinedTopicClassifier[fast=%s, confidentAbove=%.2f, noneBelow=%.2f, minMargin=%.2f, candidates=%d]",
                fast,
                confidentAbove,
                noneBelow,
                minMargin,
                candidates);
    }

    /** Builds a {@link CombinedTopicClassifier}. Not thread-safe. */
    public static final class Builder {
        private final TopicClassifier fast;
        private final LlmTopicClassifier llm;
        private double confidentAbove = DEFAULT_CONFIDENT_ABOVE;
        private double noneBelow = DEFAULT_NONE_BELOW;
        private double minMargin = DEFAULT_MIN_MARGIN;
        private int candidates = DEFAULT_CANDIDATES;

        private Builder(TopicClassifier fast, LlmTopicClassifier llm) {
            this.fast = fast;
            this.llm = llm;
        }

        /**
         * The fast classifier decides alone at and above this score (with the margin); default
         * {@link #DEFAULT_CONFIDENT_ABOVE} (0.80).
         *
         * @throws IllegalArgumentException unless 0 &lt; score &le; 1
         */
        public Builder confidentAbove(double score) {
            if (!(score > 0 && score <= 1)) {
                throw new IllegalArgumentException("confidentAbove must be in (0, 1] but was " + score);
            }
            this.confidentAbove = score;
            return this;
        }

        /**
         * Under this score the message is out of scope without asking; default {@link
         * #DEFAULT_NONE_BELOW} (0.05). 0 always asks.
         *
         * @throws IllegalArgumentException unless 0 &le; score &lt; 1
         */
        public Builder noneBelow(double score) {
            if (!(score >= 0 && score < 1)) {
                throw new IllegalArgumentException("noneBelow must be in [0, 1) but was " + score);
            }
            this.noneBelow = score;
            return this;
        }

        /**
         * The lead over the runner-up the fast classifier needs to decide alone; default {@link
         * #DEFAULT_MIN_MARGIN} (0.30).
         *
         * @throws IllegalArgumentException unless 0 &le; margin &le; 1
         */
        public Builder minMargin(double margin) {
            if (!(margin >= 0 && margin <= 1)) {
                throw new IllegalArgumentException("minMargin must be in [0, 1] but was " + margin);
            }
            this.minMargin = margin;
            return this;
        }

        /**
         * How many of the fast classifier's best topics the LLM chooses from; default {@link
         * #DEFAULT_CANDIDATES} (5).
         *
         * @throws IllegalArgumentException unless 1 &le; n &le; 100
         */
        public Builder candidates(int n) {
            if (n < 1 || n > 100) {
                throw new IllegalArgumentException("candidates must be in [1, 100] but was " + n);
            }
            this.candidates = n;
            return this;
        }

        /**
         * Returns the classifier.
         *
         * @throws IllegalStateException if noneBelow is not under confidentAbove
         */
        public CombinedTopicClassifier build() {
            if (noneBelow >= confidentAbove) {
                throw new IllegalStateException(
                        "noneBelow (" + noneBelow + ") must be under confidentAbove (" + confidentAbove + ")");
            }
            return new CombinedTopicClassifier(this);
        }
    }
}
