package dev.opencx.action.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.ImportReport.SkipCategory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Swagger 2.0 into the OpenAPI 3.0 shape the importer reads, per operation: {@code body} and {@code
 * formData} parameters become a {@code requestBody} (content types from {@code consumes}), the
 * type keywords of the other parameters move into a {@code schema}, and {@code
 * host}/{@code basePath}/{@code schemes} become a server URL. Schema {@code $ref}s ({@code
 * #/definitions/Pet}) stay as they are: they are JSON pointers into the same document.
 */
final class Swagger2 {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> SCHEMA_KEYWORDS = List.of(
            "type",
            "format",
            "items",
            "enum",
            "default",
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "minLength",
            "maxLength",
            "pattern",
            "minItems",
            "maxItems",
            "uniqueItems",
            "multipleOf");

    private Swagger2() {}

    /**
     * The server URL of {@code schemes}, {@code host} and {@code basePath}; null without a host or base
     * path. Forgives what hand-written documents get wrong: a scheme or a trailing slash in the host
     * ({@code https://api.example.com/}), a base path without its leading slash ({@code v1}).
     */
    static String serverUrl(JsonNode root) {
        String host = root.path("host").asText("").strip();
        String basePath = root.path("basePath").asText("").strip();
        if (!basePath.isEmpty() && !basePath.startsWith("/")) {
            basePath = "/" + basePath;
        }
        String scheme = null;
        int separator = host.indexOf("://");
        if (separator > 0) {
            scheme = host.substring(0, separator).toLowerCase(Locale.ROOT);
            host = host.substring(separator + 3);
        }
        while (host.endsWith("/")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            return basePath.isEmpty() ? null : basePath;
        }
        if (scheme == null) {
            List<String> schemes = new ArrayList<>();
            root.path("schemes").forEach(s -> schemes.add(s.asText()));
            scheme = schemes.isEmpty() || schemes.contains("https") ? "https" : schemes.get(0);
        }
        return scheme + "://" + host + basePath;
    }

    /**
     * The operation in the 3.0 shape, with the path-level parameters merged in.
     *
     * @param origins receives the document of each parameter and schema taken from another file, by
     *     identity, so that the references inside it resolve against that file
     * @throws SkipOperation when a parameter reference does not resolve
     */
    static ObjectNode operation(
            JsonNode root,
            JsonNode pathItem,
            JsonNode operation,
            Documents documents,
            Documents.Doc doc,
            Map<JsonNode, Documents.Doc> origins) {
        ObjectNode out = ((ObjectNode) operation).deepCopy();
        out.remove("parameters");
        out.remove("consumes");
        out.remove("produces");
        out.remove("responses");
        Map<String, Documents.Resolved> parameters = new LinkedHashMap<>();
        for (JsonNode source : List.of(pathItem.path("parameters"), operation.path("parameters"))) {
            for (JsonNode parameter : source) {
                Documents.Resolved resolved = documents.deref(parameter, doc);
                parameters.put(
                        resolved.node().path("in").asText() + ":"
                                + resolved.node().path("name").asText(),
                        resolved);
            }
        }
        List<String> consumes = new ArrayList<>();
        (operation.has("consumes") ? operation.get("consumes") : root.path("consumes"))
                .forEach(type -> consumes.add(type.asText()));
        ArrayNode converted = out.putArray("parameters");
        ObjectNode form = null;
        boolean file = false;
        for (Documents.Resolved resolved : parameters.values()) {
            JsonNode parameter = resolved.node();
            String in = parameter.path("in").asText();
            if (in.equals("body")) {
                ObjectNode body = out.putObject("requestBody");
                body.put("required", parameter.path("required").asBoolean(false));
                if (parameter.has("description")) {
                    body.put("description", parameter.get("description").asText());
                }
                ObjectNode content = body.putObject("content");
                JsonNode schema = parameter.get("schema");
                for (String type : consumes.isEmpty() ? List.of("application/json") : consumes) {
                    ObjectNode media = content.putObject(type);
                    if (schema != null) {
                        origins.put(schema, resolved.doc());
                        media.set("schema", schema);
                    }
                }
            } else if (in.equals("formData")) {
                if (form == null) {
                    form = NODES.objectNode().put("type", "object");
                    form.putObject("properties");
                }
                ObjectNode property = schema(parameter);
                origins.put(property, resolved.doc());
                ((ObjectNode) form.get("properties")).set(parameter.path("name").asText(), property);
                if (parameter.path("required").asBoolean(false)) {
                    (form.has("required") ? (ArrayNode) form.get("required") : form.putArray("required"))
                            .add(parameter.path("name").asText());
                }
                file |= parameter.path("type").asText().equals("file");
            } else {
                ObjectNode copy = NODES.objectNode();
                copy.put("name", parameter.path("name").asText());
                copy.put("in", in);
                copy.put("required", parameter.path("required").asBoolean(false));
                if (parameter.has("description")) {
                    copy.put("description", parameter.get("description").asText());
                }
                ObjectNode schema = schema(parameter);
                origins.put(schema, resolved.doc());
                copy.set("schema", schema);
                if (parameter.path("type").asText().equals("array")) {
                    style(copy, in, parameter.path("collectionFormat").asText("csv"));
                }
                converted.add(copy);
            }
        }
        if (form != null) {
            String type = file || consumes.contains("multipart/form-data")
                    ? "multipart/form-data"
                    : "application/x-www-form-urlencoded";
            ObjectNode body = out.putObject("requestBody");
            body.put("required", form.has("required"));
            body.putObject("content").putObject(type).set("schema", form);
        }
        return out;
    }

    /** {@code collectionFormat} as OpenAPI 3 {@code style} and {@code explode}. */
    private static void style(ObjectNode parameter, String in, String collectionFormat) {
        boolean query = in.equals("query");
        switch (collectionFormat) {
            case "csv" -> parameter.put("style", query ? "form" : "simple").put("explode", false);
            case "multi" -> parameter.put("style", "form").put("explode", true);
            case "ssv" -> parameter.put("style", "spaceDelimited").put("explode", false);
            case "pipes" -> parameter.put("style", "pipeDelimited").put("explode", false);
            default -> throw new SkipOperation(
                    SkipCategory.UNSUPPORTED_PARAMETER,
                    "collectionFormat '" + collectionFormat + "' of parameter '"
                            + parameter.path("name").asText() + "' is not supported (csv, multi, ssv, pipes are)");
        }
    }

    /** The schema of a non-body 2.0 parameter, from its type keywords. */
    private static ObjectNode schema(JsonNode parameter) {
        ObjectNode schema = NODES.objectNode();
        for (String keyword : SCHEMA_KEYWORDS) {
            if (parameter.has(keyword)) {
                JsonNode value = parameter.get(keyword).deepCopy();
                if (keyword.equals("items") && value.isObject() && !value.has("$ref")) {
                    value = schema(value);
                }
                schema.set(keyword, value);
            }
        }
        if (parameter.has("description")) {
            schema.put("description", parameter.get("description").asText());
        }
        return schema;
    }
}
