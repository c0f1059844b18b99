package dev.opencx.eval;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Span-level PII metrics ("is it PII", whatever the type): a predicted span matches a gold span when
 * their intersection over union is at least a threshold, one to one (pairs taken by decreasing
 * IoU). F2 weighs recall twice as much as precision (β = 2), as Presidio reports it.
 */
final class PiiMetrics {
    /** A span with its type, end exclusive. */
    record Span(int start, int end, String type) {
        double iou(Span o) {
            int inter = Math.max(0, Math.min(end, o.end) - Math.max(start, o.start));
            int union = (end - start) + (o.end - o.start) - inter;
            return union == 0 ? 0 : (double) inter / union;
        }
    }

    private final double threshold;
    private long tp;
    private long predicted;
    private long gold;
    private final Map<String, long[]> byType = new TreeMap<>();

    PiiMetrics(double threshold) {
        this.threshold = threshold;
    }

    /**
     * Adds one text. Predictions that match an ignored gold span (a type left out of the
     * evaluation) count neither way.
     *
     * @return the gold spans that were not matched
     */
    List<Span> add(List<Span> goldSpans, List<Span> ignoredGold, List<Span> predictions) {
        List<Span> preds = new ArrayList<>(predictions);
        // predictions that only cover a gold span of an ignored type are neutral
        if (!ignoredGold.isEmpty()) {
            preds.removeIf(p -> ignoredGold.stream().anyMatch(g -> p.iou(g) >= threshold)
                    && goldSpans.stream().noneMatch(g -> p.iou(g) >= threshold));
        }
        record Pair(int g, int p, double iou) {}
        List<Pair> pairs = new ArrayList<>();
        for (int g = 0; g < goldSpans.size(); g++) {
            for (int p = 0; p < preds.size(); p++) {
                double iou = goldSpans.get(g).iou(preds.get(p));
                if (iou >= threshold) {
                    pairs.add(new Pair(g, p, iou));
                }
            }
        }
        pairs.sort(Comparator.comparingDouble(Pair::iou).reversed());
        boolean[] gUsed = new boolean[goldSpans.size()];
        boolean[] pUsed = new boolean[preds.size()];
        for (Pair pr : pairs) {
            if (!gUsed[pr.g] && !pUsed[pr.p]) {
                gUsed[pr.g] = true;
                pUsed[pr.p] = true;
                tp++;
            }
        }
        predicted += preds.size();
        gold += goldSpans.size();
        List<Span> missed = new ArrayList<>();
        for (int g = 0; g < goldSpans.size(); g++) {
            long[] c = byType.computeIfAbsent(goldSpans.get(g).type(), k -> new long[2]);
            c[1]++;
            if (gUsed[g]) {
                c[0]++;
            } else {
                missed.add(goldSpans.get(g));
            }
        }
        return missed;
    }

    double precision() {
        return predicted == 0 ? 0 : (double) tp / predicted;
    }

    double recall() {
        return gold == 0 ? 0 : (double) tp / gold;
    }

    double f2() {
        return fBeta(precision(), recall(), 2);
    }

    static double fBeta(double p, double r, double beta) {
        double b2 = beta * beta;
        return p + r == 0 ? 0 : (1 + b2) * p * r / (b2 * p + r);
    }

    long truePositives() {
        return tp;
    }

    long predictedCount() {
        return predicted;
    }

    long goldCount() {
        return gold;
    }

    /** Recall by gold type. */
    Map<String, Double> perTypeRecall() {
        Map<String, Double> m = new LinkedHashMap<>();
        byType.forEach((k, v) -> m.put(k, v[1] == 0 ? 0 : (double) v[0] / v[1]));
        return m;
    }

    Map<String, Long> perTypeCount() {
        Map<String, Long> m = new LinkedHashMap<>();
        byType.forEach((k, v) -> m.put(k, v[1]));
        return m;
    }
}
