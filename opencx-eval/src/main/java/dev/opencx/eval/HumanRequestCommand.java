package dev.opencx.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.handoff.Detection;
import dev.opencx.handoff.HumanRequestDetector;
import dev.opencx.handoff.RuleBasedHumanRequestDetector;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Scores the explicit-request detector on labelled utterances ({@code {"text","label"}} a line):
 * rows whose label is one of {@code --positive-labels} ask for a person, every other row does not.
 * Intent datasets with no such label (BANKING77, CLINC150) measure how often the detector hands off
 * an ordinary question: the false-positive rate.
 */
final class HumanRequestCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "human-request";
    }

    @Override
    public String summary() {
        return "score the explicit human-request detector on labelled utterances ({\"text\",\"label\"})";
    }

    @Override
    public String usage() {
        return """
                  --data FILE[,FILE]    JSONL, one {"text","label"} a line (required)
                  --positive-labels L   comma-separated labels of rows that ask for a person
                                        (default: none, every row is a negative)
                  --show                print every detection on stderr (texts of the dataset)
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("data", "positive-labels");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("show");
    }

    record Row(String text, boolean positive) {}

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws Exception {
        Set<String> positives = new LinkedHashSet<>();
        if (args.has("positive-labels")) {
            Arrays.stream(args.required("positive-labels").split(","))
                    .map(String::strip)
                    .filter(s -> !s.isEmpty())
                    .forEach(positives::add);
        }
        List<Row> rows = new ArrayList<>();
        for (String f : args.required("data").split(",")) {
            rows.addAll(read(Path.of(f.strip()), positives));
        }
        if (rows.isEmpty()) {
            throw new UsageException("no rows in " + args.required("data"));
        }
        err.printf(Locale.ROOT, "scoring %,d utterances%n", rows.size());
        HumanRequestDetector detector = RuleBasedHumanRequestDetector.builder().build();
        int tp = 0;
        int fp = 0;
        int fn = 0;
        int pos = 0;
        long[] nanos = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            long start = System.nanoTime();
            Detection d = detector.detect(r.text());
            nanos[i] = System.nanoTime() - start;
            pos += r.positive() ? 1 : 0;
            if (d.detected() && r.positive()) {
                tp++;
            } else if (d.detected()) {
                fp++;
            } else if (r.positive()) {
                fn++;
            }
            if (d.detected() && args.has("show")) {
                err.printf(Locale.ROOT, "  %s %.2f %s%n", r.positive() ? "TP" : "FP", d.score(), r.text());
            }
        }
        Arrays.sort(nanos);
        int negatives = rows.size() - pos;
        ObjectNode result = JSON.createObjectNode();
        result.put("command", name());
        result.put("rows", rows.size());
        result.put("positives", pos);
        result.put("detected", tp + fp);
        result.put("false_positives", fp);
        result.put("false_positive_rate", negatives == 0 ? 0 : round((double) fp / negatives));
        if (pos > 0) {
            result.put("recall", round((double) tp / pos));
            result.put("precision", tp + fp == 0 ? 0 : round((double) tp / (tp + fp)));
            result.put("false_negatives", fn);
        }
        result.put("latency_ms_p50", round(nanos[nanos.length / 2] / 1e6));
        result.put("latency_ms_p99", round(nanos[(int) Math.min(nanos.length - 1, nanos.length * 0.99)] / 1e6));
        out.println(JSON.writeValueAsString(result));
        return 0;
    }

    static List<Row> read(Path file, Set<String> positives) throws Exception {
        List<Row> out = new ArrayList<>();
        JsonLines.forEach(file, (n, where) -> {
            if (!n.path("text").isTextual()) {
                throw new UsageException(where + ": no \"text\"");
            }
            out.add(new Row(
                    n.get("text").asText(), positives.contains(n.path("label").asText(""))));
        });
        return out;
    }

    private static double round(double v) {
        return Math.round(v * 100_000) / 100_000.0;
    }
}
