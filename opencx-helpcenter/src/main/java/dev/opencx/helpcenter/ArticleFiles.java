package dev.opencx.helpcenter;

import dev.opencx.knowledge.BodyFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads articles from markdown (or HTML) files with a front-matter block:
 *
 * <pre>
 * ---
 * id: returns-policy
 * title: Our return policy
 * topic: returns
 * locale: en
 * url: https://shop.example/help/returns-policy
 * status: published
 * ---
 * You have 30 days to return…
 * </pre>
 *
 * Works on any {@link Path}, including one inside a jar's file system. A file with missing or
 * malformed front matter fails with a message naming the file and the field.
 */
public final class ArticleFiles {
    private ArticleFiles() {}

    /** Every {@code .md}, {@code .markdown} and {@code .html} file below {@code root}, sorted by path. */
    public static List<Article> readAll(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("article folder does not exist: " + root);
        }
        try (Stream<Path> files = Files.walk(root)) {
            List<Path> paths = files.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                        return n.endsWith(".md") || n.endsWith(".markdown") || n.endsWith(".html");
                    })
                    .sorted()
                    .toList();
            List<Article> out = new ArrayList<>();
            for (Path p : paths) {
                out.add(read(p));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read articles below " + root, e);
        }
    }

    /** One article file. */
    public static Article read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read article " + file, e);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        BodyFormat format = name.endsWith(".html") ? BodyFormat.HTML : BodyFormat.MARKDOWN;
        return parse(text, format, file.toString());
    }

    /** Parses front matter and body; {@code origin} names the source in error messages. */
    public static Article parse(String text, BodyFormat format, String origin) {
        String t = text.replace("\r\n", "\n");
        if (t.startsWith("\uFEFF")) {
            t = t.substring(1);
        }
        if (!t.startsWith("---\n")) {
            throw new IllegalArgumentException(origin + ": article must start with a '---' front-matter block");
        }
        int end = t.indexOf("\n---", 4);
        if (end < 0) {
            throw new IllegalArgumentException(origin + ": front matter is not closed with '---'");
        }
        Map<String, String> fields = new HashMap<>();
        for (String line : t.substring(4, end).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon < 0) {
                throw new IllegalArgumentException(origin + ": front-matter line is not 'key: value': '" + line + "'");
            }
            String value = line.substring(colon + 1).strip();
            if (value.length() >= 2
                    && (value.startsWith("\"") && value.endsWith("\"")
                            || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            fields.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), value);
        }
        int bodyStart = t.indexOf('\n', end + 1);
        String body = bodyStart < 0 ? "" : t.substring(bodyStart + 1).strip();
        for (String required : List.of("id", "title")) {
            if (!fields.containsKey(required) || fields.get(required).isBlank()) {
                throw new IllegalArgumentException(origin + ": front matter has no '" + required + "'");
            }
        }
        String status = fields.getOrDefault("status", "published").toUpperCase(Locale.ROOT);
        Article.Status st;
        try {
            st = Article.Status.valueOf(status);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    origin + ": status must be 'draft' or 'published', was '" + fields.get("status") + "'", e);
        }
        try {
            return new Article(
                    fields.get("id"),
                    fields.getOrDefault("locale", "en"),
                    fields.get("title"),
                    body,
                    format,
                    fields.getOrDefault("topic", ""),
                    fields.getOrDefault("url", ""),
                    st);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }
}
