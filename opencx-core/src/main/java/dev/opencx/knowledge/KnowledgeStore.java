package dev.opencx.knowledge;

import java.util.List;

/**
 * Indexed knowledge the responder reads: documents in, scored passages out.
 *
 * <p>Implementations: {@code LuceneKnowledgeStore} in {@code opencx-knowledge-lucene} (hybrid BM25 +
 * vectors on local disk). Every implementation should pass {@code
 * dev.opencx.test.knowledge.KnowledgeStoreContract} from {@code opencx-test}.
 *
 * <p>Contract: thread-safe; no parameter may be null; upserting a document replaces all its
 * passages; results are best first.
 */
public interface KnowledgeStore extends AutoCloseable {

    /** Adds or replaces a document (and all its passages). */
    void upsert(KnowledgeDocument document);

    /** Adds or replaces several documents; implementations may batch the work. */
    default void upsertAll(List<KnowledgeDocument> documents) {
        documents.forEach(this::upsert);
    }

    /** Removes a document; unknown ids are ignored. */
    void delete(String documentId);

    /** The best passages for a query. */
    List<ScoredPassage> search(KnowledgeQuery query);

    /** Number of documents indexed. */
    int documentCount();

    /** Flushes and releases files; idempotent. */
    @Override
    void close();
}
