package dev.opencx.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Checks argument values against the subset of JSON Schema actions use: type, enum, items, required. */
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
