package dev.opencx.action.http;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Shortens a response body for the model: selected fields (JSON pointers or top-level names),
 * arrays cut to a number of items with a note, and a character cap.
 */
final class ResponseTrimmer {
    record Trimmed(String text, boolean truncated) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResponseTrimmer() {}

    static Trimmed trim(String body, List<String> fields, int maxArrayItems, int maxChars) {
        if (body.isEmpty()) {
            return new Trimmed("", false);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (Exception notJson) {
            node = null;
        }
        boolean truncated = false;
        String text = body;
        if (node != null && !node.isMissingNode()) {
            if (!fields.isEmpty()) {
                node = select(node, fields);
                truncated = true;
            }
            for (int items = maxArrayItems; ; items = items / 2) {
                boolean[] cut = {false};
                JsonNode shortened = shorten(node, items, cut);
                text = shortened.toString();
                truncated |= cut[0];
                if (text.length() <= maxChars || items <= 1) {
                    break;
                }
            }
        }
        if (text.length() > maxChars) {
            String note = "… [cut at " + maxChars + " of " + text.length() + " characters]";
            text = text.substring(0, Math.max(0, maxChars - note.length())) + note;
            truncated = true;
        }
        return new Trimmed(text, truncated);
    }

    private static JsonNode select(JsonNode node, List<String> fields) {
        ObjectNode selected = JsonNodeFactory.instance.objectNode();
        for (String field : fields) {
            JsonNode value = field.startsWith("/") ? node.at(JsonPointer.compile(field)) : node.path(field);
            if (!value.isMissingNode()) {
                selected.set(field.startsWith("/") ? field.substring(1) : field, value);
            }
        }
        return selected;
    }

    private static JsonNode shorten(JsonNode node, int maxItems, boolean[] cut) {
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size() && i < maxItems; i++) {
                copy.add(shorten(node.get(i), maxItems, cut));
            }
            if (node.size() > maxItems) {
                copy.add("… " + (node.size() - maxItems) + " more items not shown (" + node.size() + " in all)");
                cut[0] = true;
            }
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                copy.set(e.getKey(), shorten(e.getValue(), maxItems, cut));
            }
            return copy;
        }
        return node;
    }
}
