package dev.opencx.examples.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The example end to end, offline: OpenAI's wire format served by MockWebServer. */
class LlmExampleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String script, String... args) throws Exception {
        return LlmExample.run(
                args,
                env,
                new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                false);
    }

    @Test
    void without_a_model_it_explains_what_to_set_and_exits_non_zero(@TempDir Path data) throws Exception {
        int code = run(Map.of(), "", "--data-dir", data.toString());

        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("needs a language model")
                .contains("OPENAI_API_KEY")
                .contains("ANTHROPIC_API_KEY")
                .contains("OLLAMA_BASE_URL");
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void a_bad_option_is_named() throws Exception {
        assertThat(run(Map.of("OPENAI_API_KEY", "sk-1"), "", "--temperature", "2"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option '--temperature'");
    }

    @Test
    void the_store_agent_answers_with_the_model_and_cites_the_help_center(@TempDir Path data) throws Exception {
        List<String> systemPrompts = new CopyOnWriteArrayList<>();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                try {
                    JsonNode body = JSON.readTree(request.getBody().utf8());
                    String system = body.path("messages").get(0).path("content").asText();
                    systemPrompts.add(system);
                    Matcher m = Pattern.compile("\\[([^\\]\\s]+#\\d+)\\]").matcher(system);
                    String cited = m.find() ? m.group(1) : "none";
                    ObjectNode answer = JSON.createObjectNode();
                    answer.put("answer", "Refunds reach your card within a few days of us receiving the parcel.");
                    answer.putArray("citations").add(cited);
                    answer.put("confidence", 0.9);
                    answer.put("needs_human", false);
                    answer.put("handoff_reason", "none");
                    ObjectNode resp = JSON.createObjectNode();
                    resp.put("id", "chatcmpl-1");
                    resp.put("object", "chat.completion");
                    resp.put("created", 1_763_000_000L);
                    resp.put("model", "gpt-4o-mini-2024-07-18");
                    ObjectNode choice = resp.putArray("choices").addObject();
                    choice.put("index", 0);
                    choice.putObject("message").put("role", "assistant").put("content", answer.toString());
                    choice.put("finish_reason", "stop");
                    resp.putObject("usage")
                            .put("prompt_tokens", 900)
                            .put("completion_tokens", 40)
                            .put("total_tokens", 940);
                    return new MockResponse.Builder()
                            .code(200)
                            .addHeader("Content-Type", "application/json")
                            .body(resp.toString())
                            .build();
                } catch (Exception e) {
                    return new MockResponse.Builder()
                            .code(500)
                            .body(e.toString())
                            .build();
                }
            }
        });
        Map<String, String> env = Map.of(
                "OPENAI_API_KEY",
                "sk-test",
                "OPENAI_BASE_URL",
                server.url("/v1").toString());

        int code = run(env, "how long does a refund take?\n/why\n", "--data-dir", data.toString());

        String output = out.toString(StandardCharsets.UTF_8);
        assertThat(code).as(output + err).isZero();
        assertThat(output)
                .contains("with OpenAI gpt-4o-mini")
                .contains("Refunds reach your card within a few days")
                .contains("source: When will I get my refund?")
                .contains("model: gpt-4o-mini-2024-07-18 round 1")
                .contains("tokens in/out 900/40")
                .contains("citing article:refund-timing:en#")
                .doesNotContain("invented");
        assertThat(systemPrompts).singleElement().satisfies(s -> assertThat(s)
                .startsWith(LlmExample.PERSONA)
                .contains("# Rules from the team")
                .contains("# CONTEXT"));
        assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-test");
    }
}
