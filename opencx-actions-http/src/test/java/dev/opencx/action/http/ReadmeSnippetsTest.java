package dev.opencx.action.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.action.Action;
import dev.opencx.action.ActionAuth;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionResult;
import dev.opencx.action.JsonSchemas;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;

/**
 * The snippet of this module's README.md, run against a MockWebServer. The README's Java block
 * must appear verbatim between the {@code // README:begin} and {@code // README:end} markers.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("README.md");
    private static final Path SELF = Path.of("src/test/java/dev/opencx/action/http/ReadmeSnippetsTest.java");

    @StartStop
    private final MockWebServer server = new MockWebServer();

    @Test
    void executor_snippet_retries_a_503_and_calls_with_the_key() throws Exception {
        String shopUrl = server.url("/api").toString();
        String storeKey = "sk-test-key";
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"status\":\"shipped\",\"shipping\":{\"eta\":\"2026-12-24\"},\"internal\":\"x\"}")
                .build());

        // README:begin
        Action getOrder = Action.builder("get_order")
                .get("/orders/{id}")
                .baseUrl(shopUrl)
                .pathParam("id", "The order number")
                .security("storeKey")
                .build();

        try (ActionExecutor executor = ActionExecutor.builder()
                .auth("storeKey", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Store-Key", storeKey))
                .responseFields("get_order", "status", "/shipping/eta") // what the model sees
                .maxAttempts(3) // the first call and up to two retries
                .backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .maxRetryAfter(Duration.ofSeconds(10))
                .circuitBreaker(5, Duration.ofSeconds(30))
                .build()) {
            ActionResult result = executor.execute(
                    getOrder,
                    JsonSchemas.parse("{\"id\": \"1043\"}"),
                    ActionContext.builder().contactId("c-42").build());
            System.out.println(result.outcome() + " after " + result.attempts() + " attempt(s): " + result.body());
        }
        // README:end

        RecordedRequest first = server.takeRequest();
        assertThat(first.getUrl().encodedPath()).isEqualTo("/api/orders/1043");
        assertThat(first.getHeaders().get("X-Store-Key")).isEqualTo(storeKey);
        assertThat(server.getRequestCount())
                .as("a GET is retried after the 503")
                .isEqualTo(2);
    }

    @Test
    void the_readme_java_blocks_are_the_ones_run_here() throws IOException {
        List<String> inReadme = blocks(Files.readString(README), Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL));
        List<String> inTest = blocks(
                Files.readString(SELF), Pattern.compile("// README:begin\\n(.*?)\\s*// README:end", Pattern.DOTALL));
        assertThat(inReadme).isNotEmpty();
        assertThat(inReadme).containsExactlyElementsOf(inTest);
    }

    private static List<String> blocks(String text, Pattern pattern) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1).stripIndent().strip());
        }
        return found;
    }
}
