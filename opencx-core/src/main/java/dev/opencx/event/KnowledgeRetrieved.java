package dev.opencx.event;

import java.util.List;
import java.util.Map;

/**
 * The passages the responder read, with their scores.
 *
 * @param query what was searched
 * @param passages best first
 */
public record KnowledgeRetrieved(String query, List<Hit> passages) implements CoreEvent {
    public KnowledgeRetrieved {
        passages = passages == null ? List.of() : List.copyOf(passages);
    }

    /**
     * One retrieved passage.
     *
     * @param passageId the passage
     * @param documentId the article it belongs to
     * @param title the article title
     * @param score the fused score
     * @param signals the scores behind it (e.g. {@code bm25}, {@code vector}, ranks)
     */
    public record Hit(String passageId, String documentId, String title, double score, Map<String, Double> signals) {
        public Hit {
            // interned: the same passages come back in many sessions' logs
            passageId = passageId == null ? "" : passageId.intern();
            documentId = documentId == null ? "" : documentId.intern();
            title = title == null ? "" : title.intern();
            signals = CompactSignals.of(signals);
        }
    }
}
