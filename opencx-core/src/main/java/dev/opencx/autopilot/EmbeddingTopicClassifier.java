package dev.opencx.autopilot;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A few-shot topic classifier over any LangChain4j {@link EmbeddingModel}: each topic is known by a
 * name, a description and a few example utterances.
 *
 * <pre>{@code
 * TopicClassifier classifier = EmbeddingTopicClassifier.builder(embeddingModel)
 *         .addTopic(new Topic("returns", "Returning items and refunds",
 *                 List.of("how do I return these shoes", "when do I get my money back")))
 *         .addTopic(Topic.of("shipping", "where is my parcel", "how long does delivery take"))
 *         .threshold(0.5)
 *         .cacheSize(256)
 *         .build();
 * classifier.classify("my package hasn't arrived").topic(); // "shipping"
 * }</pre>
 *
 * <p><b>How it scores.</b> {@link Builder#build()} embeds every example and description once, in
 * one {@code embedAll} call. A message's score for a topic is {@code w · knn + (1 - w) · centroid},
 * where {@code knn} is the mean cosine similarity to the topic's {@code k} most similar examples,
 * {@code centroid} the cosine similarity to the normalized mean of the topic's examples and
 * description, and {@code w} the {@linkplain Builder#exampleWeight(double) example weight}; scores
 * are clamped to [0, 1]. The best topic is chosen unless its score is under the threshold, or it is
 * both weak (under threshold + {@value #WEAK_BAND}) and less than the {@linkplain
 * Builder#minMargin(double) minimum margin} ahead of the runner-up: then the result is "none".
 *
 * <p>Immutable and thread-safe, provided the embedding model is. Message texts are never logged;
 * the optional LRU cache keeps the vectors of recent texts in memory.
 */
public final class EmbeddingTopicClassifier implements TopicClassifier {

    /**
     * Default threshold, tuned on the quantized all-MiniLM-L6-v2 model with four store topics of
     * five examples each: in-scope support questions scored 0.42 to 0.72, unrelated text ("what's
     * the weather in Paris", "write me a poem") 0.09 to 0.22. Other models spread scores
     * differently; tune with {@link TopicClassification#explain()}.
     */
    public static final double DEFAULT_THRESHOLD = 0.35;

    /** Default number of nearest examples averaged. */
    public static final int DEFAULT_TOP_K = 2;

    /** Default weight of the nearest-examples score against the centroid score. */
    public static final double DEFAULT_EXAMPLE_WEIGHT = 0.7;

    /** Default lead the best topic needs over the runner-up when its score is weak. */
    public static final double DEFAULT_MIN_MARGIN = 0.02;

    /** How far above the threshold a score still counts as weak for the margin rule. */
    public static final double WEAK_BAND = 0.1;

    private record TopicVectors(String name, float[][] examples, float[] centroid) {}

    private final EmbeddingModel model;
    private final List<TopicVectors> topics;
    private final double threshold;
    private final int topK;
    private final double exampleWeight;
    private final double minMargin;
    private final Map<String, float[]> cache; // guarded by itself; null when off
    private final String method;

    private EmbeddingTopicClassifier(Builder b) {
        this.model = b.model;
        this.threshold = b.threshold;
        this.topK = b.topK;
        this.exampleWeight = b.exampleWeight;
        this.minMargin = b.minMargin;
        this.method = String.format(
                Locale.ROOT, "embedding(k=%d, exampleWeight=%.2f, minMargin=%.2f)", topK, exampleWeight, minMargin);
        int cacheSize = b.cacheSize;
        this.cache = cacheSize == 0
                ? null
                : new LinkedHashMap<>(16, 0.75f, true) {
                    private static final long serialVersionUID = 1L;

                    @Override
                    protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                        return size() > cacheSize;
                    }
                };

        List<TextSegment> segments = new ArrayList<>();
        for (Topic t : b.topics.values()) {
            t.examples().forEach(e -> segments.add(TextSegment.from(e)));
            if (!t.description().isEmpty()) {
                segments.add(TextSegment.from(t.description()));
            }
        }
        List<Embedding> embeddings = model.embedAll(segments).content();
        if (embeddings == null || embeddings.size() != segments.size()) {
            throw new IllegalStateException("embedding model returned "
                    + (embeddings == null ? "null" : embeddings.size() + " embeddings")
                    + " for " + segments.size() + " texts");
        }
        List<TopicVectors> vectors = new ArrayList<>();
        int next = 0;
        for (Topic t : b.topics.values()) {
            List<float[]> examples = new ArrayList<>();
            for (int i = 0; i < t.examples().size(); i++) {
                examples.add(normalized(embeddings.get(next++).vector()));
            }
            List<float[]> all = new ArrayList<>(examples);
            if (!t.description().isEmpty()) {
                float[] d = normalized(embeddings.get(next++).vector());
                all.add(d);
                if (examples.isEmpty()) {
                    examples.add(d);
                }
            }
            vectors.add(new TopicVectors(t.name(), examples.toArray(new float[0][]), normalized(mean(all))));
        }
        this.topics = List.copyOf(vectors);
    }

    /**
     * A builder over the given model.
     *
     * @param model the embedding model, never null; used at {@code build()} and for each message
     */
    public static Builder builder(EmbeddingModel model) {
        return new Builder(Objects.requireNonNull(model, "model"));
    }

    /** The threshold in use. */
    public double threshold() {
        return threshold;
    }

    /** The topic names, in the order they were added. */
    public List<String> topicNames() {
        return topics.stream().map(TopicVectors::name).toList();
    }

    /**
     * {@inheritDoc}
     *
     * @throws NullPointerException if text is null
     * @throws RuntimeException whatever the embedding model throws
     */
    @Override
    public TopicClassification classify(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            return TopicClassification.none(List.of(), threshold, method + "; empty text");
        }
        float[] v = embed(text);
        List<TopicScore> scores = new ArrayList<>(topics.size());
        for (TopicVectors t : topics) {
            scores.add(new TopicScore(t.name(), score(v, t)));
        }
        scores.sort((a, c) -> Double.compare(c.score(), a.score()));
        TopicScore best = scores.get(0);
        double runnerUp = scores.size() > 1 ? scores.get(1).score() : 0;
        if (best.score() < threshold) {
            return TopicClassification.none(scores, threshold, method);
        }
        if (best.score() < threshold + WEAK_BAND && best.score() - runnerUp < minMargin) {
            return TopicClassification.none(
                    scores,
                    threshold,
                    String.format(
                            Locale.ROOT,
                            "%s; ambiguous: '%s' leads '%s' by %.3f",
                            method,
                            best.topic(),
                            scores.get(1).topic(),
                            best.score() - runnerUp));
        }
        return new TopicClassification(best.topic(), scores, threshold, method);
    }

    private double score(float[] v, TopicVectors t) {
        double[] sims = new double[t.examples().length];
        for (int i = 0; i < sims.length; i++) {
            sims[i] = dot(v, t.examples()[i]);
        }
        Arrays.sort(sims);
        int k = Math.min(topK, sims.length);
        double knn = 0;
        for (int i = 0; i < k; i++) {
            knn += sims[sims.length - 1 - i];
        }
        knn /= k;
        double s = exampleWeight * knn + (1 - exampleWeight) * dot(v, t.centroid());
        return Math.max(0, Math.min(1, s));
    }

    private float[] embed(String text) {
        if (cache != null) {
            synchronized (cache) {
                float[] hit = cache.get(text);
                if (hit != null) {
                    return hit;
                }
            }
        }
        Embedding e = model.embed(text).content();
        float[] v = normalized(Objects.requireNonNull(e, "embedding model returned no embedding")
                .vector());
        if (cache != null) {
            synchronized (cache) {
                cache.put(text, v);
            }
        }
        return v;
    }

    private static float[] normalized(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        n = Math.sqrt(n);
        float[] out = new float[v.length];
        if (n == 0) {
            return out;
        }
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / n);
        }
        return out;
    }

    private static float[] mean(List<float[]> vs) {
        float[] m = new float[vs.get(0).length];
        for (float[] v : vs) {
            for (int i = 0; i < m.length; i++) {
                m[i] += v[i] / vs.size();
            }
        }
        return m;
    }

    private static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalStateException(
                    "embedding dimensions differ: " + a.length + " vs " + b.length + "; use one model throughout");
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Override
    public String toString() {
        return "EmbeddingTopicClassifier[topics=" + topicNames() + ", threshold=" + threshold + ", " + method + "]";
    }

    /** Builds an {@link EmbeddingTopicClassifier}. Not thread-safe; the classifier it builds is. */
    public static final class Builder {
        private final EmbeddingModel model;
        private final Map<String, Topic> topics = new LinkedHashMap<>();
        private double threshold = DEFAULT_THRESHOLD;
        private int topK = DEFAULT_TOP_K;
        private double exampleWeight = DEFAULT_EXAMPLE_WEIGHT;
        private double minMargin = DEFAULT_MIN_MARGIN;
        private int cacheSize;

        private Builder(EmbeddingModel model) {
            this.model = model;
        }

        /**
         * Adds a topic.
         *
         * @throws NullPointerException if topic is null
         * @throws IllegalArgumentException if a topic of that name was already added
         */
        public Builder addTopic(Topic topic) {
            Objects.requireNonNull(topic, "topic");
            if (topics.containsKey(topic.name())) {
                throw new IllegalArgumentException("topic '" + topic.name() + "' was already added");
            }
            topics.put(topic.name(), topic);
            return this;
        }

        /** Adds every topic, as {@link #addTopic(Topic)} does. */
        public Builder addTopics(List<Topic> topics) {
            Objects.requireNonNull(topics, "topics").forEach(this::addTopic);
            return this;
        }

        /**
         * The score the best topic must reach; default {@link #DEFAULT_THRESHOLD} (0.35, for
         * MiniLM).
         *
         * @throws IllegalArgumentException unless 0 &lt; threshold &lt; 1
         */
        public Builder threshold(double threshold) {
            if (!(threshold > 0 && threshold < 1)) {
                throw new IllegalArgumentException("threshold must be in (0, 1) but was " + threshold);
            }
            this.threshold = threshold;
            return this;
        }

        /**
         * How many nearest examples are averaged; default {@link #DEFAULT_TOP_K} (2). Topics with
         * fewer examples use all of theirs.
         *
         * @throws IllegalArgumentException unless 1 &le; k &le; 50
         */
        public Builder topK(int k) {
            if (k < 1 || k > 50) {
                throw new IllegalArgumentException("topK must be in [1, 50] but was " + k);
            }
            this.topK = k;
            return this;
        }

        /**
         * Weight of the nearest-examples score against the centroid score; default {@link
         * #DEFAULT_EXAMPLE_WEIGHT} (0.7). 1 uses examples only, 0 the centroid only.
         *
         * @throws IllegalArgumentException unless 0 &le; weight &le; 1
         */
        public Builder exampleWeight(double weight) {
            if (!(weight >= 0 && weight <= 1)) {
                throw new IllegalArgumentException("exampleWeight must be in [0, 1] but was " + weight);
            }
            this.exampleWeight = weight;
            return this;
        }

        /**
         * The lead a weak best topic needs over the runner-up; default {@link #DEFAULT_MIN_MARGIN}
         * (0.02). 0 turns the rule off.
         *
         * @throws IllegalArgumentException unless 0 &le; margin &le; 0.5
         */
        public Builder minMargin(double margin) {
            if (!(margin >= 0 && margin <= 0.5)) {
                throw new IllegalArgumentException("minMargin must be in [0, 0.5] but was " + margin);
            }
            this.minMargin = margin;
            return this;
        }

        /**
         * Keeps the vectors of this many recent texts (exact match), so a repeated message is not
         * embedded again; default 0 (off).
         *
         * @throws IllegalArgumentException unless 0 &le; size &le; 100000
         */
        public Builder cacheSize(int size) {
            if (size < 0 || size > 100_000) {
                throw new IllegalArgumentException("cacheSize must be in [0, 100000] but was " + size);
            }
            this.cacheSize = size;
            return this;
        }

        /**
         * Embeds the topics and returns the classifier.
         *
         * @throws IllegalStateException if no topic was added, or the model returns the wrong number
         *     of embeddings
         */
        public EmbeddingTopicClassifier build() {
            if (topics.isEmpty()) {
                throw new IllegalStateException("no topics: add at least one with addTopic(...)");
            }
            return new EmbeddingTopicClassifier(this);
        }
    }
}
