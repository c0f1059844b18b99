package dev.opencx.action;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an import made of a document: the actions imported, the operations skipped with the reason,
 * and notes on what was imported with a simplification (a recursive schema cut, an unknown server
 * variable). Immutable.
 *
 * <pre>{@code
 * ActionRegistry actions = OpenApiImporter.defaults().importFile(Path.of("openapi.yaml"));
 * actions.report().skipped().forEach(s -> log.warn("skipped {} ({}): {}", s.operation(), s.category(), s.reason()));
 * }</pre>
 *
 * @param source where the document came from (a file path, or {@code <string>})
 * @param imported the names of the imported actions, in document order
 * @param skipped the operations that could not be mapped, in document order
 * @param notes simplifications made while importing, in document order
 */
public record ImportReport(String source, List<String> imported, List<Skipped> skipped, List<Note> notes) {

    private static final ImportReport NONE = new ImportReport("", List.of(), List.of(), List.of());

    public ImportReport {
        Objects.requireNonNull(source, "source");
        imported = List.copyOf(imported);
        skipped = List.copyOf(skipped);
        notes = List.copyOf(notes);
    }

    /** The report of a registry that was not imported. */
    public static ImportReport none() {
        return NONE;
    }

    /**
     * An operation that was not imported.
     *
     * @param operation the operation as {@code METHOD /path} (e.g. {@code POST /uploads})
     * @param name the operationId, or the derived name; may be empty
     * @param category why, as a stable category to count and switch on
     * @param reason why it could not be mapped, in one sentence naming the bad value
     */
    public record Skipped(String operation, String name, SkipCategory category, String reason) {
        public Skipped {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(category, "category");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return operation + (name.isEmpty() ? "" : " (" + name + ")") + ": " + reason;
        }
    }

    /**
     * Why an operation was skipped, as a category that stays the same across documents and versions
     * (the detailed {@link Skipped#reason() reason} names the operation's own values).
     */
    public enum SkipCategory {
        /** A required request body of a media type that is not mapped (multipart, XML, binary, text). */
        UNSUPPORTED_BODY,
        /** A {@code $ref} that does not resolve: missing target or file, not a JSON pointer, a cycle. */
        UNRESOLVED_REF,
        /** A {@code $ref} to another host; references are never fetched over the network. */
        REMOTE_REF,
        /** A second operation with the same {@code operationId}. */
        DUPLICATE_NAME,
        /** Two arguments of the same name (in two locations, or a parameter and a body property). */
        NAME_CONFLICT,
        /** The path is not a template the importer can map, or it and the path parameters do not agree. */
        INVALID_PATH,
        /** A parameter location, style or collection format that is not supported. */
        UNSUPPORTED_PARAMETER,
        /** A parameter without a name or a location. */
        INVALID_PARAMETER,
        /** A schema that is neither an object nor a boolean. */
        INVALID_SCHEMA,
        /** Schemas that expand to more subschemas than the importer's limit. */
        SCHEMA_TOO_LARGE,
        /** A malformed {@code x-opencx-*} extension value. */
        INVALID_EXTENSION,
        /** The operation or its path item is not an object. */
        INVALID_OPERATION,
        /** An unexpected error of the importer itself; the reason names it. */
        INTERNAL_ERROR
    }

    /**
     * A simplification made while importing.
     *
     * @param operation the operation as {@code METHOD /path}, or empty for the whole document
     * @param message what was simplified
     */
    public record Note(String operation, String message) {
        public Note {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String toString() {
            return (operation.isEmpty() ? "" : operation + ": ") + message;
        }
    }

    /** The reason an operation ({@code METHOD /path}) was skipped, if it was. */
    public Optional<String> skipReason(String operation) {
        return skipped.stream()
                .filter(s -> s.operation().equals(operation))
                .map(Skipped::reason)
                .findFirst();
    }
}
