package dev.opencx.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.http.testing.RawHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * The same application on Boot's Jetty (its servlet environment, not OpenCX's embedded server): a
 * visitor's reply arrives on the widget's event stream, and the application closes with the stream
 * open in under 5 s.
 */
class SpringBootOnJettyTest {
    static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Picks Jetty where both Tomcat and Jetty are on the test classpath. */
    static class OnJetty {
        @Bean
        JettyServletWebServerFactory jetty() {
            return new JettyServletWebServerFactory();
        }
    }

    @Test
    void a_visitor_chats_over_boots_jetty_and_the_app_closes_with_a_stream_open_in_under_5_s() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ShopApp.class, OnJetty.class)
                .properties(
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "opencx.data-dir=" + dir.resolve("data"),
                        "opencx.knowledge.articles=" + ShopApp.articles(dir),
                        "opencx.knowledge.embeddings=false",
                        "opencx.inbox.enabled=false")
                .run();
        boolean closed = false;
        try {
            assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(JettyWebServer.class);
            int port = ((WebServerApplicationContext) context).getWebServer().getPort();
            String base = "http://127.0.0.1:" + port;
            HttpClient http = HttpClient.newHttpClient();
            String token = SpringBootStarterTest.JSON
                    .readTree(post(http, base + "/widget/v1/auth", "{}", null))
                    .get("token")
                    .asText();
            String id = SpringBootStarterTest.JSON
                    .readTree(post(http, base + "/widget/v1/sessions", "{}", token))
                    .get("id")
                    .asText();
            try (RawHttp stream = RawHttp.connect(port)) {
                stream.write("GET /widget/v1/sessions/" + id + "/events?access_token=" + token
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
                assertThat(stream.readUntil(": ok", WAIT)).startsWith("HTTP/1.1 200");
                post(
                        http,
                        base + "/widget/v1/sessions/" + id + "/messages",
                        "{\"text\":\"do you ship to canada\"}",
                        token);
                assertThat(stream.readUntil("7 to 10 days", WAIT)).contains("\"author\":\"ai\"");

                long start = System.nanoTime();
                context.close();
                closed = true;
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("Spring Boot on Jetty: context closed in %d ms with 1 event stream open%n", millis);
                assertThat(millis).isLessThan(5_000);
            }
        } finally {
            if (!closed) {
                context.close();
            }
        }
    }

    private static String post(HttpClient http, String url, String json, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
