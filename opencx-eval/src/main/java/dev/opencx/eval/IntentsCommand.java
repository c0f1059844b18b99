package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.opencx.autopilot.EmbeddingTopicClassifier;
import dev.opencx.autopilot.LabeledText;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.topics.TrainedTopicClassifier;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Trains a topic classifier on a labelled JSONL file and scores it on another: accuracy, in-scope
 * accuracy, out-of-scope recall and precision, MCC, and the per-message latency (embedding
 * included). Rows labelled with the out-of-scope label are never trained on; in the test file the
 * classifier must say "none" for them. With {@code --val}, the temperature and out-of-scope
 * thresholds are fitted on the validation file only.
 */
final class IntentsCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which classifier to evaluate. */
    enum Kind {
        TRAINED,
        EMBEDDING
    }

    /** Which in-process embedding model. */
    enum Embeddings {
        MINILM,
        BGE_SMALL,
        /** MiniLM, plus bge-small as a second view for the trained classifier's regression. */
        MINILM_BGE_SMALL
    }

    /** A labelled row; label {@code ""} is out of scope. */
    record Row(String text, String label) {}

    @Override
    public String name() {
        return "intents";
    }

    @Override
    public String summary() {
        return "train a topic classifier and score intent accuracy and out-of-scope detection";
    }

    @Override
    public String usage() {
        return """
                  --train FILE          JSONL, one {"text","label"} a line (required)
                  --test FILE           JSONL scored (required); never used to fit anything
                  --val FILE            JSONL the out-of-scope thresholds and temperature are fitted on
                  --oos-label L         label of out-of-scope rows (default oos); they must get "none"
                  --classifier K        trained (default) or embedding (the few-shot kNN/centroid one)
                  --embedding E         minilm (default, quantized all-MiniLM-L6-v2), bge_small (quantized bge-small-en-v1.5)
                                        or minilm_bge_small (trained: bge-small as a second view)
                  --cache FILE          keep train/val embeddings in this file across runs
                  --knn-weight W        trained: weight of the nearest-example probabilities (default 0.5)
                  --l2 X                trained: L2 regularization (default 1e-5)
                  --seed N              trained: training seed (default 42)
                  --threshold T         without --val: probability threshold (default 0.30)
                  --min-similarity S    without --val: nearest-example similarity floor (default 0.30)
                  --oos-share S         with --val: share of out-of-scope traffic the thresholds are fitted for (default 0.2)
                  --predictions FILE    write every test row with its prediction as JSONL
                  --train-oos           trained: learn the --train rows labelled out-of-scope as out-of-scope examples
                                        (by default they are left out of training)
                  --label-descriptions  use each label, underscores as spaces, as its topic's description
                  --cache-test          also take test embeddings from the cache (fast reruns; no latency reported)
                """;
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("cache-test", "label-descriptions", "train-oos");
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of(
                "train",
                "test",
                "val",
                "oos-label",
                "classifier",
                "cache",
                "embedding",
                "knn-weight",
                "l2",
                "seed",
                "threshold",
                "min-similarity",
                "predictions",
                "oos-share");
    }

    static List<Row> read(Path file, String oosLabel) throws Exception {
        List<Row> rows = new ArrayList<>();
        int n = 0;
        for (JsonNode node : RetrievalCommand.readJsonl(file)) {
            n++;
            JsonNode text = node.get("text");
            JsonNode label = node.get("label");
            if (text == null || !text.isTextual() || label == null || label.isNull()) {
                throw new UsageException(file + ": row " + n + " needs a \"text\" and a \"label\"");
            }
            String l = label.asText().strip();
            rows.add(new Row(text.asText(), l.equals(oosLabel) ? "" : l));
        }
        return rows;
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        String oosLabel = args.get("oos-label", "oos");
        List<Row> train = read(args.existingFile("train"), oosLabel);
        List<Row> test = read(args.existingFile("test"), oosLabel);
        List<Row> val = args.has("val") ? read(args.existingFile("val"), oosLabel) : List.of();
        Kind kind = args.choice("classifier", Kind.class, Kind.TRAINED);
        Map<String, List<String>> byLabel = new LinkedHashMap<>();
        int trainOos = 0;
        List<String> oosTexts = new ArrayList<>();
        for (Row r : train) {
            if (r.label().isEmpty()) {
                trainOos++;
                oosTexts.add(r.text());
            } else {
                byLabel.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r.text());
            }
        }
        if (byLabel.size() < 2) {
            throw new UsageException("--train needs at least two in-scope labels, found " + byLabel.keySet());
        }
        for (Row r : test) {
            if (!r.label().isEmpty() && !byLabel.containsKey(r.label())) {
                throw new UsageException("--test has label '" + r.label() + "' that --train does not have");
            }
        }
        err.printf(
                "intents: %d train rows (%d labels, %d out-of-scope rows), %d val, %d test%n",
                train.size(), byLabel.size(), trainOos, val.size(), test.size());
        List<Topic> topics = new ArrayList<>();
        boolean describe = args.has("label-descriptions");
        byLabel.forEach((label, texts) ->
                topics.add(new Topic(label, describe ? label.replace('_', ' ').strip() : "", texts)));
        Path cacheFile = args.has("cache") ? Path.of(args.required("cache")) : null;
        Embeddings which = args.choice("embedding", Embeddings.class, Embeddings.MINILM);
        EmbeddingModel base = which == Embeddings.BGE_SMALL
                ? new dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel()
                : new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (EmbeddingCache model = new EmbeddingCache(base, cacheFile, err);
                EmbeddingCache view = which != Embeddings.MINILM_BGE_SMALL
                        ? null
                        : new EmbeddingCache(
                                new dev.langchain4j.model.embedding.onnx.bgesmallenv15q
                                        .BgeSmallEnV15QuantizedEmbeddingModel(),
                                cacheFile,
                                err)) {
            long e0 = System.nanoTime();
            List<String> warm = new ArrayList<>();
            byLabel.values().forEach(warm::addAll);
            warm.addAll(oosTexts);
            val.forEach(r -> warm.add(r.text()));
            if (args.has("cache-test")) {
                test.forEach(r -> warm.add(r.text()));
            }
            err.printf("intents: embedding %d train/val texts%n", warm.size());
            model.warm(warm);
            if (view != null) {
                view.warm(warm);
            }
            double embedSeconds = (System.nanoTime() - e0) / 1e9;

            long t0 = System.nanoTime();
            TopicClassifier classifier;
            ObjectNode settings = JSON.createObjectNode();
            if (kind == Kind.TRAINED) {
                TrainedTopicClassifier.Builder b = TrainedTopicClassifier.builder(model)
                        .addTopics(topics)
                        .knnWeight(args.number("knn-weight", TrainedTopicClassifier.DEFAULT_KNN_WEIGHT, 0, 1))
                        .l2(args.number("l2", TrainedTopicClassifier.DEFAULT_L2, 0, 1))
                        .seed((long) args.number("seed", TrainedTopicClassifier.DEFAULT_SEED, 0, Long.MAX_VALUE))
                        .threshold(args.number("threshold", TrainedTopicClassifier.DEFAULT_THRESHOLD, 0, 0.99))
                        .minSimilarity(
                                args.number("min-similarity", TrainedTopicClassifier.DEFAULT_MIN_SIMILARITY, 0, 0.99));
                if (view != null) {
                    b.addEmbeddingView(view);
                }
                boolean trainOosRows = args.has("train-oos");
                if (trainOosRows) {
                    b.addOutOfScopeExamples(oosTexts);
                }
                settings.put("out_of_scope_examples", trainOosRows ? oosTexts.size() : 0);
                err.println("intents: training");
                TrainedTopicClassifier trained = b.build();
                if (!val.isEmpty()) {
                    trained = trained.fitThreshold(
                            val.stream()
                                    .map(r -> new LabeledText(r.text(), r.label()))
                                    .toList(),
                            args.number("oos-share", TrainedTopicClassifier.DEFAULT_OUT_OF_SCOPE_SHARE, 0.01, 0.99));
                }
                settings.put("threshold", trained.threshold())
                        .put("min_margin", trained.minMargin())
                        .put("min_similarity", trained.minSimilarity())
                        .put("temperature", round(trained.temperature()));
                classifier = trained;
            } else {
                EmbeddingTopicClassifier e = EmbeddingTopicClassifier.builder(model)
                        .addTopics(topics)
                        .threshold(args.number("threshold", EmbeddingTopicClassifier.DEFAULT_THRESHOLD, 0.01, 0.99))
                        .build();
                settings.put("threshold", e.threshold());
                classifier = e;
            }
            double trainSeconds = (System.nanoTime() - t0) / 1e9;
            err.printf("intents: trained in %.2f s; classifying %d test messages%n", trainSeconds, test.size());

            boolean cacheTest = args.has("cache-test");
            model.bypass(!cacheTest);
            if (view != null) {
                view.bypass(!cacheTest);
            } // by default every test message is embedded for real: latency includes it
            for (int i = 0; i < Math.min(50, test.size()); i++) {
                classifier.classify(test.get(i).text()); // JIT warm-up, not timed
            }
            List<String> gold = new ArrayList<>();
            List<String> predicted = new ArrayList<>();
            double[] latency = new double[test.size()];
            List<ObjectNode> rows = new ArrayList<>();
            for (int i = 0; i < test.size(); i++) {
                Row r = test.get(i);
                long c0 = System.nanoTime();
                String topic = classifier.classify(r.text()).topic();
                latency[i] = (System.nanoTime() - c0) / 1e6;
                gold.add(r.label());
                predicted.add(topic);
                if (args.has("predictions")) {
                    rows.add(JSON.createObjectNode()
                            .put("text", r.text())
                            .put("label", r.label().isEmpty() ? oosLabel : r.label())
                            .put("predicted", topic.isEmpty() ? oosLabel : topic));
                }
                if ((i + 1) % 1000 == 0) {
                    err.printf("intents: %d/%d classified%n", i + 1, test.size());
                }
            }
            if (args.has("predictions")) {
                try (var w = java.nio.file.Files.newBufferedWriter(Path.of(args.required("predictions")))) {
                    for (ObjectNode n : rows) {
                        w.write(JSON.writeValueAsString(n));
                        w.newLine();
                    }
                }
            }
            IntentMetrics m = IntentMetrics.of(gold, predicted);
            ObjectNode result = JSON.createObjectNode();
            result.put("command", name());
            result.put("classifier", kind.name().toLowerCase(java.util.Locale.ROOT));
            result.put("embedding", which.name().toLowerCase(java.util.Locale.ROOT));
            result.put("train_rows", train.size() - trainOos);
            result.put("labels", byLabel.size());
            result.put("val_rows", val.size());
            result.put("test_rows", m.rows());
            result.put("test_in_scope", m.inScope());
            result.put("test_oos", m.outOfScope());
            putMetric(result, "accuracy", m.accuracy());
            putMetric(result, "in_scope_accuracy", m.inScopeAccuracy());
            putMetric(result, "oos_recall", m.oosRecall());
            putMetric(result, "oos_precision", m.oosPrecision());
            putMetric(result, "mcc", m.mcc());
            if (cacheTest) {
                result.putNull("latency_ms_p50").putNull("latency_ms_p99");
            } else {
                result.put("latency_ms_p50", round(IntentMetrics.percentile(latency, 0.5)));
                result.put("latency_ms_p99", round(IntentMetrics.percentile(latency, 0.99)));
            }
            result.put("train_seconds", round(trainSeconds));
            result.put("embed_seconds", round(embedSeconds));
            result.set("settings", settings);
            out.println(JSON.writeValueAsString(result));
        }
        return 0;
    }

    private static void putMetric(ObjectNode n, String name, double v) {
        if (Double.isNaN(v)) {
            n.putNull(name);
        } else {
            n.put(name, Math.round(v * 10000) / 10000.0);
        }
    }

    private static double round(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
