package dev.opencx.knowledge;

import java.util.Map;
import java.util.Objects;

/**
 * A document to index: a help-center article, a page of a connected source.
 *
 * @param id stable id; upserting the same id replaces the document
 * @param title the title
 * @param body the body in {@code format}
 * @param format markdown, HTML or plain text
 * @param url link shown with answers, empty when none
 * @param locale BCP 47 tag ({@code en}, {@code es})
 * @param topic help-center topic/category, empty when none
 * @param metadata free-form string attributes, never null
 */
public record KnowledgeDocument(
        String id,
        String title,
        String body,
        BodyFormat format,
        String url,
        String locale,
        String topic,
        Map<String, String> metadata) {
    public KnowledgeDocument {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("document id is blank");
        }
        title = title == null ? "" : title;
        body = body == null ? "" : body;
        format = format == null ? BodyFormat.PLAIN : format;
        url = url == null ? "" : url;
        locale = locale == null || locale.isBlank() ? "en" : locale;
        topic = topic == null ? "" : topic;
        metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public static KnowledgeDocument of(String id, String title, String body, BodyFormat format) {
        return new KnowledgeDocument(id, title, body, format, "", "en", "", Map.of());
    }
}
