package dev.opencx.action.openapi;

import static dev.opencx.action.openapi.OpenApiImporterTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.action.ActionRegistry;
import org.junit.jupiter.api.Test;

/**
 * Mappings that public specs got wrong before (found by {@code opencx-eval openapi} over the
 * APIs.guru directory); each fixture under {@code regressions/} is written by hand to show one of
 * them, no vendor text.
 */
class CorpusRegressionsTest {

    private static ActionRegistry importResource(String name) {
        return OpenApiImporter.defaults().importFile(resource("regressions/" + name));
    }

    @Test
    void extension_keys_in_paths_are_not_paths() {
        ActionRegistry registry = importResource("paths-extension.yaml");

        assertThat(registry.names()).containsExactly("listArtifacts");
        assertThat(registry.report().skipped()).isEmpty();
    }
}
