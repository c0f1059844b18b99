package dev.opencx.helpcenter;

import dev.opencx.knowledge.BodyFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A help-center article in one locale. Translations of an article share its {@code id} and differ
 * by {@code locale}.
 *
 * @param id the article id, shared by its translations
 * @param locale BCP 47 tag
 * @param title the title
 * @param body markdown or HTML
 * @param format the body's format
 * @param topic the help-center topic (category) id, empty when none
 * @param url the public link, empty when none
 * @param status draft or published; only published articles are indexed
 */
public record Article(
        String id,
        String locale,
        String title,
        String body,
        BodyFormat format,
        String topic,
        String url,
        Status status) {

    /** Whether customers (and the AI) can see an article. */
    public enum Status {
        DRAFT,
        PUBLISHED
    }

    public Article {
        Objects.requireNonNull(id, "id");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw new IllegalArgumentException("article id must be letters, digits, '.', '_' or '-', was '" + id + "'");
        }
        locale = locale == null || locale.isBlank() ? "en" : locale.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(title, "title");
        if (title.isBlank()) {
            throw new IllegalArgumentException("article '" + id + "' has a blank title");
        }
        body = body == null ? "" : body;
        format = format == null ? BodyFormat.MARKDOWN : format;
        topic = topic == null ? "" : topic;
        url = url == null ? "" : url;
        status = status == null ? Status.DRAFT : status;
    }

    /** The id of this translation in the knowledge store: {@code article:<id>:<locale>}. */
    public String documentId() {
        return "article:" + id + ":" + locale;
    }

    public Article withStatus(Status s) {
        return new Article(id, locale, title, body, format, topic, url, s);
    }
}
