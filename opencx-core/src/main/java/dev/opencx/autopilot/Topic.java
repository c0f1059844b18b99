package dev.opencx.autopilot;

import java.util.List;
import java.util.Objects;

/**
 * A topic autopilot can recognise, described for a few-shot classifier.
 *
 * <pre>{@code
 * new Topic("returns", "Returning items and getting refunds",
 *         List.of("how do I return these shoes", "when will I get my refund"));
 * }</pre>
 *
 * <p>Null contract: {@code name} must not be null or blank (it is stripped); {@code description}
 * null becomes {@code ""}; {@code examples} null becomes an empty list, and its elements must be
 * neither null nor blank. At least a description or one example is required. A broken rule throws
 * {@link IllegalArgumentException} whose message names the value.
 *
 * @param name the topic's identifier, e.g. "billing"
 * @param description one sentence saying what belongs to the topic
 * @param examples customer utterances that belong to the topic
 */
public record Topic(String name, String description, List<String> examples) {
    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank but was '" + name + "'");
        }
        name = name.strip();
        description = description == null ? "" : description.strip();
        examples = examples == null ? List.of() : List.copyOf(examples); // rejects null elements
        for (int i = 0; i < examples.size(); i++) {
            if (examples.get(i).isBlank()) {
                throw new IllegalArgumentException("topic '" + name + "': example " + i + " is blank");
            }
        }
        if (description.isEmpty() && examples.isEmpty()) {
            throw new IllegalArgumentException("topic '" + name + "' needs a description or at least one example");
        }
    }

    /** A topic known by examples only. */
    public static Topic of(String name, String... examples) {
        return new Topic(name, "", List.of(examples));
    }
}
