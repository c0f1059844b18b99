package dev.opencx.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The reply written after a successful action call, without an LLM: text with placeholders for the
 * call's arguments and the response's fields.
 *
 * <ul>
 *   <li>{@code {order_id}}: the value of the argument {@code order_id} as sent (contact-bound ones
 *       included);
 *   <li>{@code {/status}}, {@code {/shipping/eta}}, {@code {/items/0/name}}: a JSON pointer into the
 *       response body (as trimmed by the executor: see {@code
 *       ActionExecutor.Builder.responseFields} in {@code opencx-actions-http});
 *   <li>{@code {{} and {@code }}}: literal braces.
 * </ul>
 *
 * <pre>{@code
 * Action.builder("get_order")
 *         .get("/orders/{order_id}")
 *         .pathParam("order_id", "The order number")
 *         .replyTemplate("Order {order_id} is {/status}; it should arrive on {/eta}.")
 *         .build();
 * }</pre>
 *
 * <p>A value the response lacks makes {@link #render} return empty, and the SDK falls back to its
 * default reply rather than send a sentence with a hole in it.
 */
public final class ReplyTemplate {
    private final List<Part> parts;

    private ReplyTemplate(List<Part> parts) {
        this.parts = List.copyOf(parts);
    }

    /** One piece of a template: literal text, an argument name, or a JSON pointer into the response. */
    record Part(Kind kind, String value) {
        enum Kind {
            TEXT,
            ARGUMENT,
            POINTER
        }
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming the position when a brace is not closed or a
     *     placeholder is empty
     */
    public static ReplyTemplate parse(String template) {
        Objects.requireNonNull(template, "template");
        List<Part> parts = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{' && template.startsWith("{{", i)) {
                text.append('{');
                i += 2;
            } else if (c == '}' && template.startsWith("}}", i)) {
                text.append('}');
                i += 2;
            } else if (c == '{') {
                int close = template.indexOf('}', i);
                if (close < 0) {
                    throw new IllegalArgumentException(
                            "reply template has an unclosed '{' at position " + i + ": '" + template + "'");
                }
                String name = template.substring(i + 1, close).strip();
                if (name.isEmpty() || name.equals("/") || name.contains("{")) {
                    throw new IllegalArgumentException(
                            "reply template has an empty or malformed placeholder at position " + i + ": '" + template
                                    + "'");
                }
                if (text.length() > 0) {
                    parts.add(new Part(Part.Kind.TEXT, text.toString()));
                    text.setLength(0);
                }
                parts.add(new Part(name.startsWith("/") ? Part.Kind.POINTER : Part.Kind.ARGUMENT, name));
                i = close + 1;
            } else if (c == '}') {
                throw new IllegalArgumentException("reply template has a '}' without '{' at position " + i
                        + " (write '}}' for a brace): '" + template + "'");
            } else {
                text.append(c);
                i++;
            }
        }
        if (text.length() > 0) {
            parts.add(new Part(Part.Kind.TEXT, text.toString()));
        }
        return new ReplyTemplate(parts);
    }

    /** Whether the template is empty (the default reply is used). */
    public boolean isEmpty() {
        return parts.isEmpty();
    }

    /** The argument names the template uses ({@code {order_id}}), in order. */
    public List<String> argumentNames() {
        return parts.stream()
                .filter(p -> p.kind() == Part.Kind.ARGUMENT)
                .map(Part::value)
                .toList();
    }

    /** Checks that every argument placeholder names a parameter. */
    void checkArguments(String action, Set<String> parameters) {
        for (String name : argumentNames()) {
            if (!parameters.contains(name)) {
                throw new IllegalArgumentException("reply template of action '" + action + "' uses {" + name
                        + "}, which is not a parameter; parameters are " + parameters
                        + " (response fields are {/name})");
            }
        }
    }

    /**
     * Fills the template.
     *
     * @param arguments the arguments as sent, an object (contact-bound values included)
     * @param response the response body as JSON, or null when it was not JSON
     * @return the text; empty when a placeholder has no value
     */
    public Optional<String> render(JsonNode arguments, JsonNode response) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            switch (part.kind()) {
                case TEXT -> out.append(part.value());
                case ARGUMENT -> {
                    JsonNode v = arguments == null ? null : arguments.get(part.value());
                    if (!present(v)) {
                        return Optional.empty();
                    }
                    out.append(text(v));
                }
                case POINTER -> {
                    JsonNode v = response == null ? null : response.at(part.value());
                    if (!present(v)) {
                        return Optional.empty();
                    }
                    out.append(text(v));
                }
            }
        }
        return Optional.of(out.toString());
    }

    private static boolean present(JsonNode v) {
        return v != null && !v.isMissingNode() && !v.isNull();
    }

    private static String text(JsonNode v) {
        if (v.isArray()) {
            List<String> items = new ArrayList<>();
            v.forEach(item -> items.add(text(item)));
            return String.join(", ", items);
        }
        return v.isValueNode() ? v.asText() : v.toString();
    }
}
