package dev.opencx.responder.llm;

import static dev.opencx.responder.llm.LlmResponderPipelineTest.ANA;
import static dev.opencx.responder.llm.LlmResponderPipelineTest.ORDER_STATUS;
import static dev.opencx.responder.llm.LlmResponderPipelineTest.WAIT;
import static dev.opencx.responder.llm.LlmResponderPipelineTest.events;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.opencx.OpenCx;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.PartialReply;
import dev.opencx.conversation.ChannelId;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.ModelCalled;
import dev.opencx.event.ReplySent;
import dev.opencx.event.ToolCalled;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The real LangChain4j OpenAI client ({@code langchain4j-open-ai}) against MockWebServer speaking
 * the chat-completions wire format, through the whole pipeline: a message in, the reply or handoff
 * out, the events in the session log.
 */
class OpenAiWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-0123456789";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingChannel api = new RecordingChannel(ChannelId.API);
    private final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    private final InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();

    OpenAiWireTest() {
        knowledge.upsert(KnowledgeDocument.of(
                "returns",
                "Returns",
                "You have 30 days to return any item. Refunds reach your card within 5 business days.",
                BodyFormat.MARKDOWN));
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        knowledge.close();
    }

    private OpenAiChatModel.OpenAiChatModelBuilder openAi() {
        return OpenAiChatModel.builder()
                .baseUrl(server.url("/v1").toString())
                .apiKey(KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(0)
                .timeout(Duration.ofSeconds(10));
    }

    private OpenCx start(LlmResponder.Builder responder) {
        OpenCx cx = OpenCx.builder()
                .channel(api)
                .helpdesk(helpdesk)
                .knowledge(knowledge)
                .responder(responder)
                .outboxRetries(3, Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        toClose.add(cx);
        return cx;
    }

    private String ask(OpenCx cx, String text) {
        String session = api.receive(ANA, text).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        return session;
    }

    // ---- the OpenAI wire format ----

    private static String answerJson(String answer, double confidence, String... citations) {
        ObjectNode o = JSON.createObjectNode();
        o.put("answer", answer);
        ArrayNode c = o.putArray("citations");
        for (String id : citations) {
            c.add(id);
        }
        o.put("confidence", confidence);
        o.put("needs_human", false);
        o.put("handoff_reason", "none");
        return o.toString();
    }

    private static MockResponse completion(String content) {
        ObjectNode message = JSON.createObjectNode();
        message.put("role", "assistant");
        message.put("content", content);
        return completion(message, "stop");
    }

    private static MockResponse toolCalls(String... nameAndArgs) {
        ObjectNode message = JSON.createObjectNode();
        message.put("role", "assistant");
        message.putNull("content");
        ArrayNode calls = message.putArray("tool_calls");
        for (int i = 0; i < nameAndArgs.length; i += 2) {
            ObjectNode call = calls.addObject();
            call.put("id", "call_" + (i / 2 + 1));
            call.put("type", "function");
            call.putObject("function").put("name", nameAndArgs[i]).put("arguments", nameAndArgs[i + 1]);
        }
        return completion(message, "tool_calls");
    }

    private static MockResponse completion(ObjectNode message, String finishReason) {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "chatcmpl-123");
        body.put("object", "chat.completion");
        body.put("created", 1_763_000_000L);
        body.put("model", "gpt-4o-mini-2024-07-18");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        choice.set("message", message);
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        body.putObject("usage")
                .put("prompt_tokens", 321)
                .put("completion_tokens", 42)
                .put("total_tokens", 363);
        body.put("system_fingerprint", "fp_test");
        return new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }

    private static MockResponse error(int code, String type, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error")
                .put("message", message)
                .put("type", type)
                .putNull("param")
                .put("code", type);
        return new MockResponse.Builder()
                .code(code)
                .addHeader("Content-Type", "application/json")
                .body(body.toString())
                .build();
    }

    private static JsonNode body(RecordedRequest r) throws Exception {
        return JSON.readTree(r.getBody().utf8());
    }

    // ---- the tests ----

    @Test
    void a_json_schema_answer_with_citations_is_sent_and_the_call_is_logged_without_the_key() throws Exception {
        server.enqueue(completion(answerJson("You have 30 days to return any item.", 0.93, "returns#0")));
        OpenCx cx = start(LlmResponder.builder()
                .chatModel(openAi().supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                        .strictJsonSchema(true)
                        .build()));

        String session = ask(cx, "How long do I have to return something?");

        assertThat(api.sent()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("You have 30 days to return any item.");
            assertThat(m.sources()).extracting(c -> c.passageId()).containsExactly("returns#0");
        });
        ModelCalled call = events(cx, session, ModelCalled.class).get(0);
        assertThat(call.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        assertThat(call.provider()).isEqualTo("OPEN_AI");
        assertThat(call.inputTokens()).isEqualTo(321);
        assertThat(call.outputTokens()).isEqualTo(42);
        assertThat(call.finishReason()).isEqualTo("STOP");
        assertThat(cx.events(session).toString()).doesNotContain(KEY);

        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/chat/completions");
        assertThat(r.getHeaders().get("Authorization")).isEqualTo("Bearer " + KEY);
        JsonNode b = body(r);
        assertThat(b.path("model").asText()).isEqualTo("gpt-4o-mini");
        JsonNode format = b.path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.path("json_schema").path("name").asText()).isEqualTo("support_reply");
        assertThat(format.path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(format.path("json_schema").path("schema").path("required"))
                .extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("answer", "citations", "confidence", "needs_human", "handoff_reason");
        JsonNode messages = b.path("messages");
        assertThat(messages.get(0).path("role").asText()).isEqualTo("system");
        assertThat(messages.get(0).path("content").asText()).contains("[returns#0] Returns");
        assertThat(messages.get(messages.size() - 1).path("role").asText()).isEqualTo("user");
        assertThat(messages.get(messages.size() - 1).path("content").asText())
                .isEqualTo("How long do I have to return something?");
    }

    @Test
    void json_mode_asks_for_a_json_object_and_reads_it_with_prose_around() throws Exception {
        server.enqueue(completion("Sure! " + answerJson("Refunds take 5 business days.", 0.8, "returns#0")));
        OpenCx cx = start(LlmResponder.builder().chatModel(openAi().build()).outputMode(OutputMode.JSON_MODE));

        String session = ask(cx, "When do I get my refund?");

        assertThat(api.texts()).containsExactly("Refunds take 5 business days.");
        assertThat(events(cx, session, ReplySent.class).get(0).confidence()).isEqualTo(0.8);
        JsonNode b = body(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(b.path("response_format").path("type").asText()).isEqualTo("json_object");
    }

    @Test
    void a_model_without_declared_json_schema_support_is_prompted_for_json() throws Exception {
        server.enqueue(completion("```json\n" + answerJson("Refunds take 5 business days.", 0.8) + "\n```"));
        LlmResponder.Builder b = LlmResponder.builder().chatModel(openAi().build());
        OpenCx cx = start(b);

        ask(cx, "When do I get my refund?");

        assertThat(api.texts()).containsExactly("Refunds take 5 business days.");
        JsonNode body = body(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(body.has("response_format")).isFalse();
        assertThat(body.path("messages").get(0).path("content").asText()).contains("Reply with one JSON object");
    }

    @Test
    void runs_a_tool_call_and_sends_its_result_back_in_the_openai_format() throws Exception {
        ToolRegistry tools = ToolRegistry.builder()
                .add(ORDER_STATUS, (call, turn) -> "{\"status\":\"shipped\"}")
                .build();
        server.enqueue(toolCalls("order_status", "{\"order_id\":\"A-1\"}"));
        server.enqueue(completion(answerJson("Order A-1 has shipped.", 0.9)));
        OpenCx cx = start(LlmResponder.builder().chatModel(openAi().build()).tools(tools));

        String session = ask(cx, "Where is order A-1?");

        assertThat(api.texts()).containsExactly("Order A-1 has shipped.");
        assertThat(events(cx, session, ToolCalled.class)).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("order_status");
            assertThat(t.arguments()).isEqualTo("{\"order_id\":\"A-1\"}");
            assertThat(t.outcome()).isEqualTo("ok");
        });
        assertThat(events(cx, session, ModelCalled.class))
                .extracting(ModelCalled::finishReason)
                .containsExactly("TOOL_EXECUTION", "STOP");

        JsonNode first = body(server.takeRequest(5, TimeUnit.SECONDS));
        JsonNode tool = first.path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.path("function").path("name").asText()).isEqualTo("order_status");
        assertThat(tool.path("function")
                        .path("parameters")
                        .path("required")
                        .get(0)
                        .asText())
                .isEqualTo("order_id");
        JsonNode second = body(server.takeRequest(5, TimeUnit.SECONDS));
        JsonNode messages = second.path("messages");
        JsonNode assistant = messages.get(messages.size() - 2);
        assertThat(assistant.path("role").asText()).isEqualTo("assistant");
        assertThat(assistant.path("tool_calls").get(0).path("id").asText()).isEqualTo("call_1");
        JsonNode result = messages.get(messages.size() - 1);
        assertThat(result.path("role").asText()).isEqualTo("tool");
        assertThat(result.path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(result.path("content").asText()).isEqualTo("{\"status\":\"shipped\"}");
    }

    @Test
    void several_tool_rounds_then_the_bound_hands_off() throws Exception {
        ToolRegistry tools = ToolRegistry.builder()
                .add(ORDER_STATUS, (call, turn) -> "{\"status\":\"unknown\"}")
                .build();
        server.enqueue(toolCalls(
                "order_status", "{\"order_id\":\"A-1\"}",
                "order_status", "{\"order_id\":\"A-2\"}"));
        server.enqueue(toolCalls("order_status", "{\"order_id\":\"A-3\"}"));
        server.enqueue(toolCalls("order_status", "{\"order_id\":\"A-4\"}"));
        OpenCx cx = start(
                LlmResponder.builder().chatModel(openAi().build()).tools(tools).maxToolRounds(2));

        String session = ask(cx, "Where are my orders?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "tool_rounds_exhausted");
        assertThat(events(cx, session, ToolCalled.class))
                .extracting(ToolCalled::arguments)
                .containsExactly("{\"order_id\":\"A-1\"}", "{\"order_id\":\"A-2\"}", "{\"order_id\":\"A-3\"}");
        assertThat(server.getRequestCount()).isEqualTo(3);
        body(server.takeRequest(5, TimeUnit.SECONDS));
        body(server.takeRequest(5, TimeUnit.SECONDS));
        JsonNode third = body(server.takeRequest(5, TimeUnit.SECONDS)).path("messages");
        assertThat(third.findValuesAsText("role"))
                .containsSubsequence("assistant", "tool", "tool", "assistant", "tool");
    }

    @Test
    void a_429_hands_off_as_rate_limited() {
        server.enqueue(error(429, "rate_limit_exceeded", "Rate limit reached for gpt-4o-mini"));
        OpenCx cx = start(LlmResponder.builder().chatModel(openAi().build()));

        String session = ask(cx, "When do I get my refund?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "rate_limited");
        ModelCalled call = events(cx, session, ModelCalled.class).get(0);
        assertThat(call.outcome()).isEqualTo("rate_limited");
        assertThat(call.model()).isEqualTo("gpt-4o-mini");
        assertThat(call.error()).contains("429");
        assertThat(helpdesk.tickets()).hasSize(1);
    }

    @Test
    void the_clients_own_retry_of_a_429_is_honoured() {
        server.enqueue(error(429, "rate_limit_exceeded", "Rate limit reached"));
        server.enqueue(completion(answerJson("Refunds take 5 business days.", 0.9, "returns#0")));
        OpenCx cx =
                start(LlmResponder.builder().chatModel(openAi().maxRetries(1).build()));

        ask(cx, "When do I get my refund?");

        assertThat(api.texts()).containsExactly("Refunds take 5 business days.");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void a_500_hands_off_as_a_server_error() {
        server.enqueue(error(500, "server_error", "The server had an error while processing your request."));
        OpenCx cx = start(LlmResponder.builder().chatModel(openAi().build()));

        String session = ask(cx, "When do I get my refund?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "server_error");
        assertThat(api.sent())
                .singleElement()
                .satisfies(m -> assertThat(m.kind().name()).isEqualTo("HANDOFF_NOTICE"));
    }

    @Test
    void the_http_clients_timeout_hands_off_as_a_timeout() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(3, TimeUnit.SECONDS)
                .code(200)
                .body(answerJson("late", 0.9))
                .build());
        OpenCx cx = start(LlmResponder.builder()
                .chatModel(openAi().timeout(Duration.ofMillis(300)).build()));

        String session = ask(cx, "When do I get my refund?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "timeout");
    }

    @Test
    void the_turns_own_timeout_hands_off_when_the_server_is_slower() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(3, TimeUnit.SECONDS)
                .code(200)
                .body(answerJson("late", 0.9))
                .build());
        OpenCx cx = start(LlmResponder.builder().chatModel(openAi().build()).timeout(Duration.ofMillis(300)));

        String session = ask(cx, "When do I get my refund?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.evidence()).containsEntry("error_kind", "timeout");
        assertThat(events(cx, session, ModelCalled.class)).singleElement().satisfies(c -> assertThat(c.outcome())
                .isEqualTo("timeout"));
    }

    @Test
    void an_sse_stream_reaches_a_streaming_channel_and_the_final_reply_goes_through_the_outbox() throws Exception {
        String answer = answerJson("Refunds reach your card within 5 business days.", 0.9, "returns#0");
        StringBuilder sse = new StringBuilder();
        sse.append(chunk("{\"role\":\"assistant\",\"content\":\"\"}", null));
        for (int i = 0; i < answer.length(); i += 7) {
            ObjectNode delta =
                    JSON.createObjectNode().put("content", answer.substring(i, Math.min(answer.length(), i + 7)));
            sse.append(chunk(delta.toString(), null));
        }
        sse.append(chunk("{}", "stop"));
        sse.append("data: {\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1763000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
                + "\"usage\":{\"prompt_tokens\":300,\"completion_tokens\":30,\"total_tokens\":330}}\n\n");
        sse.append("data: [DONE]\n\n");
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "text/event-stream")
                .body(sse.toString())
                .build());
        RecordingChannel web =
                new RecordingChannel(ChannelId.WEB, new ChannelCapabilities(true, true, true, true, false, 16_000));
        OpenCx cx = OpenCx.builder()
                .channel(web)
                .knowledge(knowledge)
                .responder(LlmResponder.builder()
                        .streamingChatModel(OpenAiStreamingChatModel.builder()
                                .baseUrl(server.url("/v1").toString())
                                .apiKey(KEY)
                                .modelName("gpt-4o-mini")
                                .timeout(Duration.ofSeconds(10))
                                .build())
                        .outputMode(OutputMode.JSON_SCHEMA))
                .build();
        toClose.add(cx);

        String session = web.receive(ANA, "When do I get my refund?").join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(web.partials()).hasSizeGreaterThan(3).allSatisfy(p -> assertThat(p.kind())
                .isEqualTo(PartialReply.Kind.DELTA));
        assertThat(web.streamedText()).isEqualTo("Refunds reach your card within 5 business days.");
        assertThat(web.texts()).containsExactly("Refunds reach your card within 5 business days.");
        assertThat(web.sent().get(0).sources()).extracting(c -> c.passageId()).containsExactly("returns#0");
        ModelCalled call = events(cx, session, ModelCalled.class).get(0);
        assertThat(call.streaming()).isTrue();
        assertThat(call.model()).isEqualTo("gpt-4o-mini-2024-07-18");
        JsonNode b = body(server.takeRequest(5, TimeUnit.SECONDS));
        assertThat(b.path("stream").asBoolean()).isTrue();
        assertThat(b.path("response_format").path("type").asText()).isEqualTo("json_schema");
    }

    private static String chunk(String delta, String finishReason) {
        return "data: {\"id\":\"chatcmpl-9\",\"object\":\"chat.completion.chunk\",\"created\":1763000000,"
                + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":" + delta
                + ",\"finish_reason\":" + (finishReason == null ? "null" : "\"" + finishReason + "\"") + "}]}\n\n";
    }
}
