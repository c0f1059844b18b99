package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.handoff.Detection;
import dev.opencx.handoff.FrustrationDetector;
import dev.opencx.handoff.LexicalFrustrationDetector;
import dev.opencx.pipeline.Turn;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scores the frustration detector on per-turn (dis)satisfaction labels in the USS format: one
 * dialogue a line, {@code {"dialog_id","turns":[{"role","text","dissatisfied"}]}} with roles {@code
 * USER} and {@code SYSTEM}.
 *
 * <p>Every user turn is scored as the pipeline would score it: with the user turns among the
 * dialogue's newest {@value Turn#RECENT_MESSAGES} earlier messages and the system's last reply as
 * context. A turn counts as detected when its score reaches
 * the threshold, {@link LexicalFrustrationDetector#DISSATISFIED} unless {@code --threshold} says
 * otherwise; precision, recall and F1 are those of the dissatisfied class. The detector is
 * rule-based and is not fitted to the file, so every turn is a test turn.
 */
final class FrustrationCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double[] SWEEP = {0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8};

    @Override
    public String name() {
        return "frustration";
    }

    @Override
    public String summary() {
        return "score the frustration detector on per-turn dissatisfaction labels (USS format)";
    }

    @Override
    public String usage() {
        return """
                  --data FILE           JSONL, one {"dialog_id","turns":[{"role","text","dissatisfied"}]} a line (required)
                  --threshold T         score from which a turn counts as dissatisfied
                                        (default: the detector's 'dissatisfied' level, %.2f)
                  --no-context          score each user turn alone (no earlier turns, no system reply)
                """
                .formatted(LexicalFrustrationDetector.DISSATISFIED);
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("data", "threshold");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("no-context");
    }

    /** One user turn with its context and label. */
    record LabelledTurn(String text, List<String> previousCustomerTexts, String previousReply, boolean dissatisfied) {}

    /** Counts of one decision threshold. */
    record Counts(int tp, int fp, int fn) {
        double precision() {
            return tp + fp == 0 ? 0 : (double) tp / (tp + fp);
        }

        double recall() {
            return tp + fn == 0 ? 0 : (double) tp / (tp + fn);
        }

        double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }

        static Counts of(double[] scores, boolean[] labels, double threshold) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < scores.length; i++) {
                boolean predicted = scores[i] >= threshold;
                if (predicted && labels[i]) {
                    tp++;
                } else if (predicted) {
                    fp++;
                } else if (labels[i]) {
                    fn++;
                }
            }
            return new Counts(tp, fp, fn);
        }
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Path data = args.existingFile("data");
        double threshold = args.number("threshold", LexicalFrustrationDetector.DISSATISFIED, 0.01, 1);
        boolean context = !args.has("no-context");
        List<LabelledTurn> turns = read(data);
        if (turns.isEmpty()) {
            throw new UsageException("no labelled user turns in " + data);
        }
        err.printf(Locale.ROOT, "scoring %,d user turns from %s%n", turns.size(), data);

        FrustrationDetector detector = LexicalFrustrationDetector.builder().build();
        double[] scores = new double[turns.size()];
        boolean[] labels = new boolean[turns.size()];
        long[] nanos = new long[turns.size()];
        for (int i = 0; i < turns.size(); i++) {
            LabelledTurn t = turns.get(i);
            long start = System.nanoTime();
            Detection d = context
                    ? detector.detect(t.text(), t.previousCustomerTexts(), t.previousReply())
                    : detector.detect(t.text());
            nanos[i] = System.nanoTime() - start;
            scores[i] = d.score();
            labels[i] = t.dissatisfied();
        }
        Counts c = Counts.of(scores, labels, threshold);
        int positives = 0;
        for (boolean l : labels) {
            positives += l ? 1 : 0;
        }
        for (double s : SWEEP) {
            Counts sc = Counts.of(scores, labels, s);
            err.printf(
                    Locale.ROOT,
                    "  threshold %.2f: precision %.3f recall %.3f f1 %.3f%n",
                    s,
                    sc.precision(),
                    sc.recall(),
                    sc.f1());
        }
        Arrays.sort(nanos);
        ObjectNode result = JSON.createObjectNode();
        result.put("command", name());
        result.put("turns", turns.size());
        result.put("dissatisfied_turns", positives);
        result.put("detected_turns", c.tp() + c.fp());
        result.put("threshold", threshold);
        result.put("context", context);
        result.put("precision", round(c.precision()));
        result.put("recall", round(c.recall()));
        result.put("f1", round(c.f1()));
        result.put("latency_ms_p50", round(nanos[nanos.length / 2] / 1e6));
        result.put("latency_ms_p99", round(nanos[(int) Math.min(nanos.length - 1, nanos.length * 0.99)] / 1e6));
        out.println(JSON.writeValueAsString(result));
        return 0;
    }

    static List<LabelledTurn> read(Path file) throws IOException {
        List<LabelledTurn> out = new ArrayList<>();
        JsonLines.forEach(
                file, (dialog, where) -> {
                    JsonNode turns = dialog.path("turns");
                    if (!turns.isArray()) {
                        throw new UsageException(where + ": no \"turns\" array");
                    }
                    // every earlier message, null for the system's: the pipeline gives the detector the user
                    // texts among the newest Turn.RECENT_MESSAGES messages
                    List<String> messages = new ArrayList<>();
                    String reply = "";
                    for (JsonNode t : turns) {
                        String role = t.path("role").asText("");
                        String text = t.path("text").asText("");
                        if (role.equalsIgnoreCase("SYSTEM")) {
                            reply = text;
                            messages.add(null);
                        } else if (role.equalsIgnoreCase("USER")) {
                            if (!t.has("dissatisfied")) {
                                throw new UsageException(where + ": a USER turn has no \"dissatisfied\" label");
                            }
                            List<String> earlier = messages
                                    .subList(Math.max(0, messages.size() - Turn.RECENT_MESSAGES), messages.size())
                                    .stream()
                                    .filter(java.util.Objects::nonNull)
                                    .toList();
                            out.add(new LabelledTurn(
                                    text, earlier, reply, t.path("dissatisfied").asBoolean()));
                            messages.add(text);
                        } else {
                            throw new UsageException(where + ": unknown role '" + role + "'");
                        }
                    }
                });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}
