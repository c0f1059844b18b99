package dev.opencx.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a JSONL file one object at a time; a bad line is a {@link UsageException} naming it. */
final class JsonLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLines() {}

    /** Receives one parsed line. */
    @FunctionalInterface
    interface LineHandler {
        /**
         * @param node the line's JSON
         * @param where "FILE line N", for error messages
         */
        void accept(JsonNode node, String where) throws IOException;
    }

    /** Calls {@code handler} for every non-blank line of {@code file}, in order. */
    static void forEach(Path file, LineHandler handler) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("no such file: " + file);
        }
        try (BufferedReader r = Files.newBufferedReader(file)) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + lineNo;
                JsonNode node;
                try {
                    node = JSON.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new UsageException(where + ": not JSON: " + e.getOriginalMessage());
                }
                handler.accept(node, where);
            }
        }
    }
}
