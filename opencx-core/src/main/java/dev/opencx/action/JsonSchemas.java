package dev.opencx.action;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Small JSON Schema values for {@link ActionBuilder} parameters.
 *
 * <pre>{@code
 * ObjectNode reason = JsonSchemas.enumOf("damaged", "late", "other");
 * ObjectNode address = JsonSchemas.parse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}");
 * }</pre>
 */
public final class JsonSchemas {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonSchemas() {}

    /** {@code {"type":"string"}}. */
    public static ObjectNode string() {
        return type("string");
    }

    /** {@code {"type":"string","format":format}} (e.g. {@code date-time}, {@code email}). */
    public static ObjectNode string(String format) {
        return type("string").put("format", format);
    }

    /** {@code {"type":"integer"}}. */
    public static ObjectNode integer() {
        return type("integer");
    }

    /** {@code {"type":"number"}}. */
    public static ObjectNode number() {
        return type("number");
    }

    /** {@code {"type":"boolean"}}. */
    public static ObjectNode bool() {
        return type("boolean");
    }

    /** {@code {"type":"string","enum":[values]}}. */
    public static ObjectNode enumOf(String... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("an enum needs at least one value");
        }
        ObjectNode schema = type("string");
        ArrayNode array = schema.putArray("enum");
        for (String value : values) {
            array.add(value);
        }
        return schema;
    }

    /** {@code {"type":"array","items":items}}. */
    public static ObjectNode arrayOf(ObjectNode items) {
        ObjectNode schema = type("array");
        schema.set("items", items.deepCopy());
        return schema;
    }

    /**
     * A schema from its JSON text.
     *
     * @throws IllegalArgumentException when the text is not a JSON object
     */
    public static ObjectNode parse(String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON schema: " + e.getOriginalMessage(), e);
        }
        if (!(node instanceof ObjectNode object)) {
            throw new IllegalArgumentException("a JSON schema must be an object, was " + json);
        }
        return object;
    }

    private static ObjectNode type(String type) {
        return NODES.objectNode().put("type", type);
    }
}
