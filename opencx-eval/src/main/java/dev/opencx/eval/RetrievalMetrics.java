package dev.opencx.eval;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/** Accumulates ranking metrics over queries with binary relevance. Not thread-safe. */
public final class RetrievalMetrics {
    private double pAt1;
    private double mrrAt10;
    private double ndcgAt10;
    private double recallAt5;
    private int queries;
    private final List<Double> latenciesMs = new ArrayList<>();

    /**
     * Adds one query.
     *
     * @param ranked document ids, best first (duplicates are ignored after their first occurrence)
     * @param relevant the relevant ids, not empty
     * @param latencyMs how long the search took
     */
    public void add(List<String> ranked, Set<String> relevant, double latencyMs) {
        if (relevant.isEmpty()) {
            throw new IllegalArgumentException("a query needs at least one relevant id");
        }
        List<String> r = ranked.stream().distinct().toList();
        queries++;
        latenciesMs.add(latencyMs);
        if (!r.isEmpty() && relevant.contains(r.get(0))) {
            pAt1++;
        }
        for (int i = 0; i < Math.min(10, r.size()); i++) {
            if (relevant.contains(r.get(i))) {
                mrrAt10 += 1.0 / (i + 1);
                break;
            }
        }
        double dcg = 0;
        for (int i = 0; i < Math.min(10, r.size()); i++) {
            if (relevant.contains(r.get(i))) {
                dcg += 1.0 / log2(i + 2);
            }
        }
        double idcg = 0;
        for (int i = 0; i < Math.min(10, relevant.size()); i++) {
            idcg += 1.0 / log2(i + 2);
        }
        ndcgAt10 += dcg / idcg;
        long found = r.stream().limit(5).filter(relevant::contains).count();
        recallAt5 += (double) found / relevant.size();
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    public int queries() {
        return queries;
    }

    public double pAt1() {
        return queries == 0 ? 0 : pAt1 / queries;
    }

    public double mrrAt10() {
        return queries == 0 ? 0 : mrrAt10 / queries;
    }

    public double ndcgAt10() {
        return queries == 0 ? 0 : ndcgAt10 / queries;
    }

    public double recallAt5() {
        return queries == 0 ? 0 : recallAt5 / queries;
    }

    /** The latency at quantile {@code q} (0..1), nearest rank. */
    public double latencyMs(double q) {
        if (latenciesMs.isEmpty()) {
            return 0;
        }
        List<Double> sorted = new ArrayList<>(latenciesMs);
        Collections.sort(sorted);
        int idx = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
