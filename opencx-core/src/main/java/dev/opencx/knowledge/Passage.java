package dev.opencx.knowledge;

import java.util.Objects;

/**
 * A chunk of a document, cut along its structure (a heading and the paragraphs under it).
 *
 * @param id {@code <documentId>#<n>}
 * @param documentId the document
 * @param title the document title
 * @param heading the section heading path ("Returns › Refund timing"), empty at the top
 * @param text plain text of the chunk
 * @param url the document's link, empty when none
 * @param locale the document's locale
 */
public record Passage(
        String id, String documentId, String title, String heading, String text, String url, String locale) {
    public Passage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(documentId, "documentId");
        title = title == null ? "" : title;
        heading = heading == null ? "" : heading;
        text = text == null ? "" : text;
        url = url == null ? "" : url;
        locale = locale == null ? "en" : locale;
    }

    public Citation citation() {
        return new Citation(id, documentId, title, url);
    }
}
