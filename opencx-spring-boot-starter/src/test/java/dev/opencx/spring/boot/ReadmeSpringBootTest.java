package dev.opencx.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.example.support.SupportApplication;
import dev.opencx.OpenCx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The root README's "Spring Boot" snippet: its code is {@link SupportApplication} (compiled here
 * and run with the README's properties), and the README shows that code unchanged.
 */
class ReadmeSpringBootTest {
    @TempDir
    Path dir;

    @Test
    void the_readme_shows_the_application_that_this_test_runs() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String source = Files.readString(Path.of("src/test/java/com/example/support/SupportApplication.java"));
        String snippet = source.substring(
                source.indexOf("// README: spring boot") + "// README: spring boot".length(),
                source.indexOf("// end README"));
        assertThat(squeeze(readme)).contains(squeeze(snippet));
        assertThat(readme)
                .contains("opencx.widget.allowed-origins=https://shop.example")
                .contains("opencx.api.keys=${OPENCX_API_KEY}");
    }

    @Test
    void the_readme_application_serves_the_widget_on_its_own_port() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SupportApplication.class)
                .properties(
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "opencx.data-dir=" + dir,
                        "opencx.knowledge.embeddings=false",
                        "opencx.widget.allowed-origins=https://shop.example",
                        "opencx.api.keys=readme-api-key-0123456789")
                .run();
        try {
            assertThat(context.getBean(OpenCx.class)).isNotNull();
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            HttpResponse<String> script = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/widget.js"))
                                    .timeout(Duration.ofSeconds(20))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(script.statusCode()).isEqualTo(200);
        } finally {
            context.close();
        }
    }

    /** The text without any whitespace: the formatter may wrap the code differently from the README. */
    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }
}
