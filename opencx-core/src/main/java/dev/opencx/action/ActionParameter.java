package dev.opencx.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One argument of an {@link Action}: its name, where it goes in the request, whether it is required,
 * its JSON Schema, and, for a contact-bound parameter, where its value comes from instead of the
 * conversation.
 *
 * <pre>{@code
 * ActionParameter id = ActionParameter.of("id", ParameterLocation.PATH, true, Schemas.string(), "The order number");
 * }</pre>
 *
 * @param name the name, as the API spells it; never null or blank
 * @param location where the value goes; never null
 * @param required whether the call cannot be made without it (path parameters always are)
 * @param schema the JSON Schema of the value (a copy is kept and handed out); never null
 * @param description what it is, for the model; never null, may be empty
 * @param boundTo the source of a contact-bound value, or null when the model or the customer
 *     fills it
 */
public record ActionParameter(
        String name,
        ParameterLocation location,
        boolean required,
        ObjectNode schema,
        String description,
        BoundSource boundTo) {

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
    }

    /** A parameter the model or the customer fills. */
    public static ActionParameter of(
            String name, ParameterLocation location, boolean required, ObjectNode schema, String description) {
        return new ActionParameter(name, location, required, schema, description, null);
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
        return new ActionParameter(name, location, required, schema, description, source);
    }
}
