package dev.opencx.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.opencx.OpenCx;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.event.ActionAnswered;
import dev.opencx.event.ActionCalled;
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.ReplySent;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.SessionLog;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded responder (no LLM) with actions, through the whole pipeline with a real embedding
 * model and a MockWebServer as the customer's API: the intent is matched from the action's
 * description and examples, values are taken from the message or asked for, a value of the wrong
 * shape is asked for again, and the reply comes from the action's template.
 */
class EmbeddedActionsTest {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final Identity ANA = Identity.custom("customer-77");
    static final ObjectMapper JSON = new ObjectMapper();
    private static EmbeddingModel embeddings;

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingChannel api = new RecordingChannel(ChannelId.API);

    @BeforeAll
    static void loadModel() {
        embeddings = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Action getOrder() {
        return Action.builder("get_order")
                .description("Check the status of an order")
                .get("/orders/{order_id}")
                .baseUrl(server.url("/api").toString())
                .pathParam("order_id", JsonSchemas.string().put("pattern", "^[0-9]{4}$"), "The order number")
                .header("X-Customer", JsonSchemas.string(), true, "The customer")
                .contactBound("X-Customer", BoundSource.CONTACT_EXTERNAL_ID)
                .examples("where is my order", "track my order 1042", "has my package shipped")
                .replyTemplate("Order {order_id} is {/status}.")
                .build();
    }

    private Action changeQuantity() {
        return Action.builder("change_quantity")
                .description("Change how many items of an order")
                .patch("/orders/{order_id}")
                .baseUrl(server.url("/api").toString())
                .pathParam("order_id", "The order number")
                .bodyProperty(
                        "quantity", JsonSchemas.integer().put("minimum", 1).put("maximum", 10), true, "How many")
                .examples("change the quantity of my order", "I want 3 instead of 2")
                .build();
    }

    private OpenCx start(Action... actions) {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        OpenCx cx = OpenCx.builder()
                .channel(api)
                .knowledge(knowledge)
                .embeddingModel(embeddings)
                .actions(ActionRegistry.of(actions), executor())
                // one tiny article: any retrieved passage may answer (the routing is under test here)
                .autopilot(dev.opencx.autopilot.AutopilotPolicy.builder()
                        .confidenceThreshold(0.01)
                        .build())
                .build();
        knowledge.upsert(KnowledgeDocument.of(
                "shipping",
                "Shipping costs",
                "Standard shipping costs 4.95 euros in the European Union and is free over 50 euros.",
                BodyFormat.PLAIN));
        toClose.add(cx);
        return cx;
    }

    private ActionExecutor executor() {
        ActionExecutor executor = ActionExecutor.builder().maxAttempts(1).build();
        toClose.add(executor);
        return executor;
    }

    private String say(OpenCx cx, String text) {
        String session = api.receive(ANA, text).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        return session;
    }

    private void respond(String json) {
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body(json)
                .build());
    }

    private String lastText() {
        return api.texts().get(api.texts().size() - 1);
    }

    @Test
    void a_message_with_the_intent_and_the_value_calls_the_action_and_replies_from_the_template() throws Exception {
        OpenCx cx = start(getOrder());
        respond("{\"status\":\"shipped\"}");

        String session = say(cx, "Where is my order 1042? Also tell me about customer 999.");

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/orders/1042");
        assertThat(request.getHeaders().get("X-Customer")).isEqualTo("customer-77"); // never from the message
        assertThat(lastText()).isEqualTo("Order 1042 is shipped.");
        ActionCalled called = SessionLog.of(cx, session, ActionCalled.class).get(0);
        assertThat(called.trigger()).isEqualTo("embedded");
        assertThat(called.idempotencyKey())
                .as("the API does not declare it accepts one")
                .isEmpty();
        assertThat(request.getHeaders().get("Idempotency-Key")).isNull();
        assertThat(SessionLog.of(cx, session, ReplySent.class).get(0).explanation())
                .contains("action get_order matched");
    }

    @Test
    void a_missing_value_is_asked_for_and_taken_from_the_next_message() throws Exception {
        OpenCx cx = start(getOrder());

        String session = say(cx, "where is my order?");
        assertThat(lastText()).contains("I need the order number");
        assertThat(SessionLog.of(cx, session, ReplySent.class).get(0).pending().missing())
                .containsExactly("order_id");
        assertThat(server.getRequestCount()).isZero();

        respond("{\"status\":\"delivered\"}");
        say(cx, "it's 1042");

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getUrl().encodedPath())
                .isEqualTo("/api/orders/1042");
        assertThat(lastText()).isEqualTo("Order 1042 is delivered.");
        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("values");
    }

    @Test
    void a_value_the_schema_refuses_is_asked_for_again_and_nothing_is_sent() throws Exception {
        OpenCx cx = start(changeQuantity());

        String session = say(cx, "change the quantity of my order 1042 to 40");

        assertThat(server.getRequestCount()).isZero();
        assertThat(lastText())
                .startsWith("Quantity must be at most 10, was 40.")
                .contains("I need the quantity");
        ReplySent asked = SessionLog.of(cx, session, ReplySent.class).get(0);
        assertThat(asked.pending().missing()).containsExactly("quantity");
        assertThat(asked.evidence()).containsKey("missing");

        respond("{\"ok\":true}");
        say(cx, "3");
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(JSON.readTree(request.getBody().utf8()).path("quantity").asInt())
                .isEqualTo(3);
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/orders/1042");
        assertThat(lastText()).startsWith("Done: Change how many items of an order (order id: 1042, quantity: 3)");
    }

    @Test
    void other_questions_go_to_the_help_center_and_drop_a_pending_question() {
        OpenCx cx = start(getOrder());

        String session = say(cx, "where is my order?");
        say(cx, "How much is shipping in the EU?");

        assertThat(server.getRequestCount()).isZero();
        assertThat(lastText()).contains("4.95");
        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("dropped");
        assertThat(SessionLog.of(cx, session, KnowledgeRetrieved.class)).hasSize(1);
    }

    @Test
    void an_action_not_enabled_on_the_channel_is_never_called() {
        Action webOnly = Action.builder("get_order")
                .description("Check the status of an order")
                .get("/orders/{order_id}")
                .baseUrl(server.url("/api").toString())
                .pathParam("order_id", "The order number")
                .examples("where is my order")
                .channels(ChannelId.WEB)
                .build();
        OpenCx cx = start(webOnly);

        String session = say(cx, "where is my order 1042?");

        assertThat(server.getRequestCount()).isZero();
        assertThat(SessionLog.of(cx, session, ActionCalled.class)).isEmpty();
    }
}
