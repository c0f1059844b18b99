package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.ScoredPassage;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.responder.EmbeddedResponder.ConfidenceModel;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Fits the {@link EmbeddedResponder}'s confidence model: the probability that the best passage
 * answers the question, from the retrieval signals the responder sees.
 *
 * <p>Every query is used twice: once as asked ("answerable": positive when the top document is
 * relevant; a query without relevant articles is "out of knowledge", always negative), and once
 * with its relevant articles removed from the results ("unanswerable": the
 * signals the responder would see if the help center had no answer; always negative). A logistic
 * regression on (top similarity, its margin over the runner-up, the fused-score gap) is fitted by gradient
 * descent on a train part of the queries and scored on the rest (Brier score, accuracy of the
 * 0.5 decision, and a reliability table), and the defaults are reported next to it.
 */
final class CalibrateCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "calibrate";
    }

    @Override
    public String summary() {
        return "fit the embedded responder's confidence model on a retrieval dataset (StackFAQ format)";
    }

    @Override
    public String usage() {
        return """
                  --articles FILE       JSONL, one {"id","title","body"} a line
                  --helpcenter DIR      or: a folder of markdown articles with front matter
                  --queries FILE        JSONL, one {"id","text","relevant_article_ids"} a line (required)
                  --holdout F           share of queries kept for scoring (default 0.3; every k-th query)
                  --save-rows FILE      also write every observation (features, label, kind) as JSONL
                  --rows FILE[,FILE]    fit on saved observations instead (no --articles/--queries);
                                        lets one model be fitted on several datasets at once
                  --model B,S,M,G,C     score this model (bias, similarity, margin, fused-gap, coverage weights) on
                                        every query instead of fitting one
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("articles", "helpcenter", "queries", "holdout", "model", "save-rows", "rows");
    }

    /** One observation: the responder's features and whether the answer was right. */
    /** Where a row comes from. */
    enum Kind {
        ANSWERABLE,
        OUT_OF_KNOWLEDGE,
        SIMULATED_UNANSWERABLE
    }

    record Row(double[] features, boolean correct, Kind kind) {
        double[] x() {
            double[] x = new double[features.length + 1];
            x[0] = 1;
            System.arraycopy(features, 0, x, 1, features.length);
            return x;
        }
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        double holdout = args.number("holdout", 0.3, 0.05, 0.95);
        ConfidenceModel given = args.has("model") ? parseModel(args.required("model")) : null;
        int every = given != null ? 1 : (int) Math.max(2, Math.round(1 / holdout));
        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        List<Row> all = args.has("rows") ? readRows(args.required("rows")) : observe(args, err);
        if (args.has("save-rows")) {
            try (var w = java.nio.file.Files.newBufferedWriter(Path.of(args.required("save-rows")))) {
                for (Row row : all) {
                    ObjectNode n = JSON.createObjectNode();
                    var f = n.putArray("features");
                    for (double d : row.features()) {
                        f.add(d);
                    }
                    n.put("correct", row.correct()).put("kind", row.kind().name());
                    w.write(JSON.writeValueAsString(n));
                    w.newLine();
                }
            }
        }
        for (int i = 0; i < all.size(); i++) {
            (i % every == 0 ? test : train).add(all.get(i));
        }
        if (given != null) {
            ObjectNode result = JSON.createObjectNode();
            result.put("command", name());
            result.put("rows", test.size());
            describe(result.putObject("model_on_all"), given, test, err, "model");
            out.println(JSON.writeValueAsString(result));
            return 0;
        }
        double[] w = fit(train);
        ConfidenceModel fitted = new ConfidenceModel(w[0], w[1], w[2], w[3], w[4]);
        ConfidenceModel defaults = ConfidenceModel.defaults();
        ObjectNode result = JSON.createObjectNode();
        result.put("command", name());
        result.put("train_rows", train.size());
        result.put("test_rows", test.size());
        ObjectNode f = result.putObject("fitted");
        f.put("bias", r(w[0]))
                .put("similarity_weight", r(w[1]))
                .put("margin_weight", r(w[2]))
                .put("fused_gap_weight", r(w[3]))
                .put("coverage_weight", r(w[4]));
        describe(result.putObject("fitted_on_test"), fitted, test, err, "fitted");
        describe(result.putObject("defaults_on_test"), defaults, test, err, "defaults");
        out.println(JSON.writeValueAsString(result));
        return 0;
    }

    /** Runs every query through the store and records the responder's features for each. */
    private static List<Row> observe(Args args, PrintStream err) throws Exception {
        Path queriesFile = args.existingFile("queries");
        Corpus corpus = Corpus.from(args, "en");
        List<JsonNode> queries = RetrievalCommand.readJsonl(queriesFile);
        List<Row> rows = new ArrayList<>();
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().build()) {
            err.printf("calibrate: indexing %d articles%n", corpus.size());
            corpus.index(store);
            int n = 0;
            for (JsonNode q : queries) {
                Set<String> relevant = new HashSet<>();
                q.path("relevant_article_ids").forEach(r -> relevant.add(r.asText()));
                String text = q.path("text").asText();
                String locale = RetrievalCommand.queryLocale(q);
                List<ScoredPassage> hits = store.search(new KnowledgeQuery(text, locale, 10, true));
                if (relevant.isEmpty()) {
                    if (!hits.isEmpty()) {
                        rows.add(row(text, hits, false, Kind.OUT_OF_KNOWLEDGE));
                    }
                } else {
                    if (!hits.isEmpty()) {
                        rows.add(row(
                                text,
                                hits,
                                relevant.contains(hits.get(0).passage().documentId()),
                                Kind.ANSWERABLE));
                    }
                    List<ScoredPassage> without = hits.stream()
                            .filter(h -> !relevant.contains(h.passage().documentId()))
                            .toList();
                    if (!without.isEmpty()) {
                        rows.add(row(
                                text,
                                without,
                                false,
                                Kind.SIMULATED_UNANSWERABLE)); // as if the help center had no answer
                    }
                }
                if (++n % 100 == 0) {
                    err.printf("calibrate: %d queries%n", n);
                }
            }
        }
        return rows;
    }

    private static List<Row> readRows(String files) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (String f : files.split(",")) {
            Path p = Path.of(f.strip());
            if (!java.nio.file.Files.isRegularFile(p)) {
                throw new UsageException("--rows: no such file " + p);
            }
            for (JsonNode n : RetrievalCommand.readJsonl(p)) {
                double[] features = new double[n.path("features").size()];
                for (int i = 0; i < features.length; i++) {
                    features[i] = n.path("features").get(i).asDouble();
                }
                if (features.length != 4) {
                    throw new UsageException(p + ": rows must have 4 features, found " + features.length);
                }
                rows.add(new Row(
                        features,
                        n.path("correct").asBoolean(),
                        Kind.valueOf(n.path("kind").asText())));
            }
        }
        return rows;
    }

    private static Row row(String question, List<ScoredPassage> hits, boolean correct, Kind kind) {
        return new Row(ConfidenceModel.features(question, hits), correct, kind);
    }

    private static ConfidenceModel parseModel(String text) {
        String[] parts = text.split(",");
        if (parts.length != 5) {
            throw new UsageException(
                    "--model needs five comma-separated numbers (bias,similarity,margin,gap,coverage), was '" + text
                            + "'");
        }
        try {
            return new ConfidenceModel(
                    Double.parseDouble(parts[0].strip()),
                    Double.parseDouble(parts[1].strip()),
                    Double.parseDouble(parts[2].strip()),
                    Double.parseDouble(parts[3].strip()),
                    Double.parseDouble(parts[4].strip()));
        } catch (NumberFormatException e) {
            throw new UsageException("--model has a value that is not a number: '" + text + "'");
        }
    }

    /** Logistic regression by projected batch gradient descent (non-negative weights) with a little L2. */
    static double[] fit(List<Row> rows) {
        double[] w = new double[5];
        double lr = 0.5;
        for (int it = 0; it < 20_000; it++) {
            double[] g = new double[5];
            for (Row row : rows) {
                double[] x = row.x();
                double p = sigmoid(dot(w, x));
                double y = row.correct() ? 1 : 0;
                for (int j = 0; j < 5; j++) {
                    g[j] += (p - y) * x[j];
                }
            }
            for (int j = 0; j < 5; j++) {
                w[j] -= lr * (g[j] / rows.size() + (j == 0 ? 0 : 1e-4 * w[j]));
                if (j > 0 && w[j] < 0) {
                    w[j] = 0; // more similarity or separation never lowers confidence
                }
            }
        }
        return w;
    }

    private static void describe(ObjectNode node, ConfidenceModel m, List<Row> rows, PrintStream err, String label) {
        double brier = 0;
        int right = 0;
        int[] count = new int[5];
        int[] pos = new int[5];
        double[] sum = new double[5];
        int answerable = 0;
        int answeredRight = 0;
        int answeredWrong = 0;
        int[] negatives = new int[Kind.values().length];
        int[] negativesHandedOff = new int[Kind.values().length];
        for (Row row : rows) {
            double p = m.of(row.features());
            double y = row.correct() ? 1 : 0;
            brier += (p - y) * (p - y);
            boolean answers = p >= 0.5;
            if (answers == row.correct()) {
                right++;
            }
            if (row.kind() == Kind.ANSWERABLE) {
                answerable++;
                if (answers) {
                    if (row.correct()) {
                        answeredRight++;
                    } else {
                        answeredWrong++;
                    }
                }
            } else {
                negatives[row.kind().ordinal()]++;
                if (!answers) {
                    negativesHandedOff[row.kind().ordinal()]++;
                }
            }
            int b = Math.min(4, (int) (p * 5));
            count[b]++;
            sum[b] += p;
            if (row.correct()) {
                pos[b]++;
            }
        }
        node.put("brier", r(brier / rows.size()));
        node.put("accuracy_at_0_5", r((double) right / rows.size()));
        node.put("answerable_answered_right", r(share(answeredRight, answerable)));
        node.put("answerable_answered_wrong", r(share(answeredWrong, answerable)));
        node.put("answerable_handed_off", r(share(answerable - answeredRight - answeredWrong, answerable)));
        node.put(
                "out_of_knowledge_handed_off",
                r(share(
                        negativesHandedOff[Kind.OUT_OF_KNOWLEDGE.ordinal()],
                        negatives[Kind.OUT_OF_KNOWLEDGE.ordinal()])));
        node.put(
                "simulated_unanswerable_handed_off",
                r(share(
                        negativesHandedOff[Kind.SIMULATED_UNANSWERABLE.ordinal()],
                        negatives[Kind.SIMULATED_UNANSWERABLE.ordinal()])));
        for (int b = 0; b < 5; b++) {
            if (count[b] > 0) {
                err.printf(
                        Locale.ROOT,
                        "calibrate: %-8s p in [%.1f,%.1f): %4d rows, mean predicted %.2f, observed %.2f%n",
                        label,
                        b / 5.0,
                        (b + 1) / 5.0,
                        count[b],
                        sum[b] / count[b],
                        (double) pos[b] / count[b]);
            }
        }
    }

    private static double share(int n, int of) {
        return of == 0 ? 0 : (double) n / of;
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static double r(double d) {
        return Math.round(d * 1000) / 1000.0;
    }
}
