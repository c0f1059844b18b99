package dev.opencx.topics;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.autopilot.LabeledText;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.autopilot.TopicScore;
import dev.opencx.topics.LexicalFeatures.Sparse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A topic classifier trained in-process from the topics' examples: a multinomial logistic
 * regression over the message's sentence embedding and its words and character n-grams, blended
 * with nearest-example similarity. It scales from a handful of examples per topic to tens of
 * thousands, and decides "none" (out of scope) from the best topic's probability and its margin over
 * the runner-up, with thresholds that {@link #fitThreshold(List)} fits on validation data.
 *
 * <pre>{@code
 * TrainedTopicClassifier classifier = TrainedTopicClassifier.builder(embeddingModel)
 *         .addTopic(Topic.of("returns", "how do I return these shoes", "when do I get my money back"))
 *         .addTopic(Topic.of("shipping", "where is my parcel", "how long does delivery take"))
 *         .build()                                   // trains in seconds, deterministically
 *         .fitThreshold(validation);                 // optional: labelled messages, "" = out of scope
 * classifier.classify("my package hasn't arrived").topic(); // "shipping"
 * }</pre>
 *
 * <p><b>How it scores.</b> {@link Builder#build()} embeds every example (and each topic's
 * description, as one more example) in batches and trains the regression with mini-batch Adam and
 * L2 regularization (a fixed seed: the same examples give the same model). For a message, the
 * topic probabilities are {@code (1 - w) · softmax(logits / T) + w · softmax(knn / 0.05)}, where
 * {@code knn} is {@code 0.7 · nearest-example similarity + 0.3 · centroid similarity}, {@code
 * w} the {@linkplain Builder#knnWeight(double) kNN weight} and {@code T} the temperature (1, or
 * fitted on validation data). The best topic is chosen unless its probability is under the
 * {@linkplain Builder#threshold(double) threshold}, it leads the runner-up by less than the
 * {@linkplain Builder#minMargin(double) minimum margin}, or its nearest-example similarity is under
 * the {@linkplain Builder#minSimilarity(double) minimum similarity}: then the result is "none".
 * {@linkplain Builder#addOutOfScopeExamples(List) Out-of-scope examples}, when given, are learned
 * as one more, hidden class: a message likelier to be one of them than any topic is "none" too.
 *
 * <p><b>The embedding model.</b> Share one {@code CachingEmbeddingModel} between this classifier,
 * {@code OpenCx.builder().embeddingModel(...)} and the knowledge store (or use {@code
 * OpenCx.Builder#topicClassifierFactory(java.util.function.Function)}) so a message is embedded once per
 * turn.
 *
 * <p>Immutable and thread-safe, provided the embedding model is. Message texts are never logged.
 */
public final class TrainedTopicClassifier implements TopicClassifier {

    /**
     * Default probability threshold when none is fitted: 0.30. With the kNN blend, in-scope support
     * questions of few-shot topics mostly score above 0.5, and unrelated text spreads its
     * probability over the topics.
     */
    public static final double DEFAULT_THRESHOLD = 0.30;

    /** Default lead the best topic's probability needs over the runner-up: 0 (off). */
    public static final double DEFAULT_MIN_MARGIN = 0.0;

    /**
     * Default floor on the best topic's nearest-example similarity: 0.30 (below it the message is
     * unlike every example of the topic, whatever its probability).
     */
    public static final double DEFAULT_MIN_SIMILARITY = 0.30;

    /** Default weight of the nearest-example probabilities in the blend: 0.5. */
    public static final double DEFAULT_KNN_WEIGHT = 0.5;

    /** Default L2 regularization strength: 1e-5. */
    public static final double DEFAULT_L2 = 1e-5;

    /** Default training seed. */
    public static final long DEFAULT_SEED = 42;

    /**
     * The share of out-of-scope messages {@link #fitThreshold(List)} assumes real traffic has: 0.2
     * (the out-of-scope recall weighs a fifth of the fitted objective, the in-scope accuracy the
     * rest).
     */
    public static final double DEFAULT_OUT_OF_SCOPE_SHARE = 0.2;

    /** The share of correctly classified validation messages kept when there are no out-of-scope ones. */
    public static final double IN_SCOPE_KEEP_RATE = 0.98;

    private static final int EMBED_BATCH = 64;
    private static final double KNN_TEMPERATURE = 0.05;

    private final EmbeddingModel model;
    private final List<EmbeddingModel> views; // more embedding models, for the regression only
    private final List<String> names;
    private final LexicalFeatures lexical;
    private final SoftmaxRegression regression;
    private final float[][] exampleVectors;
    private final int[] exampleTopic;
    private final float[][] centroids;
    private final double knnWeight;
    private final double temperature;
    private final double threshold;
    private final double minMargin;
    private final double minSimilarity;

    private TrainedTopicClassifier(
            EmbeddingModel model,
            List<EmbeddingModel> views,
            List<String> names,
            LexicalFeatures lexical,
            SoftmaxRegression regression,
            float[][] exampleVectors,
            int[] exampleTopic,
            float[][] centroids,
            double knnWeight,
            double temperature,
            double threshold,
            double minMargin,
            double minSimilarity) {
        this.model = model;
        this.views = views;
        this.names = names;
        this.lexical = lexical;
        this.regression = regression;
        this.exampleVectors = exampleVectors;
        this.exampleTopic = exampleTopic;
        this.centroids = centroids;
        this.knnWeight = knnWeight;
        this.temperature = temperature;
        this.threshold = threshold;
        this.minMargin = minMargin;
        this.minSimilarity = minSimilarity;
    }

    /**
     * A builder over the given model.
     *
     * @param model the embedding model, never null; used at {@code build()} and for each message
     */
    public static Builder builder(EmbeddingModel model) {
        return new Builder(Objects.requireNonNull(model, "model"));
    }

    /** The topic names, in the order they were added. */
    public List<String> topicNames() {
        return names;
    }

    /** The probability the best topic must reach. */
    public double threshold() {
        return threshold;
    }

    /** The lead in probability the best topic needs over the runner-up. */
    public double minMargin() {
        return minMargin;
    }

    /** The nearest-example similarity the best topic needs. */
    public double minSimilarity() {
        return minSimilarity;
    }

    /** The softmax temperature (1 unless fitted on validation data). */
    public double temperature() {
        return temperature;
    }

    /**
     * The same model with other decision thresholds.
     *
     * @throws IllegalArgumentException unless 0 &le; threshold &lt; 1, 0 &le; minMargin &le; 1 and
     *     0 &le; minSimilarity &lt; 1
     */
    public TrainedTopicClassifier withThresholds(double threshold, double minMargin, double minSimilarity) {
        checkThresholds(threshold, minMargin, minSimilarity);
        return copy(temperature, threshold, minMargin, minSimilarity);
    }

    /**
     * Fits the temperature and the out-of-scope decision on validation messages (never on the data
     * you report results on), and returns a classifier using them; this one is unchanged.
     *
     * <p>The temperature minimizes the log-loss of the in-scope messages. When the validation data
     * has out-of-scope messages (topic {@code ""}), the threshold, minimum margin and minimum
     * similarity maximize the expected accuracy on traffic with {@value #DEFAULT_OUT_OF_SCOPE_SHARE}
     * out-of-scope messages: {@code 0.8 · in-scope accuracy + 0.2 · out-of-scope recall} (a message
     * in scope counts when its topic is chosen), whatever the mix of the validation data. Without any, the threshold keeps {@value
     * #IN_SCOPE_KEEP_RATE} of the correctly classified messages, and the margin and similarity
     * rules are turned off.
     *
     * @param validation labelled messages, never null, at least one in scope
     * @throws IllegalArgumentException if a message names an unknown topic or none is in scope
     */
    public TrainedTopicClassifier fitThreshold(List<LabeledText> validation) {
        return fitThreshold(validation, DEFAULT_OUT_OF_SCOPE_SHARE);
    }

    /**
     * As {@link #fitThreshold(List)}, weighing the out-of-scope recall by the share of
     * out-of-scope messages you expect in real traffic: the thresholds maximize {@code (1 - share) ·
     * in-scope accuracy + share · out-of-scope recall}, which is the expected accuracy on traffic
     * with that share, whatever the mix of the validation data. 0.5 weighs both equally (balanced
     * accuracy).
     *
     * @param outOfScopeShare expected share of out-of-scope messages, in (0, 1)
     * @throws IllegalArgumentException if the share is outside (0, 1), a message names an unknown
     *     topic or none is in scope
     */
    public TrainedTopicClassifier fitThreshold(List<LabeledText> validation, double outOfScopeShare) {
        Objects.requireNonNull(validation, "validation");
        if (!(outOfScopeShare > 0 && outOfScopeShare < 1)) {
            throw new IllegalArgumentException("outOfScopeShare must be in (0, 1) but was " + outOfScopeShare);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            index.put(names.get(i), i);
        }
        int[] gold = new int[validation.size()];
        int inScope = 0;
        for (int i = 0; i < gold.length; i++) {
            LabeledText t = validation.get(i);
            if (t.isOutOfScope()) {
                gold[i] = -1;
            } else {
                Integer g = index.get(t.topic());
                if (g == null) {
                    throw new IllegalArgumentException(
                            "validation message " + i + " has unknown topic '" + t.topic() + "'; topics: " + names);
                }
                gold[i] = g;
                inScope++;
            }
        }
        if (inScope == 0) {
            throw new IllegalArgumentException("validation data has no in-scope message");
        }
        List<String> texts = validation.stream().map(LabeledText::text).toList();
        float[][] vectors = embedAll(model, texts);
        float[][] dense = dense(views, texts, vectors);
        double[][] logits = new double[gold.length][];
        double[][] knn = new double[gold.length][];
        double[][] near = new double[gold.length][];
        for (int i = 0; i < gold.length; i++) {
            logits[i] = new double[regression.classes()];
            regression.logits(dense[i], lexical.vector(texts.get(i)), logits[i]);
            near[i] = nearest(vectors[i]);
            knn[i] = knnScores(vectors[i], near[i]);
        }
        double bestT = 1;
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double logT = -2; logT <= 2.0001; logT += 0.05) {
            double t = Math.exp(logT);
            double loss = 0;
            for (int i = 0; i < gold.length; i++) {
                if (gold[i] >= 0) {
                    loss -= Math.log(Math.max(1e-12, blend(logits[i], knn[i], t)[gold[i]]));
                }
            }
            if (loss < bestLoss) {
                bestLoss = loss;
                bestT = t;
            }
        }
        int n = gold.length;
        double[] p1 = new double[n];
        double[] margin = new double[n];
        double[] sim = new double[n];
        boolean[] right = new boolean[n];
        boolean[] oosWins = new boolean[n];
        for (int i = 0; i < n; i++) {
            double[] p = blend(logits[i], knn[i], bestT);
            int best = argmax(p, names.size());
            double second = 0;
            for (int c = 0; c < names.size(); c++) {
                if (c != best) {
                    second = Math.max(second, p[c]);
                }
            }
            p1[i] = p[best];
            margin[i] = p[best] - second;
            sim[i] = near[i][best];
            oosWins[i] = p.length > names.size() && p[names.size()] > p[best];
            right[i] = best == gold[i] && !oosWins[i];
        }
        int oos = n - inScope;
        if (oos == 0) {
            double[] correct = new double[n];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if (right[i]) {
                    correct[k++] = p1[i];
                }
            }
            double t = 0;
            if (k > 0) {
                double[] sorted = Arrays.copyOf(correct, k);
                Arrays.sort(sorted);
                t = sorted[(int) Math.floor((1 - IN_SCOPE_KEEP_RATE) * (k - 1))];
            }
            return copy(bestT, Math.min(t, 0.99), 0, 0);
        }
        double[] margins = {0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4};
        double[] sims = {0, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5};
        double best = -1;
        double[] chosen = {0, 0, 0};
        for (int ti = 0; ti < 100; ti++) {
            double t = ti / 100.0;
            for (double m : margins) {
                for (double s : sims) {
                    int keptRight = 0;
                    int rejectedOos = 0;
                    for (int i = 0; i < n; i++) {
                        boolean accept = !oosWins[i] && p1[i] >= t && margin[i] >= m && sim[i] >= s;
                        if (gold[i] < 0) {
                            rejectedOos += accept ? 0 : 1;
                        } else if (accept && right[i]) {
                            keptRight++;
                        }
                    }
                    double score = (1 - outOfScopeShare) * keptRight / inScope + outOfScopeShare * rejectedOos / oos;
                    if (score > best + 1e-12) {
                        best = score;
                        chosen = new double[] {t, m, s};
                    }
                }
            }
        }
        return copy(bestT, chosen[0], chosen[1], chosen[2]);
    }

    private TrainedTopicClassifier copy(double t, double threshold, double minMargin, double minSimilarity) {
        return new TrainedTopicClassifier(
                model,
                views,
                names,
                lexical,
                regression,
                exampleVectors,
                exampleTopic,
                centroids,
                knnWeight,
                t,
                threshold,
                minMargin,
                minSimilarity);
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
        String method = method();
        if (text.isBlank()) {
            return TopicClassification.none(List.of(), threshold, method + "; empty text");
        }
        float[] v = embedAll(model, List.of(text))[0];
        double[] z = new double[regression.classes()];
        regression.logits(dense(views, List.of(text), new float[][] {v})[0], lexical.vector(text), z);
        double[] near = nearest(v);
        double[] p = blend(z, knnScores(v, near), temperature);
        int topics = names.size();
        List<TopicScore> scores = new ArrayList<>(topics);
        for (int c = 0; c < topics; c++) {
            scores.add(new TopicScore(names.get(c), p[c]));
        }
        int best = argmax(p, topics);
        if (p.length > topics && p[topics] > p[best]) {
            return TopicClassification.none(
                    scores,
                    threshold,
                    String.format(Locale.ROOT, "%s; out-of-scope examples are likelier (%.3f)", method, p[topics]));
        }
        double second = 0;
        int runnerUp = -1;
        for (int c = 0; c < topics; c++) {
            if (c != best && p[c] >= second) {
                second = p[c];
                runnerUp = c;
            }
        }
        if (p[best] < threshold) {
            return TopicClassification.none(scores, threshold, method);
        }
        if (p[best] - second < minMargin) {
            return TopicClassification.none(
                    scores,
                    threshold,
                    String.format(
                            Locale.ROOT,
                            "%s; ambiguous: '%s' leads '%s' by %.3f",
                            method,
                            names.get(best),
                            names.get(runnerUp),
                            p[best] - second));
        }
        double sim = near[best];
        if (sim < minSimilarity) {
            return TopicClassification.none(
                    scores,
                    threshold,
                    String.format(
                            Locale.ROOT,
                            "%s; unlike the examples of '%s' (similarity %.3f)",
                            method,
                            names.get(best),
                            sim));
        }
        return new TopicClassification(names.get(best), scores, threshold, method);
    }

    private String method() {
        return String.format(
                Locale.ROOT,
                "trained(knnWeight=%.2f, T=%.2f, minMargin=%.2f, minSimilarity=%.2f)",
                knnWeight,
                temperature,
                minMargin,
                minSimilarity);
    }

    private double[] blend(double[] logits, double[] knn, double t) {
        double[] p = new double[logits.length];
        for (int c = 0; c < p.length; c++) {
            p[c] = logits[c] / t;
        }
        SoftmaxRegression.softmaxInPlace(p);
        if (knnWeight > 0) {
            double[] q = new double[knn.length];
            for (int c = 0; c < q.length; c++) {
                q[c] = knn[c] / KNN_TEMPERATURE;
            }
            SoftmaxRegression.softmaxInPlace(q);
            for (int c = 0; c < p.length; c++) {
                p[c] = (1 - knnWeight) * p[c] + knnWeight * q[c];
            }
        }
        return p;
    }

    /** Per topic, the similarity of its nearest example. */
    private double[] nearest(float[] v) {
        double[] first = new double[regression.classes()];
        Arrays.fill(first, -1);
        for (int i = 0; i < exampleVectors.length; i++) {
            double s = dot(v, exampleVectors[i]);
            int c = exampleTopic[i];
            if (s > first[c]) {
                first[c] = s;
            }
        }
        return first;
    }

    /** Per topic: 0.7 · similarity of the nearest example + 0.3 · similarity of the centroid. */
    private double[] knnScores(float[] v, double[] nearest) {
        double[] out = new double[nearest.length];
        for (int c = 0; c < out.length; c++) {
            out[c] = 0.7 * nearest[c] + 0.3 * dot(v, centroids[c]);
        }
        return out;
    }

    private static int argmax(double[] p, int n) {
        int best = 0;
        for (int c = 1; c < n; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    static float[][] embedAll(EmbeddingModel model, List<String> texts) {
        float[][] out = new float[texts.size()][];
        for (int start = 0; start < texts.size(); start += EMBED_BATCH) {
            List<TextSegment> batch = new ArrayList<>();
            for (int i = start; i < Math.min(texts.size(), start + EMBED_BATCH); i++) {
                batch.add(TextSegment.from(texts.get(i)));
            }
            List<Embedding> embeddings = model.embedAll(batch).content();
            if (embeddings == null || embeddings.size() != batch.size()) {
                throw new IllegalStateException("embedding model returned "
                        + (embeddings == null ? "null" : embeddings.size() + " embeddings")
                        + " for " + batch.size() + " texts");
            }
            for (int i = 0; i < batch.size(); i++) {
                out[start + i] = normalized(embeddings.get(i).vector());
            }
        }
        return out;
    }

    /**
     * The embedding enters the regression scaled by this factor (the lexical vector has unit
     * length): the dense part then needs smaller weights, so L2 and a short training run hold it
     * back less.
     */
    private static final float EMBEDDING_SCALE = 4f;

    /** The regression's dense features: each view's unit vector, scaled, one after the other. */
    static float[][] dense(List<EmbeddingModel> views, List<String> texts, float[][] main) {
        List<float[][]> parts = new ArrayList<>();
        parts.add(main);
        for (EmbeddingModel m : views) {
            parts.add(embedAll(m, texts));
        }
        float[][] out = new float[main.length][];
        for (int i = 0; i < main.length; i++) {
            int d = 0;
            for (float[][] p : parts) {
                d += p[i].length;
            }
            float[] x = new float[d];
            int at = 0;
            for (float[][] p : parts) {
                for (float f : p[i]) {
                    x[at++] = f * EMBEDDING_SCALE;
                }
            }
            out[i] = x;
        }
        return out;
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

    private static void checkThresholds(double threshold, double minMargin, double minSimilarity) {
        if (!(threshold >= 0 && threshold < 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1) but was " + threshold);
        }
        if (!(minMargin >= 0 && minMargin <= 1)) {
            throw new IllegalArgumentException("minMargin must be in [0, 1] but was " + minMargin);
        }
        if (!(minSimilarity >= 0 && minSimilarity < 1)) {
            throw new IllegalArgumentException("minSimilarity must be in [0, 1) but was " + minSimilarity);
        }
    }

    @Override
    public String toString() {
        return "TrainedTopicClassifier[topics=" + names.size() + ", examples=" + exampleVectors.length + ", threshold="
                + threshold + ", " + method() + "]";
    }

    /** Builds and trains a {@link TrainedTopicClassifier}. Not thread-safe. */
    public static final class Builder {
        private final EmbeddingModel model;
        private final Map<String, Topic> topics = new LinkedHashMap<>();
        private double threshold = DEFAULT_THRESHOLD;
        private double minMargin = DEFAULT_MIN_MARGIN;
        private double minSimilarity = DEFAULT_MIN_SIMILARITY;
        private double knnWeight = DEFAULT_KNN_WEIGHT;
        private double l2 = DEFAULT_L2;
        private long seed = DEFAULT_SEED;
        private final List<String> outOfScope = new ArrayList<>();
        private final List<EmbeddingModel> views = new ArrayList<>();

        private Builder(EmbeddingModel model) {
            this.model = model;
        }

        /**
         * Adds a topic; its description, when present, is one more training example.
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
         * The probability the best topic must reach; default {@link #DEFAULT_THRESHOLD} (0.30).
         * {@link TrainedTopicClassifier#fitThreshold(List)} replaces it.
         *
         * @throws IllegalArgumentException unless 0 &le; threshold &lt; 1
         */
        public Builder threshold(double threshold) {
            checkThresholds(threshold, 0, 0);
            this.threshold = threshold;
            return this;
        }

        /**
         * The lead in probability the best topic needs over the runner-up; default {@link
         * #DEFAULT_MIN_MARGIN} (0, off).
         *
         * @throws IllegalArgumentException unless 0 &le; margin &le; 1
         */
        public Builder minMargin(double margin) {
            checkThresholds(0, margin, 0);
            this.minMargin = margin;
            return this;
        }

        /**
         * The cosine similarity of the message to the best topic's nearest example that it needs;
         * default {@link #DEFAULT_MIN_SIMILARITY} (0.30, for MiniLM). 0 turns the rule off.
         *
         * @throws IllegalArgumentException unless 0 &le; similarity &lt; 1
         */
        public Builder minSimilarity(double similarity) {
            checkThresholds(0, 0, similarity);
            this.minSimilarity = similarity;
            return this;
        }

        /**
         * Weight of the nearest-example probabilities against the regression's; default {@link
         * #DEFAULT_KNN_WEIGHT} (0.5). 0 uses the regression only, 1 nearest examples only.
         *
         * @throws IllegalArgumentException unless 0 &le; weight &le; 1
         */
        public Builder knnWeight(double weight) {
            if (!(weight >= 0 && weight <= 1)) {
                throw new IllegalArgumentException("knnWeight must be in [0, 1] but was " + weight);
            }
            this.knnWeight = weight;
            return this;
        }

        /**
         * L2 regularization strength of the regression; default {@link #DEFAULT_L2} (1e-5). Larger
         * values give smoother, less confident models.
         *
         * @throws IllegalArgumentException unless 0 &le; l2 &le; 1
         */
        public Builder l2(double l2) {
            if (!(l2 >= 0 && l2 <= 1)) {
                throw new IllegalArgumentException("l2 must be in [0, 1] but was " + l2);
            }
            this.l2 = l2;
            return this;
        }

        /**
         * Adds messages that belong to no topic (small talk, other businesses' questions, ...). They
         * are learned as a hidden class: a message more likely to be one of them than any topic is
         * "none". Optional; validation thresholds apply either way.
         *
         * @throws IllegalArgumentException if a message is blank
         */
        public Builder addOutOfScopeExamples(List<String> messages) {
            for (String m : Objects.requireNonNull(messages, "messages")) {
                if (Objects.requireNonNull(m, "out-of-scope example").isBlank()) {
                    throw new IllegalArgumentException("out-of-scope example " + outOfScope.size() + " is blank");
                }
                outOfScope.add(m);
            }
            return this;
        }

        /**
         * Adds a second (third, ...) embedding model whose vectors the regression reads beside the
         * main model's; nearest-example similarity uses the main model only. More accurate with
         * complementary models, at the cost of embedding each message once per model (these
         * embeddings are not shared with the rest of the turn). Optional.
         */
        public Builder addEmbeddingView(EmbeddingModel view) {
            views.add(Objects.requireNonNull(view, "view"));
            return this;
        }

        /** The training seed (example order); default {@link #DEFAULT_SEED}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Embeds the examples and trains the classifier.
         *
         * @throws IllegalStateException if fewer than two topics were added (use {@link dev.opencx.autopilot.EmbeddingTopicClassifier}
         *     for one), or the model returns the wrong number of embeddings
         */
        public TrainedTopicClassifier build() {
            if (topics.size() < 2) {
                throw new IllegalStateException("a trained classifier needs at least two topics but has "
                        + topics.size() + "; use EmbeddingTopicClassifier for one");
            }
            List<String> names = List.copyOf(topics.keySet());
            List<String> texts = new ArrayList<>();
            List<Integer> labels = new ArrayList<>();
            int c = 0;
            for (Topic t : topics.values()) {
                for (String e : t.examples()) {
                    texts.add(e);
                    labels.add(c);
                }
                if (!t.description().isEmpty()) {
                    texts.add(t.description());
                    labels.add(c);
                }
                c++;
            }
            for (String m : outOfScope) {
                texts.add(m);
                labels.add(c);
            }
            int classes = outOfScope.isEmpty() ? names.size() : names.size() + 1;
            float[][] vectors = embedAll(model, texts);
            float[][] scaledX = dense(views, texts, vectors);
            int[] y = labels.stream().mapToInt(Integer::intValue).toArray();
            int minDf = texts.size() >= 1000 ? 2 : 1;
            LexicalFeatures lexical = LexicalFeatures.fit(texts, minDf, 100_000);
            Sparse[] sparse = new Sparse[texts.size()];
            for (int i = 0; i < sparse.length; i++) {
                sparse[i] = lexical.vector(texts.get(i));
            }
            SoftmaxRegression regression = SoftmaxRegression.train(
                    scaledX,
                    sparse,
                    y,
                    classes,
                    lexical.dimension(),
                    new SoftmaxRegression.Settings(l2, 0.01, 64, 1500, 100, seed));
            int d = vectors[0].length;
            float[][] centroids = new float[classes][d];
            for (int i = 0; i < vectors.length; i++) {
                for (int j = 0; j < d; j++) {
                    centroids[y[i]][j] += vectors[i][j];
                }
            }
            for (int k = 0; k < centroids.length; k++) {
                centroids[k] = normalized(centroids[k]);
            }
            return new TrainedTopicClassifier(
                    model,
                    List.copyOf(views),
                    names,
                    lexical,
                    regression,
                    vectors,
                    y,
                    centroids,
                    knnWeight,
                    1.0,
                    threshold,
                    minMargin,
                    minSimilarity);
        }
    }
}
