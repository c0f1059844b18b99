package dev.opencx.action;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonBooleanSchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonNullSchema;
import dev.langchain4j.model.chat.request.json.JsonNumberSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchemaElement;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** JSON Schema (a Jackson tree) to LangChain4j {@link JsonSchemaElement}s. */
final class ToolSchemas {
    private ToolSchemas() {}

    /** The object schema of a tool's parameters. */
    static JsonObjectSchema object(JsonNode schema) {
        JsonObjectSchema.Builder builder = JsonObjectSchema.builder();
        String description = description(schema);
        if (description != null) {
            builder.description(description);
        }
        Iterator<Map.Entry<String, JsonNode>> properties =
                schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            builder.addProperty(property.getKey(), element(property.getValue()));
        }
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        if (!required.isEmpty()) {
            builder.required(required);
        }
        if (schema.path("additionalProperties").isBoolean()) {
            builder.additionalProperties(schema.get("additionalProperties").asBoolean());
        }
        return builder.build();
    }

    static JsonSchemaElement element(JsonNode schema) {
        String description = description(schema);
        if (schema.has("enum")) {
            List<String> values = new ArrayList<>();
            for (JsonNode value : schema.get("enum")) {
                if (!value.isTextual()) {
                    return raw(schema);
                }
                values.add(value.asText());
            }
            return JsonEnumSchema.builder()
                    .enumValues(values)
                    .description(description)
                    .build();
        }
        String alternatives = schema.has("oneOf") ? "oneOf" : schema.has("anyOf") ? "anyOf" : null;
        if (alternatives != null) {
            if (schema.has("properties") || schema.has("allOf") || (schema.has("oneOf") && schema.has("anyOf"))) {
                return raw(schema);
            }
            List<JsonSchemaElement> options = new ArrayList<>();
            schema.get(alternatives).forEach(option -> options.add(element(option)));
            return JsonAnyOfSchema.builder()
                    .anyOf(options)
                    .description(description)
                    .build();
        }
        if (schema.has("allOf") || schema.has("not")) {
            return raw(schema);
        }
        String type = type(schema);
        if (type == null) {
            return schema.has("properties") ? object(schema) : raw(schema);
        }
        switch (type) {
            case "string":
                return JsonStringSchema.builder().description(description).build();
            case "integer":
                return JsonIntegerSchema.builder().description(description).build();
            case "number":
                return JsonNumberSchema.builder().description(description).build();
            case "boolean":
                return JsonBooleanSchema.builder().description(description).build();
            case "null":
                return new JsonNullSchema();
            case "array":
                if (!schema.path("items").isObject()) {
                    return raw(schema);
                }
                return JsonArraySchema.builder()
                        .items(element(schema.get("items")))
                        .description(description)
                        .build();
            case "object":
                return object(schema);
            default:
                return raw(schema);
        }
    }

    /** The single type of a schema: {@code "string"}, or the non-null one of {@code ["string","null"]}. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type == null) {
            return null;
        }
        if (type.isTextual()) {
            return type.asText();
        }
        String single = null;
        for (JsonNode each : type) {
            if (!"null".equals(each.asText())) {
                if (single != null) {
                    return "mixed";
                }
                single = each.asText();
            }
        }
        return single;
    }

    private static String description(JsonNode schema) {
        String description = schema.path("description").asText(null);
        String format = schema.path("format").asText(null);
        if (format == null) {
            return description;
        }
        return description == null ? "format: " + format : description + " (format: " + format + ")";
    }

    private static JsonRawSchema raw(JsonNode schema) {
        return JsonRawSchema.from(schema.toString());
    }
}
