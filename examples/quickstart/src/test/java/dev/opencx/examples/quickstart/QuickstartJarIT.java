package dev.opencx.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar the way the README does, with the demo script on standard input. */
class QuickstartJarIT {

    @Test
    void the_packaged_jar_runs_the_demo_script(@TempDir Path dataDir) throws Exception {
        Path jar = Path.of("target", "opencx-quickstart.jar");
        assertThat(jar).exists();
        Path output = dataDir.resolve("out.txt");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--data-dir",
                        dataDir.resolve("data").toString())
                .redirectInput(new File("demo-script.txt"))
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("quickstart finished").isTrue();
        String out = Files.readString(output, StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out)
                .contains("AI [#1000]: ")
                .contains("source: ")
                .contains("(reason EXPLICIT_REQUEST)")
                .contains("Agent maria [")
                .contains("resolved by maria");
        assertThat(out).doesNotContain("Exception");
    }
}
