package dev.opencx.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCx;
import dev.opencx.channel.web.RestApiChannel;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.helpdesk.inbox.web.InboxWeb;
import dev.opencx.http.testing.RawHttp;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The starter in a real Spring Boot application on the embedded Tomcat 11 that Boot starts: a visitor
 * chats through the widget's endpoints and a client through the REST API on Boot's port, next to
 * the application's own controller, and the application shuts down in under 5 s with an event
 * stream open.
 */
class SpringBootStarterTest {
    static final String API_KEY = "test-api-key-0123456789abcdef";
    static final Duration WAIT = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    ConfigurableApplicationContext start(String... properties) {
        List<String> all = new ArrayList<>(List.of(
                "server.port=0",
                "spring.main.banner-mode=off",
                "opencx.data-dir=" + dir.resolve("data"),
                "opencx.knowledge.articles=" + ShopApp.articles(dir),
                "opencx.knowledge.embeddings=false",
                "opencx.widget.allowed-origins=https://shop.example",
                "opencx.widget.secret=test-widget-secret-0123456789abcdef",
                "opencx.api.keys=" + API_KEY,
                "opencx.inbox.agents[0].id=maria",
                "opencx.inbox.agents[0].name=Maria Silva",
                "opencx.inbox.agents[0].password=correct horse battery staple"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(ShopApp.class, OnTomcat.class)
                .properties(all.toArray(String[]::new))
                .run();
    }

    /** Picks Tomcat (Boot's default servlet container) where Jetty is on the test classpath too. */
    static class OnTomcat {
        @org.springframework.context.annotation.Bean
        org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory tomcat() {
            return new org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory();
        }
    }

    static int port(ConfigurableApplicationContext context) {
        assertThat(((WebServerApplicationContext) context).getWebServer())
                .isInstanceOf(org.springframework.boot.tomcat.TomcatWebServer.class);
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @Test
    void a_visitor_and_an_api_client_chat_on_boots_port_and_the_app_closes_with_a_stream_open_in_under_5_s()
            throws Exception {
        ConfigurableApplicationContext context = start();
        boolean closed = false;
        try {
            int port = port(context);
            String base = "http://127.0.0.1:" + port;
            assertThat(context.getBean(ConversationStore.class)).isInstanceOf(JdbcConversationStore.class);
            assertThat(Files.exists(dir.resolve("data/conversations/" + JdbcConversationStore.SQLITE_FILE_NAME)))
                    .as("the default store is a SQLite file under the data directory")
                    .isTrue();
            assertThat(context.getBean(WebChannel.class).allowedOrigins()).containsExactly("https://shop.example");
            assertThat(context.getBean(OpenCxServlets.class).mappings())
                    .containsEntry("opencx-widget", List.of("/widget.js", "/widget/*"))
                    .containsEntry("opencx-api", List.of("/api/*"))
                    .containsEntry("opencx-inbox", List.of("/inbox/*"));

            // the application keeps its own paths
            assertThat(get(base + "/hello").body()).isEqualTo("hello from the shop");
            HttpResponse<String> script = get(base + "/widget.js");
            assertThat(script.statusCode()).isEqualTo(200);
            assertThat(script.headers().firstValue("Content-Type"))
                    .hasValueSatisfying(ct -> assertThat(ct).contains("javascript"));

            // a visitor: token, session, live stream, message, the AI's reply on the stream and in the history
            String token =
                    post(base + "/widget/v1/auth", "{}").json().get("token").asText();
            Resp session = post(base + "/widget/v1/sessions", "{}", "Authorization", "Bearer " + token);
            assertThat(session.status()).isEqualTo(201);
            String id = session.json().get("id").asText();
            try (RawHttp stream = RawHttp.connect(port)) {
                stream.write("GET /widget/v1/sessions/" + id + "/events?access_token=" + token
                        + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n");
                assertThat(stream.readUntil(": ok", WAIT))
                        .startsWith("HTTP/1.1 200")
                        .containsIgnoringCase("text/event-stream");
                Resp sent = post(
                        base + "/widget/v1/sessions/" + id + "/messages",
                        "{\"text\":\"when do refunds reach my card\"}",
                        "Authorization",
                        "Bearer " + token);
                assertThat(sent.status()).isEqualTo(202);
                assertThat(stream.readUntil("five business days", WAIT))
                        .as("the AI's reply arrives on the open stream")
                        .contains("\"author\":\"ai\"");
                JsonNode reply = await().atMost(WAIT)
                        .until(
                                () -> lastMessage(base + "/widget/v1/sessions/" + id + "/messages", "Bearer " + token),
                                m -> m != null && m.path("author").asText().equals("ai"));
                assertThat(reply.get("text").asText()).contains("five business days");

                // a REST API client on the same port
                Resp created = post(
                        base + "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"ana@example.com\"}}",
                        "Authorization",
                        "Bearer " + API_KEY);
                assertThat(created.status()).isEqualTo(201);
                String apiSession = created.json().get("id").asText();
                assertThat(post(
                                        base + "/api/v1/sessions/" + apiSession + "/messages",
                                        "{\"text\":\"do you ship to canada\"}",
                                        "Authorization",
                                        "Bearer " + API_KEY)
                                .status())
                        .isEqualTo(202);
                JsonNode apiReply = await().atMost(WAIT)
                        .until(
                                () -> lastMessage(
                                        base + "/api/v1/sessions/" + apiSession + "/messages", "Bearer " + API_KEY),
                                m -> m != null && m.path("author").asText().equals("ai"));
                assertThat(apiReply.get("text").asText()).contains("7 to 10 days");
                assertThat(post(base + "/api/v1/sessions", "{}", "Authorization", "Bearer wrong-key-0123456789")
                                .status())
                        .isEqualTo(401);

                // the inbox's sign-in page, and errors in OpenCX's JSON shape
                HttpResponse<String> inbox = get(base + "/inbox/login");
                assertThat(inbox.statusCode()).isEqualTo(200);
                assertThat(inbox.body()).contains("<form");
                // an agent signs in (the password check answers later, without holding Tomcat's thread)
                String cookies = String.join(
                        "; ",
                        inbox.headers().allValues("Set-Cookie").stream()
                                .map(c -> c.split(";", 2)[0])
                                .toList());
                java.util.regex.Matcher csrf = java.util.regex.Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"")
                        .matcher(inbox.body());
                assertThat(csrf.find()).isTrue();
                HttpRequest.Builder signIn = HttpRequest.newBuilder(URI.create(base + "/inbox/login"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf="
                                + java.net.URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8)
                                + "&login=maria&password=correct+horse+battery+staple"));
                if (!cookies.isEmpty()) {
                    signIn.header("Cookie", cookies);
                }
                HttpResponse<String> signedIn =
                        http.send(signIn.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(signedIn.statusCode()).as(signedIn.body()).isEqualTo(303);
                assertThat(signedIn.headers().firstValue("Location")).contains("/inbox/");
                assertThat(signedIn.headers().allValues("Set-Cookie")).isNotEmpty();
                Resp missing = post(base + "/widget/v1/nothing-here", "{}");
                assertThat(missing.status()).isEqualTo(404);
                assertThat(missing.json().path("error").path("code").asText()).isNotEmpty();

                // shut down with the visitor's stream open
                assertThat(context.getBean(OpenCxServlets.class).openStreams()).isEqualTo(1);
                long start = System.nanoTime();
                context.close();
                closed = true;
                long millis = (System.nanoTime() - start) / 1_000_000;
                System.out.printf("Spring Boot context closed in %d ms with 1 event stream open%n", millis);
                assertThat(millis).as("close with an open event stream, ms").isLessThan(5_000);
                assertThat(stream.closedWithin(Duration.ofSeconds(5)) || endsChunked(stream))
                        .as("the stream ended")
                        .isTrue();
            }
        } finally {
            if (!closed) {
                context.close();
            }
        }
    }

    @Test
    void a_base_path_prefixes_every_endpoint_and_the_applications_own_opencx_bean_wins() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(
                        ShopApp.class, OnTomcat.class, OwnClient.class)
                .properties(
                        "server.port=0",
                        "spring.main.banner-mode=off",
                        "opencx.data-dir=" + dir.resolve("data"),
                        "opencx.store.type=memory",
                        "opencx.knowledge.articles=" + ShopApp.articles(dir),
                        "opencx.knowledge.embeddings=false",
                        "opencx.web.base-path=/support",
                        "opencx.api.keys=" + API_KEY,
                        "opencx.inbox.enabled=false")
                .run();
        try {
            String base = "http://127.0.0.1:" + port(context);
            assertThat(context.getBean(OpenCx.class)).isSameAs(OwnClient.built);
            assertThat(context.getBeansOfType(InboxWeb.class)).isEmpty();
            assertThat(context.getBean(OpenCxServlets.class).mappings())
                    .containsOnlyKeys("opencx-widget", "opencx-api", "opencx-shopWebhook")
                    .containsEntry("opencx-shopWebhook", List.of("/support/webhooks/shop/*"))
                    .containsEntry("opencx-widget", List.of("/support/widget.js", "/support/widget/*"))
                    .containsEntry("opencx-api", List.of("/support/api/*"));

            assertThat(get(base + "/support/widget.js").statusCode()).isEqualTo(200);
            assertThat(get(base + "/widget.js").statusCode()).isEqualTo(404);
            Resp created = post(
                    base + "/support/api/v1/sessions",
                    "{\"contact\":{\"email\":\"bo@example.com\"}}",
                    "Authorization",
                    "Bearer " + API_KEY);
            assertThat(created.status()).isEqualTo(201);
            String id = created.json().get("id").asText();
            post(
                    base + "/support/api/v1/sessions/" + id + "/messages",
                    "{\"text\":\"when do refunds reach my card\"}",
                    "Authorization",
                    "Bearer " + API_KEY);
            JsonNode reply = await().atMost(WAIT)
                    .until(
                            () -> lastMessage(
                                    base + "/support/api/v1/sessions/" + id + "/messages", "Bearer " + API_KEY),
                            m -> m != null && m.path("author").asText().equals("ai"));
            assertThat(reply.get("text").asText()).contains("five business days");
            assertThat(OwnClient.built.store().session(id)).isPresent();

            // an Endpoint bean of the application: a provider's webhook under the base path
            HttpResponse<String> hook = http.send(
                    HttpRequest.newBuilder(URI.create(base + "/support/webhooks/shop/orders/42?sig=abc"))
                            .header("X-Shop-Signature", "t=1")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"paid\":true}"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(hook.statusCode()).isEqualTo(200);
            assertThat(hook.body()).isEqualTo("POST /orders/42 sig=abc t=1 {\"paid\":true}");
        } finally {
            context.close();
        }
    }

    /**
     * The application's own client (the starter's channel beans registered on it by hand) and a
     * webhook of its own.
     */
    static class OwnClient {
        static volatile OpenCx built;

        @org.springframework.context.annotation.Bean
        dev.opencx.webhook.Endpoint shopWebhook() {
            return new dev.opencx.webhook.Endpoint() {
                @Override
                public String mountPath() {
                    return "/webhooks/shop";
                }

                @Override
                public dev.opencx.webhook.WebhookHandler handler() {
                    return r -> dev.opencx.webhook.WebResponse.text(
                            200,
                            r.method() + " " + r.path() + " " + r.rawQuery() + " "
                                    + r.header("X-Shop-Signature").orElse("") + " " + r.bodyText());
                }
            };
        }

        @org.springframework.context.annotation.Bean
        OpenCx myOpenCx(
                WebChannel web,
                RestApiChannel api,
                dev.opencx.knowledge.KnowledgeStore knowledge,
                ConversationStore store) {
            built = OpenCx.builder()
                    .store(store)
                    .knowledge(knowledge)
                    .channel(web)
                    .channel(api)
                    .confidenceModel(new dev.opencx.responder.EmbeddedResponder.ConfidenceModel(20, 0, 0, 0, 0))
                    .build();
            return built;
        }
    }

    private static boolean endsChunked(RawHttp stream) {
        try {
            stream.readUntil("0\r\n\r\n", Duration.ofSeconds(1));
            return true;
        } catch (UncheckedIOException e) {
            return false;
        }
    }

    JsonNode lastMessage(String url, String auth) throws Exception {
        Resp r = send(HttpRequest.newBuilder(URI.create(url)).GET(), "Authorization", auth);
        JsonNode items = r.json().get("items");
        return items == null || items.isEmpty() ? null : items.get(items.size() - 1);
    }

    HttpResponse<String> get(String url) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    Resp post(String url, String json, String... headers) throws Exception {
        return send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)),
                headers);
    }

    Resp send(HttpRequest.Builder b, String... headers) throws Exception {
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        HttpResponse<String> r = http.send(b.timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
        return new Resp(r.statusCode(), r.body());
    }

    record Resp(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }
    }
}
