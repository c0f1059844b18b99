package dev.opencx.channel.web.internal;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.store.EventCodec;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Pattern;

/** JSON bodies: strict parsing with a clear reason, typed field access. */
public final class Json {
    public static final ObjectMapper MAPPER = EventCodec.newMapper();

    private Json() {}

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    public static WebResponse response(int status, JsonNode node) {
        return WebResponse.json(status, write(node));
    }

    /**
     * The body of a POST as a JSON object: 415 for another content type, 413 over {@code maxBytes},
     * 400 for an empty body, malformed JSON or a non-object.
     */
    public static ObjectNode body(WebRequest request, int maxBytes) {
        if (!request.mediaType().equals("application/json")) {
            String got = request.mediaType().isEmpty() ? "no Content-Type" : "'" + request.mediaType() + "'";
            throw new HttpError(415, "unsupported_media_type", "the body must be application/json, got " + got);
        }
        if (request.bodyLength() > maxBytes) {
            throw tooLarge(maxBytes);
        }
        if (request.bodyLength() == 0) {
            throw new HttpError(400, "invalid_json", "the body is empty; send a JSON object");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(request.body());
        } catch (JsonParseException e) {
            throw new HttpError(
                    400,
                    "invalid_json",
                    "the body is not valid JSON: " + e.getOriginalMessage() + " at line "
                            + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new HttpError(400, "invalid_json", "the body is not valid JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new HttpError(
                    400,
                    "invalid_json",
                    "the body must be a JSON object, got " + (node == null ? "nothing" : node.getNodeType()));
        }
        return (ObjectNode) node;
    }

    public static HttpError tooLarge(int maxBytes) {
        return new HttpError(413, "payload_too_large", "the body exceeds the limit of " + maxBytes + " bytes");
    }

    /** An optional string field; 400 when present with another type. */
    public static Optional<String> string(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw HttpError.badRequest("field '" + field + "' must be a string, got " + n.getNodeType());
        }
        return Optional.of(n.textValue());
    }

    /** A required string field that is not blank. */
    public static String requiredString(ObjectNode body, String field) {
        String s = string(body, field).orElseThrow(() -> HttpError.badRequest("field '" + field + "' is required"));
        if (s.isBlank()) {
            throw HttpError.badRequest("field '" + field + "' is blank");
        }
        return s;
    }

    /** An optional string field matching {@code pattern} ({@code rule} says what it must look like). */
    public static Optional<String> matching(ObjectNode body, String field, Pattern pattern, String rule) {
        Optional<String> s = string(body, field);
        if (s.isPresent() && !pattern.matcher(s.get()).matches()) {
            throw HttpError.badRequest("field '" + field + "' must be " + rule);
        }
        return s;
    }

    /** An optional object field. */
    public static Optional<ObjectNode> objectField(ObjectNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isObject()) {
            throw HttpError.badRequest("field '" + field + "' must be an object, got " + n.getNodeType());
        }
        return Optional.of((ObjectNode) n);
    }
}
