package dev.opencx.helpcenter;

import java.util.Map;
import java.util.Objects;

/**
 * A group of articles ("Returns &amp; refunds"), named per locale.
 *
 * @param id stable id used by {@link Article#topic()}
 * @param names name per locale, at least one
 * @param descriptions description per locale, may be empty
 */
public record HelpCenterTopic(String id, Map<String, String> names, Map<String, String> descriptions) {
    public HelpCenterTopic {
        Objects.requireNonNull(id, "id");
        names = Map.copyOf(names);
        descriptions = descriptions == null ? Map.of() : Map.copyOf(descriptions);
        if (names.isEmpty()) {
            throw new IllegalArgumentException("topic '" + id + "' needs a name in at least one locale");
        }
    }

    /** The name in a locale, falling back to English, then to any. */
    public String name(String locale) {
        String n = names.get(locale);
        if (n == null) {
            n = names.getOrDefault("en", names.values().iterator().next());
        }
        return n;
    }
}
