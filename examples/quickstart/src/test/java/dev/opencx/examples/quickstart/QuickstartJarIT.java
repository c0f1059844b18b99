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

    @Test
    void the_packaged_jar_serves_the_store_page_and_the_inbox(@TempDir Path dataDir) throws Exception {
        Path jar = Path.of("target", "opencx-quickstart.jar");
        Process p = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-jar",
                        jar.toString(),
                        "--data-dir",
                        dataDir.resolve("data").toString(),
                        "--port",
                        "0")
                .redirectErrorStream(true)
                .start();
        try (var out =
                new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String store = null;
            String inbox = null;
            StringBuilder seen = new StringBuilder();
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (inbox == null && System.nanoTime() < deadline) {
                String line = out.readLine();
                if (line == null) {
                    break;
                }
                seen.append(line).append('\n');
                if (line.startsWith("Store page with the chat widget: ")) {
                    store = line.substring(line.indexOf("http"));
                } else if (line.startsWith("Team inbox: ")) {
                    inbox = line;
                }
            }
            assertThat(inbox).as(seen.toString()).isNotNull().contains("agent \"maria\", password ");
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            var page = http.send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(store))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(page.body()).contains("<script src=\"/widget.js\"");
            var login = http.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(store).resolve("/inbox/login"))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("Sign in");
        } finally {
            p.destroy(); // SIGTERM: the shutdown hook closes the server and the store
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
    }
}
