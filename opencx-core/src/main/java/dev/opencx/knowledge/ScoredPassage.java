package dev.opencx.knowledge;

import java.util.Map;
import java.util.Objects;

/**
 * A search hit.
 *
 * @param passage the passage
 * @param score the store's final score (higher is better; comparable within one result list)
 * @param signals the scores behind it, by name ({@code bm25}, {@code vector} cosine, {@code
 *     bm25_rank}, {@code vector_rank}); never null
 */
public record ScoredPassage(Passage passage, double score, Map<String, Double> signals) {
    public ScoredPassage {
        Objects.requireNonNull(passage, "passage");
        signals = signals == null ? Map.of() : Map.copyOf(signals);
    }

    /** A signal, or {@code fallback} when the store did not report it. */
    public double signal(String name, double fallback) {
        Double v = signals.get(name);
        return v == null ? fallback : v;
    }
}
