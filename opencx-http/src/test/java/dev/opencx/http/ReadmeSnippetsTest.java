package dev.opencx.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.http.servlet.OpenCxServlet;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

/**
 * The module README's snippets, compiled and run: with two stand-in endpoints where the README
 * has the web channel (mounted at {@code /}) and the REST API channel (at {@code /api}), which
 * live in a module that depends on this one.
 */
class ReadmeSnippetsTest {
    static final Endpoint webChannel = endpoint("/", r -> WebResponse.text(200, "widget " + r.path()));
    static final Endpoint restApiChannel = endpoint("/api", r -> WebResponse.text(200, "api " + r.path()));
    final HttpClient http = HttpClient.newHttpClient();

    static Endpoint endpoint(String path, WebhookHandler handler) {
        return new Endpoint() {
            @Override
            public String mountPath() {
                return path;
            }

            @Override
            public WebhookHandler handler() {
                return handler;
            }
        };
    }

    String get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .body();
    }

    @Test
    void the_embedded_server_snippet_serves_both_endpoints() throws Exception {
        try (WebServer server = WebServer.builder()
                .port(0) // README: 8080
                .mount(webChannel) // /widget.js and /widget/v1/*
                .mount(restApiChannel) // /api/v1/*
                .mount("/webhooks/shop", request -> WebResponse.empty(204))
                .build()
                .start()) {
            System.out.println("widget at " + server.uri().resolve("/widget.js"));
            assertThat(get(server.uri().resolve("/widget.js"))).isEqualTo("widget /widget.js");
            assertThat(get(server.uri().resolve("/api/v1/sessions"))).isEqualTo("api /v1/sessions");
        }
    }

    @Test
    void the_servlet_snippet_registers_both_endpoints_and_the_application_keeps_other_paths() throws Exception {
        Server jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServletContainerInitializer((classes, servletContext) -> register(servletContext));
        jetty.setHandler(context);
        jetty.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
            assertThat(get(base.resolve("/api/v1/sessions"))).isEqualTo("api /v1/sessions");
            assertThat(get(base.resolve("/widget.js"))).isEqualTo("widget /widget.js");
            assertThat(get(base.resolve("/widget/v1/auth"))).isEqualTo("widget /widget/v1/auth");
            assertThat(http.send(
                                    HttpRequest.newBuilder(base.resolve("/shop"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode())
                    .as("a path the snippet does not map stays the application's")
                    .isEqualTo(404);
        } finally {
            jetty.stop();
        }
    }

    static void register(ServletContext servletContext) {
        // README: servlet
        OpenCxServlet api = OpenCxServlet.builder(restApiChannel).build(); // mount path /api
        ServletRegistration.Dynamic r = servletContext.addServlet("opencx-api", api);
        r.setAsyncSupported(true); // streams and deferred answers
        r.addMapping("/api/*");

        // the widget's handler is mounted at the root: map only its paths, the application keeps the rest
        OpenCxServlet widget = OpenCxServlet.builder(webChannel).build();
        ServletRegistration.Dynamic w = servletContext.addServlet("opencx-widget", widget);
        w.setAsyncSupported(true);
        w.addMapping("/widget.js", "/widget/*");
        // end README
    }

    @Test
    void the_readme_shows_the_servlet_snippet_as_compiled_here() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        String source = Files.readString(Path.of("src/test/java/dev/opencx/http/ReadmeSnippetsTest.java"));
        String snippet = source.substring(
                source.indexOf("// README: servlet") + "// README: servlet".length(), source.indexOf("// end README"));
        assertThat(readme.replaceAll("\\s+", "")).contains(snippet.replaceAll("\\s+", ""));
    }
}
