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
 * relevant), and once with its relevant articles removed from the results ("unanswerable": the
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
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("articles", "helpcenter", "queries", "holdout");
    }

    /** One observation: the responder's features and whether the answer was right. */
    record Row(double similarity, double margin, double fusedGap, boolean correct, boolean answerable) {
        double[] x() {
            return new double[] {1, similarity, margin, fusedGap};
        }
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path queriesFile = args.existingFile("queries");
        double holdout = args.number("holdout", 0.3, 0.05, 0.95);
        Corpus corpus = Corpus.from(args, "en");
        List<JsonNode> queries = RetrievalCommand.readJsonl(queriesFile);
        List<Row> train = new ArrayList<>();
        List<Row> test = new ArrayList<>();
        int every = (int) Math.max(2, Math.round(1 / holdout));
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().build()) {
            err.printf("calibrate: indexing %d articles%n", corpus.size());
            corpus.index(store);
            int n = 0;
            for (JsonNode q : queries) {
                Set<String> relevant = new HashSet<>();
                q.path("relevant_article_ids").forEach(r -> relevant.add(r.asText()));
                String locale = q.path("locale").asText(relevant.stream().findFirst().map(CalibrateCommand::localeOf).orElse(""));
                List<ScoredPassage> hits = store.search(new KnowledgeQuery(q.path("text").asText(), locale, 10, true));
                List<ScoredPassage> without = hits.stream().filter(h -> !relevant.contains(h.passage().documentId())).toList();
                List<Row> target = (n++ % every == 0) ? test : train;
                if (!relevant.isEmpty() && !hits.isEmpty()) {
                    target.add(row(hits, relevant.contains(hits.get(0).passage().documentId()), true));
                }
                if (!without.isEmpty()) {
                    target.add(row(without, false, false)); // as if the help center had no answer
                }
                if (n % 100 == 0) {
                    err.printf("calibrate: %d queries%n", n);
                }
            }
        }
        double[] w = fit(train);
        ConfidenceModel fitted = new ConfidenceModel(w[0], w[1], w[2], w[3]);
        ConfidenceModel defaults = ConfidenceModel.defaults();
        ObjectNode result = JSON.createObjectNode();
        result.put("command", name());
        result.put("train_rows", train.size());
        result.put("test_rows", test.size());
        ObjectNode f = result.putObject("fitted");
        f.put("bias", r(w[0])).put("similarity_weight", r(w[1])).put("margin_weight", r(w[2])).put("fused_gap_weight", r(w[3]));
        describe(result.putObject("fitted_on_test"), fitted, test, err, "fitted");
        describe(result.putObject("defaults_on_test"), defaults, test, err, "defaults");
        out.println(JSON.writeValueAsString(result));
        return 0;
    }

    private static Row row(List<ScoredPassage> hits, boolean correct, boolean answerable) {
        double[] f = ConfidenceModel.features(hits);
        return new Row(f[0], f[1], f[2], correct, answerable);
    }

    /** {@code article:<id>:<locale>} → locale; other ids → "" (any locale). */
    static String localeOf(String documentId) {
        int i = documentId.lastIndexOf(':');
        return documentId.startsWith("article:") && i > 8 ? documentId.substring(i + 1) : "";
    }

    /** Logistic regression by batch gradient descent with a little L2. */
    static double[] fit(List<Row> rows) {
        double[] w = new double[4];
        double lr = 0.5;
        for (int it = 0; it < 20_000; it++) {
            double[] g = new double[4];
            for (Row row : rows) {
                double[] x = row.x();
                double p = sigmoid(dot(w, x));
                double y = row.correct() ? 1 : 0;
                for (int j = 0; j < 4; j++) {
                    g[j] += (p - y) * x[j];
                }
            }
            for (int j = 0; j < 4; j++) {
                w[j] -= lr * (g[j] / rows.size() + (j == 0 ? 0 : 1e-4 * w[j]));
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
        int answered = 0;
        int answeredCorrect = 0;
        int unanswerable = 0;
        int unanswerableHandedOff = 0;
        for (Row row : rows) {
            double p = m.of(row.similarity(), row.margin(), row.fusedGap());
            double y = row.correct() ? 1 : 0;
            brier += (p - y) * (p - y);
            if ((p >= 0.5) == row.correct()) {
                right++;
            }
            if (p >= 0.5) {
                answered++;
                if (row.correct()) {
                    answeredCorrect++;
                }
            }
            if (!row.answerable()) {
                unanswerable++;
                if (p < 0.5) {
                    unanswerableHandedOff++;
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
        node.put("precision_of_answers", r(answered == 0 ? 0 : (double) answeredCorrect / answered));
        node.put("unanswerable_handed_off", r(unanswerable == 0 ? 0 : (double) unanswerableHandedOff / unanswerable));
        for (int b = 0; b < 5; b++) {
            if (count[b] > 0) {
                err.printf(Locale.ROOT, "calibrate: %-8s p in [%.1f,%.1f): %4d rows, mean predicted %.2f, observed %.2f%n", label, b / 5.0,
                        (b + 1) / 5.0, count[b], sum[b] / count[b], (double) pos[b] / count[b]);
            }
        }
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
