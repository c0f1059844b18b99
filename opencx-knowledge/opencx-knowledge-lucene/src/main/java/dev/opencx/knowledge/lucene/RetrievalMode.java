package dev.opencx.knowledge.lucene;

/** Which retrievers a {@link LuceneKnowledgeStore} search uses. */
public enum RetrievalMode {
    /** Lexical BM25 and vector similarity, fused. */
    HYBRID,
    /** Lexical BM25 only (needs no embedding model). */
    BM25,
    /** Vector similarity only. */
    VECTOR
}
