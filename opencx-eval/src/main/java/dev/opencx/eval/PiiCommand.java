package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiDetectors;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code pii}: span-level quality and latency of the built-in PII detectors on a JSONL file of
 * texts with gold spans (the Presidio synthetic format).
 */
final class PiiCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "pii";
    }

    @Override
    public String summary() {
        return "PII span detection: precision, recall, F2 at IoU 0.5 and 0.9, recall per type, latency";
    }

    @Override
    public String usage() {
        return """
                  --data FILE           JSONL, one {"text","spans":[{"start","end","type"}]} a line, end exclusive (required)
                  --types T1,T2         score only gold spans of these types; predictions matching a gold span
                                        of another type count neither way (default: all gold spans)
                  --show-errors         print missed gold spans and false positives (stderr; contains the data's text)
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of("data", "types");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("show-errors");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Path data = args.existingFile("data");
        Set<String> types = null;
        if (args.has("types")) {
            types = new HashSet<>();
            for (String t : args.required("types").split(",")) {
                if (!t.isBlank()) {
                    types.add(t.strip().toUpperCase(Locale.ROOT));
                }
            }
            if (types.isEmpty()) {
                throw new UsageException("--types needs at least one type");
            }
        }
        boolean showErrors = args.has("show-errors");
        PiiDetector detector = BuiltInPiiDetectors.all();
        detector.detect("warm up: call +1 415 555 0100, mail a@b.co, Mr. Ana Lima, 12 Main Street");
        PiiMetrics at50 = new PiiMetrics(0.5);
        PiiMetrics at90 = new PiiMetrics(0.9);
        List<Long> nanos = new ArrayList<>();
        int rows = 0;
        try (BufferedReader r = Files.newBufferedReader(data, StandardCharsets.UTF_8)) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode row = JSON.readTree(line);
                String text = row.path("text").asText();
                List<PiiMetrics.Span> gold = new ArrayList<>();
                List<PiiMetrics.Span> ignored = new ArrayList<>();
                for (JsonNode s : row.path("spans")) {
                    PiiMetrics.Span sp = new PiiMetrics.Span(
                            s.path("start").asInt(),
                            s.path("end").asInt(),
                            s.path("type").asText());
                    if (types == null || types.contains(sp.type())) {
                        gold.add(sp);
                    } else {
                        ignored.add(sp);
                    }
                }
                long t0 = System.nanoTime();
                // what a redact-everything policy replaces: overlaps resolved, longest first
                List<PiiSpan> found = PiiDetectors.resolveOverlaps(detector.detect(text));
                nanos.add(System.nanoTime() - t0);
                List<PiiMetrics.Span> pred = found.stream()
                        .map(s ->
                                new PiiMetrics.Span(s.start(), s.end(), s.type().name()))
                        .toList();
                List<PiiMetrics.Span> missed = at50.add(gold, ignored, pred);
                at90.add(gold, ignored, pred);
                if (showErrors) {
                    for (PiiMetrics.Span m : missed) {
                        err.println("MISS " + m.type() + " '"
                                + text.substring(m.start(), m.end()).replace('\n', '/') + "' in: "
                                + text.replace('\n', '/'));
                    }
                    for (PiiMetrics.Span p : pred) {
                        boolean matched = gold.stream().anyMatch(g -> g.iou(p) >= 0.5)
                                || ignored.stream().anyMatch(g -> g.iou(p) >= 0.5);
                        if (!matched) {
                            err.println("FP   " + p.type() + " '"
                                    + text.substring(p.start(), p.end()).replace('\n', '/') + "' in: "
                                    + text.replace('\n', '/'));
                        }
                    }
                }
                rows++;
            }
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0) / 1e6;
        err.printf(
                Locale.ROOT, "%d texts, %d gold spans, %d predicted%n", rows, at50.goldCount(), at50.predictedCount());
        ObjectNode o = JSON.createObjectNode();
        o.put("command", "pii");
        o.put("texts", rows);
        o.put("gold_spans", at50.goldCount());
        o.put("predicted_spans", at50.predictedCount());
        o.put("precision", round(at50.precision()));
        o.put("recall", round(at50.recall()));
        o.put("f2", round(at50.f2()));
        o.put("precision_iou90", round(at90.precision()));
        o.put("recall_iou90", round(at90.recall()));
        o.put("f2_iou90", round(at90.f2()));
        ObjectNode per = o.putObject("per_type_recall");
        at50.perTypeRecall().forEach((k, v) -> per.put(k, round(v)));
        ObjectNode counts = o.putObject("per_type_count");
        at50.perTypeCount().forEach(counts::put);
        o.put("types", types == null ? "all" : String.join(",", new java.util.TreeSet<>(types)));
        o.put("latency_ms_mean", round(mean));
        o.put("latency_ms_p50", round(sorted.length == 0 ? 0 : sorted[sorted.length / 2] / 1e6));
        o.put(
                "latency_ms_p95",
                round(
                        sorted.length == 0
                                ? 0
                                : sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))] / 1e6));
        out.println(JSON.writeValueAsString(o));
        return 0;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
