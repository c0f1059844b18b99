package dev.opencx.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * One argument of an {@link Action}: its name, where it goes in the request, whether it is required,
 * its JSON Schema, and, for a contact-bound parameter, where its value comes from instead of the
 * conversation.
 *
 * <pre>{@code
 * ActionParameter id = ActionParameter.of("id", ParameterLocation.PATH, true, JsonSchemas.string(), "The order number");
 * }</pre>
 *
 * @param name the name, as the API spells it; never null or blank
 * @param location where the value goes; never null
 * @param required whether the call cannot be made without it (path parameters always are)
 * @param schema the JSON Schema of the value (a copy is kept and handed out); never null
 * @param description what it is, for the model; never null, may be empty
 * @param boundTo the source of a contact-bound value, or null when the model or the customer
 *     fills it
 * @param style how an array or object value is serialized, as OpenAPI names it: {@code simple},
 *     {@code label}, {@code matrix} (path), {@code form}, {@code spaceDelimited}, {@code
 *     pipeDelimited}, {@code deepObject} (query), {@code simple} (header), {@code form} (cookie);
 *     null takes the default of the location, empty for body parameters
 * @param explode whether array items and object properties become separate values ({@code
 *     ids=1&ids=2}) rather than one ({@code ids=1,2}); OpenAPI's default is true for {@code form}
 */
public record ActionParameter(
        String name,
        ParameterLocation location,
        boolean required,
        ObjectNode schema,
        String description,
        BoundSource boundTo,
        String style,
        boolean explode) {

    private static final Map<ParameterLocation, Set<String>> STYLES = Map.of(
            ParameterLocation.PATH, Set.of("simple", "label", "matrix"),
            ParameterLocation.QUERY, Set.of("form", "spaceDelimited", "pipeDelimited", "deepObject"),
            ParameterLocation.HEADER, Set.of("simple"),
            ParameterLocation.COOKIE, Set.of("form"),
            ParameterLocation.BODY_PROPERTY, Set.of(""),
            ParameterLocation.BODY, Set.of(""));

    /**
     * @throws IllegalArgumentException when the name is blank, or a path parameter is not required
     */
    public ActionParameter {
        Objects.requireNonNull(name, "parameter name");
        Objects.requireNonNull(location, "location of parameter " + name);
        Objects.requireNonNull(schema, "schema of parameter " + name);
        if (name.isBlank()) {
            throw new IllegalArgumentException("parameter name must not be blank, was '" + name + "'");
        }
        if (location == ParameterLocation.PATH && !required) {
            throw new IllegalArgumentException("path parameter '" + name + "' must be required");
        }
        schema = schema.deepCopy();
        description = description == null ? "" : description.strip();
        if (style == null) {
            style = defaultStyle(location);
        }
        if (!STYLES.get(location).contains(style)) {
            throw new IllegalArgumentException("style of " + location.name().toLowerCase(Locale.ROOT)
                    + " parameter '" + name + "' must be one of " + new TreeSet<>(STYLES.get(location))
                    + ", was '" + style + "'");
        }
    }

    /** OpenAPI's default style of a location: {@code form} for query and cookie, {@code simple} for path and header. */
    public static String defaultStyle(ParameterLocation location) {
        return switch (location) {
            case QUERY, COOKIE -> "form";
            case PATH, HEADER -> "simple";
            case BODY_PROPERTY, BODY -> "";
        };
    }

    /** A parameter the model or the customer fills, serialized in the default style of its location. */
    public static ActionParameter of(
            String name, ParameterLocation location, boolean required, ObjectNode schema, String description) {
        String style = defaultStyle(location);
        return new ActionParameter(name, location, required, schema, description, null, style, style.equals("form"));
    }

    /**
     * This parameter, serialized in another style.
     *
     * @throws IllegalArgumentException naming the style when the location does not allow it
     */
    public ActionParameter withStyle(String style, boolean explode) {
        return new ActionParameter(name, location, required, schema, description, boundTo, style, explode);
    }

    /** A copy of the JSON Schema of the value. */
    @Override
    public ObjectNode schema() {
        return schema.deepCopy();
    }

    /** Where the value comes from when it is contact-bound; empty when the model fills it. */
    public Optional<BoundSource> contactBound() {
        return Optional.ofNullable(boundTo);
    }

    /** Whether the value comes from the verified contact or the session, never the conversation. */
    public boolean isContactBound() {
        return boundTo != null;
    }

    /** This parameter, bound to a source (or unbound with null). */
    public ActionParameter withBoundTo(BoundSource source) {
        return new ActionParameter(name, location, required, schema, description, source, style, explode);
    }
}
