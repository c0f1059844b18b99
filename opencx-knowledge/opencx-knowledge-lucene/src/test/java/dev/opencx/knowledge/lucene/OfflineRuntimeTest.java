package dev.opencx.knowledge.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OfflineRuntimeTest {

    private static final List<String> KEYS =
            List.of(OfflineRuntime.DJL_TRACKING_OPT_OUT, OfflineRuntime.DJL_TOKENIZER_FLAVOR);
    private final Map<String, String> saved = new HashMap<>();

    @BeforeEach
    void saveProperties() {
        KEYS.forEach(k -> saved.put(k, System.getProperty(k)));
    }

    @AfterEach
    void restoreProperties() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    @Test
    void opts_out_of_djl_tracking_and_the_gpu_tokenizer_download_when_the_user_set_nothing() {
        KEYS.forEach(System::clearProperty);
        assertThat(OfflineRuntime.apply(k -> null)).containsExactlyInAnyOrderElementsOf(KEYS);
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(System.getProperty("RUST_FLAVOR")).isEqualTo("cpu");
    }

    @Test
    void leaves_a_users_own_settings_alone() {
        KEYS.forEach(System::clearProperty);
        System.setProperty("OPT_OUT_TRACKING", "false"); // the user wants DJL's telemetry
        Map<String, String> environment = Map.of("RUST_FLAVOR", "cu124"); // and chose the tokenizer build
        assertThat(OfflineRuntime.apply(environment::get)).isEmpty();
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("false");
        assertThat(System.getProperty("RUST_FLAVOR"))
                .as("the environment variable wins in DJL")
                .isNull();
    }

    @Test
    void the_opt_out_is_in_effect_once_the_model_is_created() {
        assumeThat(System.getenv("OPT_OUT_TRACKING"))
                .as("OPT_OUT_TRACKING set in the environment")
                .isNull();
        try (MiniLmEmbeddingModel model = MiniLmEmbeddingModel.builder().build()) {
            assertThat(model.dimension()).isEqualTo(384);
        }
        assertThat(System.getProperty("OPT_OUT_TRACKING")).isEqualTo("true");
    }

    @Test
    void loading_the_model_opens_no_connection() throws Exception {
        List<String> out = runChild();
        assertThat(out).as(String.join("\n", out)).contains("EMBEDDED 384", "OPT_OUT_TRACKING=true");
        assertThat(out).filteredOn(l -> l.startsWith("OPENED ")).isEmpty();
    }

    @Test
    void djl_asks_the_ec2_metadata_endpoint_when_the_user_turns_its_telemetry_back_on() throws Exception {
        // the control: shows the child would see DJL's probe, and that users can re-enable it
        List<String> out = runChild("-DOPT_OUT_TRACKING=false");
        out.stream().filter(l -> l.startsWith("OPENED ")).forEach(l -> System.out.println("with tracking on: " + l));
        assertThat(out).as(String.join("\n", out)).contains("EMBEDDED 384", "OPT_OUT_TRACKING=false");
        assertThat(out)
                .filteredOn(l -> l.startsWith("OPENED "))
                .isNotEmpty()
                .allMatch(l -> l.startsWith("OPENED http://169.254.169.254/"));
    }

    private static List<String> runChild(String... jvmArgs) throws IOException, InterruptedException {
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.addAll(List.of(
                "-Dorg.slf4j.simpleLogger.defaultLogLevel=error", "-cp", classpath, UrlRecordingMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        for (String k : List.of("OPT_OUT_TRACKING", "RUST_FLAVOR", "DJL_OFFLINE")) {
            pb.environment().remove(k);
        }
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).as("child finished").isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return output.lines().toList();
    }
}
