package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs {@link EvalCli} in the test's JVM and keeps what it printed. */
final class CliRun {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    /** Runs the CLI; returns its exit status. Output accumulates over runs until {@link #reset()}. */
    int run(String... args) {
        return EvalCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** The last stdout line, which every command makes its JSON result. */
    JsonNode lastLine() throws IOException {
        String[] lines = out().strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    void reset() {
        out.reset();
        err.reset();
    }
}
