package dev.opencx.knowledge.lucene;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the shared evaluation data, which is never part of the repository: the system property
 * {@code opencx.datasets}, else a {@code shared/datasets} folder in the working directory or one of
 * its parents (CI checks {@code shared/} out beside the clone). Tests skip when it is absent, except
 * on CI ({@code CI=true}), where they fail.
 */
final class Datasets {
    private Datasets() {}

    static Path require(String relative) {
        String configured = System.getProperty("opencx.datasets");
        Path root = null;
        if (configured != null && !configured.isBlank()) {
            root = Path.of(configured);
        } else {
            for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve("shared").resolve("datasets");
                if (Files.isDirectory(candidate)) {
                    root = candidate;
                    break;
                }
            }
        }
        Path file = root == null ? null : root.resolve(relative);
        if (file == null || !Files.exists(file)) {
            String message = "Dataset " + relative + " not found (looked in "
                    + (configured != null
                            ? "-Dopencx.datasets=" + configured
                            : "shared/datasets above " + Path.of("").toAbsolutePath())
                    + "); set -Dopencx.datasets=/path/to/datasets to run this test";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + " (CI=true: the datasets must be present on CI)");
            }
            Assumptions.abort(message);
        }
        return file;
    }
}
