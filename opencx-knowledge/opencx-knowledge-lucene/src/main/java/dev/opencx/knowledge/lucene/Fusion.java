package dev.opencx.knowledge.lucene;

/** How a {@link LuceneKnowledgeStore} merges its BM25 and vector results in {@link RetrievalMode#HYBRID}. */
public enum Fusion {
    /**
     * Convex combination of scores normalised over the candidates: {@code (1 - w) · bm25 / max(bm25)
     * + w · (cos - min(cos)) / (max(cos) - min(cos))}, where {@code w} is the vector weight.
     */
    SCORE,
    /** Reciprocal rank fusion: {@code (1 - w) / (k + bm25 rank) + w / (k + vector rank)}. */
    RRF
}
