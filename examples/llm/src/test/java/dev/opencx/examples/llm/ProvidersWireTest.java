package dev.opencx.examples.llm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.EventPayload;
import dev.opencx.event.ModelCalled;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.responder.Reply;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.responder.llm.LlmResponder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Anthropic and Ollama clients the example builds, against MockWebServer speaking their wire
 * formats: the responder's prompt goes out, the JSON answer comes back with its citation.
 */
class ProvidersWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ANSWER = "{\"answer\":\"You have 30 days.\",\"citations\":[\"returns#0\"],"
            + "\"confidence\":0.9,\"needs_human\":false,\"handoff_reason\":\"none\"}";

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
    private final List<EventPayload> log = new CopyOnWriteArrayList<>();

    ProvidersWireTest() {
        knowledge.upsert(KnowledgeDocument.of(
                "returns", "Returns", "You have 30 days to return any item.", BodyFormat.MARKDOWN));
    }

    @AfterEach
    void close() {
        knowledge.close();
    }

    private Reply ask(LlmProvider provider) {
        try (LlmResponder r = LlmResponder.builder()
                .chatModel(provider.chatModel())
                .knowledge(knowledge)
                .build()) {
            Instant now = Instant.parse("2026-11-01T10:00:00Z");
            Session s = new Session(
                    "s-1",
                    TicketNumber.of(1000),
                    ChannelId.WEB,
                    "c-1",
                    "",
                    SessionState.AI_ACTIVE,
                    "",
                    "",
                    "en",
                    now,
                    now,
                    1,
                    1,
                    0);
            Contact c = new Contact("c-1", "Ana", List.of(Identity.email("ana@example.com")), now);
            Message m = new Message("m-1", Author.CUSTOMER, "", "How long can I return things?", List.of(), "", now);
            return r.respond(new ResponderRequest(s, c, m, List.of(), "en", "", ChannelCapabilities.rich(), log::add));
        }
    }

    @Test
    void anthropic_messages_api() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("id", "msg_01");
        body.put("type", "message");
        body.put("role", "assistant");
        body.put("model", "claude-haiku-4-5-20251001");
        body.putArray("content").addObject().put("type", "text").put("text", ANSWER);
        body.put("stop_reason", "end_turn");
        body.putNull("stop_sequence");
        body.putObject("usage").put("input_tokens", 812).put("output_tokens", 31);
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body.toString())
                .build());
        LlmProvider p = LlmProvider.select(
                        Map.of(
                                "ANTHROPIC_API_KEY",
                                "sk-ant-test",
                                "ANTHROPIC_BASE_URL",
                                server.url("/v1/").toString()),
                        null,
                        null)
                .orElseThrow();

        Reply reply = ask(p);

        assertThat(reply.text()).isEqualTo("You have 30 days.");
        assertThat(reply.citations()).extracting(c -> c.passageId()).containsExactly("returns#0");
        assertThat(log)
                .filteredOn(e -> e instanceof ModelCalled)
                .singleElement()
                .satisfies(e -> {
                    ModelCalled mc = (ModelCalled) e;
                    assertThat(mc.provider()).isEqualTo("ANTHROPIC");
                    assertThat(mc.inputTokens()).isEqualTo(812);
                });
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/v1/messages");
        assertThat(r.getHeaders().get("x-api-key")).isEqualTo("sk-ant-test");
        JsonNode sent = JSON.readTree(r.getBody().utf8());
        assertThat(sent.path("model").asText()).isEqualTo("claude-haiku-4-5");
        assertThat(sent.path("system").toString()).contains("[returns#0] Returns");
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void ollama_chat_api() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.put("model", "llama3.2");
        body.put("created_at", "2026-11-01T10:00:00Z");
        body.putObject("message").put("role", "assistant").put("content", ANSWER);
        body.put("done", true);
        body.put("done_reason", "stop");
        body.put("prompt_eval_count", 700);
        body.put("eval_count", 25);
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(body.toString())
                .build());
        LlmProvider p = LlmProvider.select(
                        Map.of("OLLAMA_BASE_URL", server.url("/").toString()), null, null)
                .orElseThrow();

        Reply reply = ask(p);

        assertThat(reply.text()).isEqualTo("You have 30 days.");
        assertThat(reply.confidence()).isEqualTo(0.9);
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r.getUrl().encodedPath()).isEqualTo("/api/chat");
        JsonNode sent = JSON.readTree(r.getBody().utf8());
        assertThat(sent.path("model").asText()).isEqualTo("llama3.2");
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
    }
}
