package dev.opencx.knowledge;

import java.util.Objects;

/**
 * A source shown with an AI reply.
 *
 * @param passageId the passage the reply drew on
 * @param documentId its article
 * @param title the article title
 * @param url link to the article, empty when it has none
 */
public record Citation(String passageId, String documentId, String title, String url) {
    public Citation {
        // interned: the same articles are cited in many sessions' logs
        passageId = Objects.requireNonNull(passageId, "passageId").intern();
        documentId = documentId == null ? "" : documentId.intern();
        title = title == null ? "" : title.intern();
        url = url == null ? "" : url.intern();
    }
}
