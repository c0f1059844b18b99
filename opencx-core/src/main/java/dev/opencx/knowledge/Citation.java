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
        Objects.requireNonNull(passageId, "passageId");
        documentId = documentId == null ? "" : documentId;
        title = title == null ? "" : title;
        url = url == null ? "" : url;
    }
}
