package dev.opencx.knowledge;

import java.util.Objects;

/**
 * A search.
 *
 * @param text what the customer asked
 * @param locale prefer passages in this locale (BCP 47); empty searches every locale
 * @param maxResults at most this many passages
 * @param documentLevel true to return at most one passage per document (the best)
 */
public record KnowledgeQuery(String text, String locale, int maxResults, boolean documentLevel) {
    public KnowledgeQuery {
        Objects.requireNonNull(text, "text");
        locale = locale == null ? "" : locale;
        if (maxResults < 1 || maxResults > 1000) {
            throw new IllegalArgumentException("maxResults must be 1..1000, was " + maxResults);
        }
    }

    public static KnowledgeQuery of(String text, int maxResults) {
        return new KnowledgeQuery(text, "", maxResults, false);
    }
}
