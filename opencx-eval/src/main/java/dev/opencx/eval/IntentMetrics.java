package dev.opencx.eval;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Intent-classification metrics over gold and predicted labels, where {@code ""} means out of scope
 * ("none"): accuracy over every row, in-scope accuracy, out-of-scope recall and precision, and the
 * multiclass Matthews correlation coefficient (Gorodkin's R<sub>K</sub>, "none" being one more
 * class).
 *
 * @param rows how many rows
 * @param inScope rows whose gold label is a topic
 * @param outOfScope rows whose gold label is none
 * @param accuracy share of rows predicted exactly (none for none)
 * @param inScopeAccuracy share of in-scope rows given their topic; NaN without in-scope rows
 * @param oosRecall share of out-of-scope rows predicted none; NaN without such rows
 * @param oosPrecision share of "none" predictions that are out of scope; NaN when none was predicted
 * @param mcc multiclass Matthews correlation coefficient, 0 when undefined
 */
record IntentMetrics(
        int rows,
        int inScope,
        int outOfScope,
        double accuracy,
        double inScopeAccuracy,
        double oosRecall,
        double oosPrecision,
        double mcc) {

    static IntentMetrics of(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException(gold.size() + " gold labels but " + predicted.size() + " predictions");
        }
        Map<String, Integer> index = new HashMap<>();
        for (String l : gold) {
            index.putIfAbsent(l, index.size());
        }
        for (String l : predicted) {
            index.putIfAbsent(l, index.size());
        }
        int k = index.size();
        long[] t = new long[k];
        long[] p = new long[k];
        long correct = 0;
        int in = 0;
        int inRight = 0;
        int oos = 0;
        int oosRight = 0;
        int predictedNone = 0;
        for (int i = 0; i < gold.size(); i++) {
            String g = gold.get(i);
            String q = predicted.get(i);
            t[index.get(g)]++;
            p[index.get(q)]++;
            boolean right = g.equals(q);
            if (right) {
                correct++;
            }
            if (g.isEmpty()) {
                oos++;
                if (right) {
                    oosRight++;
                }
            } else {
                in++;
                if (right) {
                    inRight++;
                }
            }
            if (q.isEmpty()) {
                predictedNone++;
            }
        }
        long s = gold.size();
        double cov = (double) correct * s - dot(t, p);
        double den = Math.sqrt(((double) s * s - dot(p, p)) * ((double) s * s - dot(t, t)));
        double mcc = den == 0 ? 0 : cov / den;
        return new IntentMetrics(
                gold.size(),
                in,
                oos,
                s == 0 ? Double.NaN : (double) correct / s,
                in == 0 ? Double.NaN : (double) inRight / in,
                oos == 0 ? Double.NaN : (double) oosRight / oos,
                predictedNone == 0 ? Double.NaN : (double) oosRight / predictedNone,
                mcc);
    }

    private static double dot(long[] a, long[] b) {
        double r = 0;
        for (int i = 0; i < a.length; i++) {
            r += (double) a[i] * b[i];
        }
        return r;
    }

    /** The q-quantile (0..1) of the values, nearest rank; NaN when empty. */
    static double percentile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
