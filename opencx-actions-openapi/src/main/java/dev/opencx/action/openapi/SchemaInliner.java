package dev.opencx.action.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.ImportReport.SkipCategory;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns an OpenAPI schema into a self-contained JSON Schema: {@code $ref}s inlined, {@code allOf}
 * merged ({@code oneOf}/{@code anyOf} kept), OpenAPI 3.0 dialect ({@code nullable}, boolean {@code
 * exclusiveMinimum}) turned into JSON Schema, read-only properties dropped (these are request
 * schemas), vendor extensions and documentation-only keywords removed. Recursion is bounded: a
 * reference back into a schema being expanded becomes a permissive schema, and nesting deeper than
 * the limit is cut, each with a note.
 */
final class SchemaInliner {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "oneOf", "anyOf", "prefixItems");
    private static final Set<String> SINGLE_SCHEMAS =
            Set.of("items", "additionalProperties", "not", "contains", "propertyNames", "if", "then", "else");
    private static final Set<String> DROPPED = Set.of(
            "discriminator",
            "xml",
            "externalDocs",
            "example",
            "nullable",
            "$defs",
            "definitions",
            "$schema",
            "$id",
            "$anchor",
            "$comment",
            "x-nullable");

    /** At most this many subschemas per operation: shared references can grow a schema exponentially. */
    static final int MAX_SUBSCHEMAS = 20_000;
    /**
     * At most this many references expanded inside one another: a reference does not nest the
     * schema deeper, so a long chain of them ({@code A: {$ref: B}}, {@code B: {$ref: C}}…) would
     * otherwise only be bounded by the thread's stack.
     */
    static final int MAX_REFERENCE_NESTING = 256;

    private final Documents documents;
    private final int maxDepth;
    private final Consumer<String> notes;
    private final Map<JsonNode, Documents.Doc> origins;
    private int subschemas;

    /**
     * @param origins the document of nodes that were moved out of it (Swagger 2.0 parameters turned
     *     into schemas), by identity; other nodes are in the document they are walked from
     */
    SchemaInliner(Documents documents, int maxDepth, Consumer<String> notes, Map<JsonNode, Documents.Doc> origins) {
        this.documents = documents;
        this.maxDepth = maxDepth;
        this.notes = notes;
        this.origins = origins;
    }

    ObjectNode inline(JsonNode schema, Documents.Doc doc) {
        return walk(schema, doc, new ArrayDeque<>(), 0);
    }

    private ObjectNode walk(JsonNode schema, Documents.Doc from, Deque<String> expanding, int depth) {
        Documents.Doc doc = origins.isEmpty() ? from : origins.getOrDefault(schema, from);
        if (++subschemas > MAX_SUBSCHEMAS) {
            throw new SkipOperation(
                    SkipCategory.SCHEMA_TOO_LARGE,
                    "its schemas expand to more than " + MAX_SUBSCHEMAS
                            + " subschemas (references shared many times over); lower maxSchemaDepth or simplify them");
        }
        if (schema.isBoolean()) {
            return schema.asBoolean() ? NODES.objectNode() : NODES.objectNode().set("not", NODES.objectNode());
        }
        if (!schema.isObject()) {
            throw new SkipOperation(
                    SkipCategory.INVALID_SCHEMA,
                    "a schema must be an object, was " + OpenApiImporter.abbreviate(schema));
        }
        if (depth > maxDepth) {
            notes.accept("schema nested deeper than " + maxDepth + " levels; the rest is a permissive schema");
            return NODES.objectNode().put("description", "(nested deeper than " + maxDepth + " levels, not expanded)");
        }
        if (schema.path("$ref").isTextual()) {
            String ref = schema.get("$ref").asText();
            Documents.Resolved target = documents.resolve(ref, doc);
            JsonNode root = target.doc().root();
            if (target.node() == root && (root.has("openapi") || root.has("swagger"))) {
                throw new SkipOperation(
                        SkipCategory.INVALID_SCHEMA,
                        "$ref '" + ref + "' points at a whole OpenAPI document, not at a schema");
            }
            ObjectNode out;
            if (expanding.size() >= MAX_REFERENCE_NESTING) {
                notes.accept("references nested more than " + MAX_REFERENCE_NESTING
                        + " deep; the rest is a permissive schema");
                out = NODES.objectNode()
                        .put("description", "(references nested too deep, " + name(ref) + " not expanded)");
            } else if (expanding.contains(target.key())) {
                notes.accept("recursive schema " + ref + " is expanded once; deeper levels are a permissive schema");
                out = NODES.objectNode();
                if (target.node().path("type").isTextual()) {
                    out.put("type", target.node().get("type").asText());
                }
                out.put("description", "(recursive " + name(ref) + ", not expanded)");
            } else {
                expanding.push(target.key());
                out = walk(target.node(), target.doc(), expanding, depth);
                expanding.pop();
            }
            if (schema.size() > 1) {
                ObjectNode siblings = ((ObjectNode) schema).deepCopy();
                siblings.remove("$ref");
                out.setAll(walk(siblings, doc, expanding, depth));
                // the siblings alone have no type to make nullable: the referenced schema has
                if (nullable(schema)) {
                    makeNullable(out);
                }
            }
            return out;
        }
        ObjectNode out = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("x-") || DROPPED.contains(key)) {
                continue;
            }
            if (malformed(key, value)) {
                continue;
            }
            if (SCHEMA_MAPS.contains(key) && value.isObject()) {
                ObjectNode map = out.putObject(key);
                Iterator<Map.Entry<String, JsonNode>> entries = value.fields();
                while (entries.hasNext()) {
                    Map.Entry<String, JsonNode> entry = entries.next();
                    ObjectNode property = walk(entry.getValue(), doc, expanding, depth + 1);
                    if (!property.path("readOnly").asBoolean(false)) {
                        map.set(entry.getKey(), property);
                    }
                }
            } else if (SCHEMA_LISTS.contains(key) && value.isArray()) {
                ArrayNode list = out.putArray(key);
                for (JsonNode element : value) {
                    list.add(walk(element, doc, expanding, depth + 1));
                }
            } else if (SINGLE_SCHEMAS.contains(key) && (value.isObject() || value.isBoolean())) {
                if (value.isBoolean() && key.equals("additionalProperties")) {
                    out.set(key, value);
                } else {
                    out.set(key, walk(value, doc, expanding, depth + 1));
                }
            } else if (key.equals("items") && value.isArray()) {
                ArrayNode list = out.putArray("prefixItems");
                for (JsonNode element : value) {
                    list.add(walk(element, doc, expanding, depth + 1));
                }
            } else {
                out.set(key, value.deepCopy());
            }
        }
        if (out.has("required") && out.has("properties") && schema.has("properties")) {
            dropMissingRequired(out);
        }
        if (schema.path("example").isValueNode() || schema.path("example").isContainerNode()) {
            if (!out.has("examples")) {
                out.putArray("examples").add(schema.get("example").deepCopy());
            }
        }
        convertExclusive(out, "exclusiveMinimum", "minimum");
        convertExclusive(out, "exclusiveMaximum", "maximum");
        if (out.path("allOf").isArray()) {
            mergeAllOf(out);
        }
        // after the merge: the type of `allOf: [{$ref: X}], nullable: true` comes from X
        if (nullable(schema)) {
            makeNullable(out);
        }
        return out;
    }

    /**
     * A keyword whose value is not of the kind JSON Schema requires ({@code properties: [..]}, {@code
     * allOf: {..}}, {@code items: ''}, {@code $ref: 5}) is left out with a note: the schema only
     * becomes more permissive.
     */
    private boolean malformed(String key, JsonNode value) {
        String expected;
        if (SCHEMA_MAPS.contains(key)) {
            expected = value.isObject() ? null : "a map of names to schemas";
        } else if (SCHEMA_LISTS.contains(key)) {
            expected = value.isArray() ? null : "a list of schemas";
        } else if (SINGLE_SCHEMAS.contains(key)) {
            boolean ok = value.isObject() || value.isBoolean() || (key.equals("items") && value.isArray());
            expected = ok ? null : "a schema";
        } else if (key.equals("$ref")) {
            expected = "a string";
        } else {
            expected = null;
        }
        if (expected != null) {
            notes.accept("schema keyword '" + key + "' must be " + expected + ", was "
                    + OpenApiImporter.abbreviate(value) + "; it is left out");
        }
        return expected != null;
    }

    /** Read-only properties were dropped: they are no longer required either. */
    private static void dropMissingRequired(ObjectNode out) {
        ArrayNode kept = NODES.arrayNode();
        for (JsonNode name : out.get("required")) {
            if (out.get("properties").has(name.asText())) {
                kept.add(name);
            }
        }
        if (kept.isEmpty()) {
            out.remove("required");
        } else {
            out.set("required", kept);
        }
    }

    /** OpenAPI 3.0: {@code exclusiveMinimum: true} next to {@code minimum} is JSON Schema's number form. */
    private static void convertExclusive(ObjectNode out, String exclusive, String bound) {
        if (out.path(exclusive).isBoolean()) {
            boolean on = out.get(exclusive).asBoolean();
            out.remove(exclusive);
            if (on && out.has(bound)) {
                out.set(exclusive, out.remove(bound));
            }
        }
    }

    /** OpenAPI 3.0's {@code nullable: true}, or Swagger 2.0's {@code x-nullable: true}. */
    private static boolean nullable(JsonNode schema) {
        return schema.path("nullable").asBoolean(false)
                || schema.path("x-nullable").asBoolean(false);
    }

    private static void makeNullable(ObjectNode out) {
        JsonNode type = out.get("type");
        if (type != null && type.isTextual()) {
            out.putArray("type").add(type.asText()).add("null");
        }
        if (out.path("enum").isArray()) {
            ArrayNode values = (ArrayNode) out.get("enum");
            boolean hasNull = false;
            for (JsonNode value : values) {
                hasNull |= value.isNull();
            }
            if (!hasNull) {
                values.addNull();
            }
        }
    }

    /**
     * Merges the branches of an {@code allOf} into one schema: properties and required lists are
     * united, other keywords taken from the first branch that has them; a {@code oneOf}/{@code anyOf}
     * of a branch is kept (on the merged schema, or in a residual {@code allOf} when several branches
     * have one). Merges in place: the schema and its branches were just built by {@link #walk} and
     * are not shared, and copying them again at every level of nested {@code allOf}s made the import
     * of large documents (Microsoft Graph) spend a third of its time copying.
     */
    private static void mergeAllOf(ObjectNode merged) {
        ArrayNode branches = (ArrayNode) merged.remove("allOf");
        ArrayNode residual = NODES.arrayNode();
        Set<String> required = new LinkedHashSet<>();
        merged.path("required").forEach(name -> required.add(name.asText()));
        for (JsonNode branch : branches) {
            Iterator<Map.Entry<String, JsonNode>> fields = branch.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = field.getKey();
                JsonNode value = field.getValue();
                switch (key) {
                    case "properties" -> {
                        if (!merged.has("properties")) {
                            merged.set("properties", value);
                        } else if (merged.get("properties").isObject() && value.isObject()) {
                            ((ObjectNode) merged.get("properties")).setAll((ObjectNode) value);
                        }
                    }
                    case "required" -> value.forEach(name -> required.add(name.asText()));
                    case "oneOf", "anyOf", "not", "allOf" -> {
                        if (merged.has(key)) {
                            residual.add(NODES.objectNode().set(key, value));
                        } else {
                            merged.set(key, value);
                        }
                    }
                    default -> {
                        if (!merged.has(key)) {
                            merged.set(key, value);
                        }
                    }
                }
            }
        }
        if (!required.isEmpty()) {
            ArrayNode list = merged.putArray("required");
            required.forEach(list::add);
        }
        if (!residual.isEmpty()) {
            ArrayNode allOf =
                    merged.path("allOf").isArray() ? (ArrayNode) merged.get("allOf") : merged.putArray("allOf");
            allOf.addAll(residual);
        }
        if (merged.has("required") && merged.has("properties")) {
            dropMissingRequired(merged);
        }
        if (!merged.has("type") && merged.has("properties")) {
            merged.put("type", "object");
        }
    }

    private static String name(String ref) {
        int slash = ref.lastIndexOf('/');
        return slash < 0 ? ref : ref.substring(slash + 1);
    }
}
