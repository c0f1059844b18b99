package dev.opencx.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks argument values against the subset of JSON Schema actions use: type, enum, minimum and
 * maximum (exclusive too, in the 3.0 and 3.1 forms), minLength, maxLength, pattern, format (email,
 * date, date-time, uuid), items, minItems, maxItems, required properties.
 */
final class ArgumentValidator {
    private ArgumentValidator() {}

    static void validate(String path, JsonNode value, JsonNode schema, List<String> problems) {
        if (schema == null || !schema.isObject()) {
            return;
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            List<String> types = new ArrayList<>();
            if (type.isArray()) {
                type.forEach(t -> types.add(t.asText()));
            } else {
                types.add(type.asText());
            }
            if (types.stream().noneMatch(t -> matches(t, value))) {
                problems.add(path + " must be " + String.join(" or ", types) + ", was " + describe(value));
                return;
            }
        }
        JsonNode allowed = schema.get("enum");
        if (allowed != null && allowed.isArray()) {
            boolean found = false;
            for (JsonNode option : allowed) {
                found |= option.equals(value)
                        || (option.isNumber()
                                && value.isNumber()
                                && option.decimalValue().compareTo(value.decimalValue()) == 0);
            }
            if (!found) {
                problems.add(path + " must be one of " + allowed + ", was " + value);
            }
        }
        if (value.isNumber()) {
            bounds(path, value, schema, problems);
        }
        if (value.isTextual()) {
            text(path, value.asText(), schema, problems);
        }
        if (value.isArray()) {
            if (schema.has("minItems") && value.size() < schema.get("minItems").asInt()) {
                problems.add(
                        path + " must have at least " + schema.get("minItems").asInt() + " items, had " + value.size());
            }
            if (schema.has("maxItems") && value.size() > schema.get("maxItems").asInt()) {
                problems.add(
                        path + " must have at most " + schema.get("maxItems").asInt() + " items, had " + value.size());
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                validate(path + "[" + i + "]", value.get(i), schema.get("items"), problems);
            }
        }
        if (value.isObject() && schema.has("properties")) {
            JsonNode properties = schema.get("properties");
            JsonNode required = schema.get("required");
            if (required != null) {
                for (JsonNode name : required) {
                    if (!value.has(name.asText()) || value.get(name.asText()).isNull()) {
                        problems.add(path + "." + name.asText() + " is required");
                    }
                }
            }
            properties.properties().forEach(e -> {
                JsonNode v = value.get(e.getKey());
                if (v != null && !v.isNull()) {
                    validate(path + "." + e.getKey(), v, e.getValue(), problems);
                }
            });
        }
    }

    private static void bounds(String path, JsonNode value, JsonNode schema, List<String> problems) {
        java.math.BigDecimal v = value.decimalValue();
        JsonNode min = schema.get("minimum");
        JsonNode max = schema.get("maximum");
        JsonNode exMin = schema.get("exclusiveMinimum");
        JsonNode exMax = schema.get("exclusiveMaximum");
        if (min != null && min.isNumber()) {
            boolean exclusive = exMin != null && exMin.isBoolean() && exMin.asBoolean(); // OpenAPI 3.0
            int c = v.compareTo(min.decimalValue());
            if (c < 0 || (exclusive && c == 0)) {
                problems.add(path + " must be " + (exclusive ? "more than " : "at least ") + min + ", was " + value);
            }
        }
        if (max != null && max.isNumber()) {
            boolean exclusive = exMax != null && exMax.isBoolean() && exMax.asBoolean();
            int c = v.compareTo(max.decimalValue());
            if (c > 0 || (exclusive && c == 0)) {
                problems.add(path + " must be " + (exclusive ? "less than " : "at most ") + max + ", was " + value);
            }
        }
        if (exMin != null && exMin.isNumber() && v.compareTo(exMin.decimalValue()) <= 0) { // 3.1
            problems.add(path + " must be more than " + exMin + ", was " + value);
        }
        if (exMax != null && exMax.isNumber() && v.compareTo(exMax.decimalValue()) >= 0) {
            problems.add(path + " must be less than " + exMax + ", was " + value);
        }
    }

    private static final java.util.regex.Pattern EMAIL =
            java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final java.util.regex.Pattern UUID = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static void text(String path, String v, JsonNode schema, List<String> problems) {
        int length = v.codePointCount(0, v.length());
        if (schema.has("minLength") && length < schema.get("minLength").asInt()) {
            problems.add(path + " must be at least " + schema.get("minLength").asInt() + " characters, was " + length);
        }
        if (schema.has("maxLength") && length > schema.get("maxLength").asInt()) {
            problems.add(path + " must be at most " + schema.get("maxLength").asInt() + " characters, was " + length);
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isTextual()) {
            try {
                if (!java.util.regex.Pattern.compile(pattern.asText())
                        .matcher(v)
                        .find()) {
                    problems.add(path + " must match " + pattern.asText());
                }
            } catch (java.util.regex.PatternSyntaxException notJava) {
                // an ECMA-only pattern Java cannot read: the API checks it
            }
        }
        String format = schema.path("format").asText("");
        boolean ok =
                switch (format) {
                    case "email" -> EMAIL.matcher(v).matches();
                    case "uuid" -> UUID.matcher(v).matches();
                    case "date" -> parses(() -> java.time.LocalDate.parse(v));
                    case "date-time" -> parses(() -> java.time.OffsetDateTime.parse(v));
                    default -> true;
                };
        if (!ok) {
            problems.add(path + " must be a valid " + format);
        }
    }

    private static boolean parses(Runnable parse) {
        try {
            parse.run();
            return true;
        } catch (java.time.format.DateTimeParseException e) {
            return false;
        }
    }

    private static boolean matches(String type, JsonNode value) {
        return switch (type) {
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber()
                    || (value.isNumber()
                            && value.decimalValue().stripTrailingZeros().scale() <= 0);
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "array" -> value.isArray();
            case "object" -> value.isObject();
            case "null" -> value.isNull();
            default -> true;
        };
    }

    private static String describe(JsonNode value) {
        String kind = value.isTextual()
                ? "a string"
                : value.isNumber()
                        ? "a number"
                        : value.isBoolean()
                                ? "a boolean"
                                : value.isArray() ? "an array" : value.isObject() ? "an object" : "null";
        return kind;
    }
}
