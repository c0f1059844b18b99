package dev.opencx.knowledge.lucene.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCxException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The small JSON file beside the Lucene files that says what built the index: the format and the
 * embedding model (name and dimension). Internal: not an API.
 *
 * @param embeddingModel the model name, {@code "none"} for a BM25-only index
 * @param dimension the vector dimension, 0 for a BM25-only index
 */
public record Manifest(String embeddingModel, int dimension) {

    public static final String FILE_NAME = "opencx-knowledge.json";
    static final String FORMAT = "opencx-knowledge-lucene";
    static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Reads the manifest of {@code folder}; a missing, unreadable or foreign one is an {@link OpenCxException}. */
    public static Manifest read(Path folder) {
        Path file = folder.resolve(FILE_NAME);
        JsonNode node;
        try {
            node = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw OpenCxException.permanent(
                    "Knowledge index folder " + folder + " has an unreadable " + FILE_NAME
                            + " (corrupted?): delete the folder to rebuild the index",
                    e);
        }
        if (node == null || !FORMAT.equals(node.path("format").asText())) {
            throw OpenCxException.permanent(
                    "Knowledge index folder " + folder + " holds a " + FILE_NAME + " of another format: expected \""
                            + FORMAT + "\"",
                    null);
        }
        int version = node.path("formatVersion").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw OpenCxException.permanent(
                    "Knowledge index folder " + folder + " has format version " + version + "; this library reads "
                            + FORMAT_VERSION + ": rebuild the index in a new folder",
                    null);
        }
        return new Manifest(
                node.path("embeddingModel").asText(""), node.path("dimension").asInt(0));
    }

    /** Writes the manifest atomically. */
    public void write(Path folder) throws IOException {
        ObjectNode node = JSON.createObjectNode();
        node.put("format", FORMAT);
        node.put("formatVersion", FORMAT_VERSION);
        node.put("embeddingModel", embeddingModel);
        node.put("dimension", dimension);
        Path tmp = folder.resolve(FILE_NAME + ".tmp");
        Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
        Files.move(tmp, folder.resolve(FILE_NAME), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Fails when an index built with {@code this} cannot be used with {@code wanted}. */
    public void checkCompatible(Manifest wanted, Path folder) {
        if (!equals(wanted)) {
            throw OpenCxException.permanent(
                    "Knowledge index folder " + folder + " was built with embedding model \"" + embeddingModel
                            + "\" (dimension " + dimension + ") but this store uses \"" + wanted.embeddingModel
                            + "\" (dimension " + wanted.dimension + "): vectors from different models cannot be mixed;"
                            + " use the same model, or delete the folder (or pick a new one) to rebuild the index",
                    null);
        }
    }
}
