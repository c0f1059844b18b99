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
 * actions.report().skipped().forEach(s -> log.warn("skipped {}: {}", s.operation(), s.reason()));
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
     * @param reason why it could not be mapped, in one sentence
     */
    public record Skipped(String operation, String name, String reason) {
        public Skipped {
            Objects.requireNonNull(operation, "operation");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public String toString() {
            return operation + (name.isEmpty() ? "" : " (" + name + ")") + ": " + reason;
        }
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
