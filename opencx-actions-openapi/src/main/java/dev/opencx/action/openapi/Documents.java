package dev.opencx.action.openapi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.opencx.action.ImportReport.SkipCategory;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The root document and the files it references, parsed once each; resolves {@code $ref}s, local
 * ({@code #/components/schemas/Order}) and relative-file ({@code schemas/order.yaml#/Order}), never
 * over the network.
 */
final class Documents {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new YAMLMapper();
    private static final Pattern SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

    /** A parsed document; {@code file} is null for a document read from a string. */
    record Doc(Path file, JsonNode root) {
        String label() {
            return file == null ? "<string>" : file.toString();
        }
    }

    /** What a reference points at, in the document it was found in, and a key unique to it. */
    record Resolved(JsonNode node, Doc doc, String key) {}

    private final Map<Path, Doc> files = new HashMap<>();
    /** References resolved so far, by the label of the document they are in and the reference. */
    private final Map<String, Resolved> resolved = new HashMap<>();

    /** Parses JSON or YAML (sniffed from the first character). */
    static JsonNode parse(String text, String source) {
        String trimmed = text.stripLeading();
        boolean json = trimmed.startsWith("{") || trimmed.startsWith("[");
        try {
            JsonNode node = (json ? JSON : YAML).readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new OpenApiImportException(source + " is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation location = e.getLocation();
            String where =
                    location == null ? "" : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
            throw new OpenApiImportException(
                    source + " is not valid " + (json ? "JSON" : "YAML") + where + ": " + e.getOriginalMessage(), e);
        }
    }

    Doc load(Path file) {
        Path normalized = file.toAbsolutePath().normalize();
        Doc cached = files.get(normalized);
        if (cached != null) {
            return cached;
        }
        String text;
        try {
            text = Files.readString(normalized, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new OpenApiImportException("cannot read " + normalized + ": " + e, e);
        }
        Doc doc = new Doc(normalized, parse(text, normalized.toString()));
        files.put(normalized, doc);
        return doc;
    }

    /**
     * Resolves a reference found in {@code from}.
     *
     * @throws SkipOperation naming the reference when it does not resolve
     */
    Resolved resolve(String ref, Doc from) {
        String key = from.label() + '\u0000' + ref;
        Resolved known = resolved.get(key);
        if (known == null) {
            known = lookUp(ref, from);
            resolved.put(key, known);
        }
        return known;
    }

    private Resolved lookUp(String ref, Doc from) {
        int hash = ref.indexOf('#');
        String filePart = hash < 0 ? ref : ref.substring(0, hash);
        String pointer = hash < 0 ? "" : URLDecoder.decode(ref.substring(hash + 1), StandardCharsets.UTF_8);
        Doc target = from;
        if (!filePart.isEmpty()) {
            if (SCHEME.matcher(filePart).matches()) {
                throw new SkipOperation(
                        SkipCategory.REMOTE_REF,
                        "$ref '" + ref + "' is remote; only local and relative-file references are"
                                + " resolved, never over the network");
            }
            if (from.file() == null) {
                throw new SkipOperation(
                        SkipCategory.UNRESOLVED_REF,
                        "$ref '" + ref + "' is relative to a file, but the document was read from a"
                                + " string: import it with importFile(path)");
            }
            Path file = from.file()
                    .resolveSibling(URLDecoder.decode(filePart, StandardCharsets.UTF_8))
                    .normalize();
            if (!Files.isRegularFile(file)) {
                throw new SkipOperation(
                        SkipCategory.UNRESOLVED_REF, "$ref '" + ref + "' does not resolve: no file " + file);
            }
            try {
                target = load(file);
            } catch (OpenApiImportException e) {
                throw new SkipOperation(
                        SkipCategory.UNRESOLVED_REF, "$ref '" + ref + "' does not resolve: " + e.getMessage());
            }
        }
        JsonNode node;
        if (pointer.isEmpty()) {
            node = target.root();
        } else {
            if (!pointer.startsWith("/")) {
                throw new SkipOperation(
                        SkipCategory.UNRESOLVED_REF,
                        "$ref '" + ref + "' is not a JSON pointer (anchors are not supported)");
            }
            try {
                node = target.root().at(JsonPointer.compile(pointer));
            } catch (IllegalArgumentException e) {
                throw new SkipOperation(SkipCategory.UNRESOLVED_REF, "$ref '" + ref + "' is not a valid JSON pointer");
            }
        }
        if (node == null || node.isMissingNode()) {
            throw new SkipOperation(SkipCategory.UNRESOLVED_REF, "$ref '" + ref + "' does not resolve");
        }
        return new Resolved(node, target, target.label() + "#" + pointer);
    }

    /** Follows a chain of {@code $ref}s to a node that is not a reference (parameters, bodies). */
    Resolved deref(JsonNode node, Doc from) {
        Resolved current = new Resolved(node, from, from.label() + "#?");
        for (int hops = 0; current.node().path("$ref").isTextual(); hops++) {
            if (hops > 32) {
                throw new SkipOperation(
                        SkipCategory.UNRESOLVED_REF,
                        "$ref chain longer than 32 (a reference cycle) at '"
                                + current.node().get("$ref").asText() + "'");
            }
            current = resolve(current.node().get("$ref").asText(), current.doc());
        }
        return current;
    }
}
