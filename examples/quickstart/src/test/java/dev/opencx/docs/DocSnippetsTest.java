package dev.opencx.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.opencx.OpenCx;
import dev.opencx.action.ActionAuth;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.action.openapi.OpenApiImporter;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ReplySent;
import dev.opencx.event.ToolCalled;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.TrainingScenario;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import dev.opencx.pipeline.Step;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.responder.llm.LlmResponder;
import dev.opencx.responder.llm.ToolRegistry;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import dev.opencx.test.ScriptedChatModel;
import dev.opencx.test.WordEmbeddingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The code snippets of README.md (the actions ones too), opencx-core/README.md and opencx-pii/README.md, compiled and run. Keep them in sync: a
 * snippet changed in a README is changed here too.
 */
class DocSnippetsTest {

    /** A stand-in for the kiosk screen of the README's adapter example. */
    static final class Screen {
        BiConsumer<String, String> input;
        final List<String> shown = new CopyOnWriteArrayList<>();

        void onInput(BiConsumer<String, String> handler) {
            this.input = handler;
        }

        void show(String visitorId, String text) {
            shown.add(visitorId + ": " + text);
        }
    }

    // README.md, "Writing an adapter"
    static final class KioskChannel implements Channel {
        private final Screen screen;

        KioskChannel(Screen screen) {
            this.screen = screen;
        }

        @Override
        public ChannelId id() {
            return ChannelId.of("kiosk");
        }

        @Override
        public ChannelCapabilities capabilities() {
            return ChannelCapabilities.plainText();
        }

        @Override
        public void start(InboundSink sink) { // called once by OpenCx.build()
            screen.onInput((visitorId, text) -> sink.receive(InboundMessage.builder(id())
                    .from(Identity.custom(visitorId))
                    .text(text)
                    .build()));
        }

        @Override
        public DeliveryReceipt send(OutboundMessage m) { // called by the outbox, with retries
            screen.show(m.recipient().value(), m.text()); // throw OpenCxException.retriable(...) to be retried
            return DeliveryReceipt.none();
        }
    }

    @Test
    void the_readme_kiosk_channel_receives_and_answers() {
        Screen screen = new Screen();
        try (OpenCx cx = OpenCx.builder()
                .channel(new KioskChannel(screen))
                .responder(req -> Reply.answer("Hello!", 0.9, List.of(), "always hello", Map.of()))
                .build()) {
            screen.input.accept("visitor-7", "hi");
            cx.awaitIdle(Duration.ofSeconds(10));
        }
        assertThat(screen.shown).containsExactly("visitor-7: Hello!");
    }

    @Test
    void the_readme_business_hours_interceptor_hands_off() {
        BusinessHours businessHours = () -> false;
        List<String> replies = new CopyOnWriteArrayList<>();
        ApiChannel api = ApiChannel.create().onReply(r -> replies.add(r.kind().name()));
        OpenCx.Builder builder =
                OpenCx.builder().channel(api).responder(req -> Reply.answer("Hello!", 0.9, List.of(), "", Map.of()));
        // README.md, "How a message flows"
        builder.interceptor(Step.AUTOPILOT, chain -> {
            if (!businessHours.isOpen()) {
                chain.turn().handOff(HandoffReason.CUSTOM, "outside business hours", Map.of());
            }
            return chain.proceed();
        });
        try (OpenCx cx = builder.build()) {
            var receipt = api.receive(Identity.email("ana@example.com"), "hi").join();
            cx.awaitIdle(Duration.ofSeconds(10));
            List<HandoffRequested> handoffs = new ArrayList<>();
            cx.events(receipt.sessionId()).forEach(e -> {
                if (e.payload() instanceof HandoffRequested h) {
                    handoffs.add(h);
                }
            });
            assertThat(handoffs).extracting(HandoffRequested::detail).containsExactly("outside business hours");
        }
        assertThat(replies).containsExactly("HANDOFF_NOTICE");
    }

    @Test
    void the_core_readme_example_replies() {
        List<String> printed = new CopyOnWriteArrayList<>();
        // opencx-core/README.md
        ApiChannel api = ApiChannel.create();
        try (OpenCx cx = OpenCx.builder()
                .channel(api)
                .responder(req -> Reply.answer("Hello!", 0.9, List.of(), "always hello", Map.of()))
                .build()) {
            api.onReply(reply -> printed.add(reply.text()));
            api.receive(Identity.email("ana@example.com"), "hi").join(); // returns once stored
            cx.awaitIdle(Duration.ofSeconds(5)); // the turn runs asynchronously
        }
        assertThat(printed).containsExactly("Hello!");
    }

    @Test
    void the_readme_pii_policy_redacts_before_storage_and_reveals_per_destination() {
        ApiChannel api = ApiChannel.create();
        RecordingChannel internal = new RecordingChannel(ChannelId.of("internal"));
        Responder responder = req -> Reply.answer("Thanks!", 0.9, List.of(), "", Map.of());
        RecordingHelpdesk inbox = new RecordingHelpdesk();
        String seenStored;
        String seenForAgent;
        // README.md, "PII policy" (the key comes from the environment there)
        PiiDetector detector = BuiltInPiiDetectors.builder() // opencx-pii
                .pattern(PiiType.of("ORDER_NUMBER"), "\\bORD-\\d{6}\\b") // your own patterns too
                .build();
        PiiPolicy policy = PiiPolicy.builder()
                .keep(PiiType.LOCATION, PiiType.ORGANIZATION) // a city alone is not redacted
                .revealByDefault(PiiDestination.HELPDESK, PiiDestination.AGENT_VIEW, PiiDestination.CUSTOMER)
                .reveal(PiiType.IBAN, PiiDestination.ACTION) // refunds need it, agents do not
                .neverReveal(PiiType.CARD, PiiType.SSN, PiiType.CREDENTIAL)
                .build();
        byte[] key = PiiVault.newKey();
        try (OpenCx cx = OpenCx.builder()
                .channel(api)
                .channel(internal)
                .responder(responder)
                .helpdesk(inbox)
                .pii(detector, policy) // redact before storage and before the AI
                .piiVault(PiiVault.aesGcm(key)) // reversible: values sealed in the store
                .piiPolicy(internal.id(), PiiPolicy.off()) // per channel
                .build()) {
            String session = api.receive(
                            Identity.email("ana@example.com"),
                            "I'm Ana Lima, call me on +44 20 7946 0958 or pay with 4111 1111 1111 1111")
                    .join()
                    .sessionId();
            cx.awaitIdle(Duration.ofSeconds(5));
            String stored = ((MessageReceived) cx.events(session).get(1).payload())
                    .message()
                    .text();
            String forAgent = cx.reveal(session, stored, PiiDestination.AGENT_VIEW);
            seenStored = stored;
            seenForAgent = forAgent;
        }
        assertThat(seenStored).isEqualTo("I'm [PERSON_1], call me on [PHONE_1] or pay with [CARD_1]");
        assertThat(seenForAgent).isEqualTo("I'm Ana Lima, call me on +44 20 7946 0958 or pay with [CARD_1]");
        // README.md, "PII policy": prohibited topics per channel (an empty list turns them off there)
        OpenCx.Builder perChannel =
                OpenCx.builder().prohibitedTopics(List.of("medical advice")).prohibitedTopics(ChannelId.WEB, List.of());
        assertThat(perChannel).isNotNull();
    }

    // README.md, "Using an LLM" (first snippet): builds the client, no call is made
    static ChatModel readmeOpenAiModel() {
        ChatModel model = OpenAiChatModel.builder() // or AnthropicChatModel, OllamaChatModel, ...
                .apiKey(System.getenv("OPENAI_API_KEY"))
                .modelName("gpt-4o-mini")
                .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA) // OpenAI structured outputs
                .strictJsonSchema(true)
                .build();
        return model;
    }

    @Test
    void the_readme_openai_model_declares_json_schema_support() {
        assertThat(readmeOpenAiModel().supportedCapabilities()).contains(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    /** The README's order service. */
    interface Orders {
        String statusJson(String argumentsJson);
    }

    @Test
    void the_readme_llm_example_calls_the_tool_and_answers() throws Exception {
        ScriptedChatModel model = new ScriptedChatModel()
                .toolCall("order_status", "{\"order_id\":\"A-1001\"}")
                .answer("Your order A-1001 shipped yesterday.", 0.9);
        Orders orders = args -> "{\"status\":\"shipped\",\"shipped\":\"yesterday\"}";
        ApiChannel api = ApiChannel.create();
        List<String> replies = new CopyOnWriteArrayList<>();
        api.onReply(r -> replies.add(r.text()));
        RecordingHelpdesk inbox = new RecordingHelpdesk();
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(KnowledgeDocument.of(
                "shipping", "Shipping", "Orders ship within 2 business days.", BodyFormat.MARKDOWN));
        WordEmbeddingModel embeddings = new WordEmbeddingModel();
        List<TrainingScenario> scenarios = List.of(TrainingScenario.rule("tone", "Be brief."));
        String session;
        // --- README snippet starts ---
        ToolRegistry tools = ToolRegistry.builder()
                .add(
                        ToolSpecification.builder()
                                .name("order_status")
                                .description("The status of an order by its number")
                                .parameters(JsonObjectSchema.builder()
                                        .addStringProperty("order_id")
                                        .required("order_id")
                                        .build())
                                .build(),
                        (call, turn) -> orders.statusJson(call.arguments())) // your API; the result goes to the model
                .build();
        try (OpenCx cx = OpenCx.builder()
                .channel(api)
                .helpdesk(inbox)
                .knowledge(knowledge)
                .embeddingModel(embeddings)
                .scenarios(scenarios)
                .responder(LlmResponder.builder()
                        .chatModel(model)
                        .persona("You are Nora, the support assistant of Northwind Outfitters.")
                        .safetyRule("Never promise a delivery date.")
                        .tools(tools))
                .build()) {
            session = api.receive(Identity.email("ana@example.com"), "Where is my order A-1001?")
                    .join()
                    .sessionId(); // (not in the README: the test's own check)
            cx.awaitIdle(Duration.ofSeconds(30));
            // --- README snippet ends ---
            assertThat(cx.events(session).stream()
                            .map(e -> e.payload())
                            .filter(p -> p instanceof ToolCalled || p instanceof ReplySent)
                            .map(p -> p.getClass().getSimpleName()))
                    .containsExactly("ToolCalled", "ReplySent");
        }
        knowledge.close();
        assertThat(replies).containsExactly("Your order A-1001 shipped yesterday.");
        assertThat(model.requests().get(0).messages().get(0).toString())
                .contains("You are Nora")
                .contains("Be brief.")
                .contains("Never promise a delivery date.");
    }

    static final String ORDERS_SPEC =
            """
            openapi: 3.0.3
            info: {title: Orders, version: "1"}
            servers:
              - url: http://127.0.0.1:{port}/api
                variables: {port: {default: "8081"}}
            security: [{storeKey: []}]
            components:
              securitySchemes:
                storeKey: {type: apiKey, in: header, name: X-Store-Key}
            paths:
              /orders/{order_id}:
                get:
                  operationId: getOrder
                  summary: Check the status of an order
                  x-opencx-contact-bound: {X-Customer-Id: contact.external_id}
                  parameters:
                    - {name: order_id, in: path, required: true, schema: {type: string}}
                    - {name: X-Customer-Id, in: header, required: true, schema: {type: string}}
                  responses: {"200": {description: ok}}
              /orders/{order_id}/cancel:
                post:
                  operationId: cancelOrder
                  summary: Cancel an order that has not shipped yet
                  x-opencx-confirm: true
                  x-opencx-idempotency-key: true
                  x-opencx-reply-template: "Order {order_id} is cancelled. The refund of {/refund} is on its way."
                  x-opencx-contact-bound: {X-Customer-Id: contact.external_id}
                  parameters:
                    - {name: order_id, in: path, required: true, schema: {type: string}}
                    - {name: X-Customer-Id, in: header, required: true, schema: {type: string}}
                  responses: {"200": {description: ok}}
            """;

    /** The README's plan lookup. */
    interface Plans {
        String planOf(String contactId);
    }

    @Test
    void the_readme_actions_import_builds_a_client(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path specFile = dir.resolve("orders-openapi.yaml");
        java.nio.file.Files.writeString(specFile, ORDERS_SPEC);
        String storeKey = "nw_test";
        java.util.Set<String> vips = java.util.Set.of();
        Plans plans = contactId -> "basic";
        ApiChannel api = ApiChannel.create();
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        WordEmbeddingModel embeddings = new WordEmbeddingModel();
        // --- README snippet starts ---
        ActionRegistry actions = OpenApiImporter.builder()
                .serverVariable("port", "8081") // servers[].variables, or .baseUrl(...)
                .build()
                .importFile(specFile); // one action per operation
        System.out.println(actions.report()); // what was skipped, and why
        try (ActionExecutor executor = ActionExecutor.builder()
                        .auth("storeKey", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Store-Key", storeKey))
                        .responseFields("getOrder", "status", "eta", "/shipping/carrier") // what the AI sees
                        .build();
                OpenCx cx = OpenCx.builder()
                        .channel(api)
                        .knowledge(knowledge)
                        .embeddingModel(embeddings)
                        .actions(actions, executor)
                        .actionSegments(
                                contact -> vips.contains(contact.id()) ? java.util.Set.of("vip") : java.util.Set.of())
                        .actionContext((contact, session, ctx) -> ctx.attribute("plan", plans.planOf(contact.id())))
                        .build()) {
            // --- README snippet ends ---
            assertThat(actions.names()).containsExactly("getOrder", "cancelOrder");
            assertThat(actions.get("getOrder").orElseThrow().baseUrl()).contains("http://127.0.0.1:8081/api");
        }
        knowledge.close();
    }

    @Test
    void the_readme_action_test_confirms_before_the_call() throws Exception {
        String ordersSpec = ORDERS_SPEC;
        try (mockwebserver3.MockWebServer shop = new mockwebserver3.MockWebServer()) {
            shop.start();
            // --- README snippet starts ---
            shop.enqueue(new mockwebserver3.MockResponse.Builder()
                    .code(200)
                    .addHeader("Content-Type", "application/json")
                    .body("{\"order_id\":\"1042\",\"status\":\"cancelled\",\"refund\":\"$89.00\"}")
                    .build());
            ScriptedChatModel model = new ScriptedChatModel().toolCall("cancelOrder", "{\"order_id\":\"1042\"}");
            RecordingChannel web = new RecordingChannel(ChannelId.WEB);
            Identity customer = Identity.custom("customer-7");
            try (ActionExecutor executor = ActionExecutor.builder()
                            .auth("storeKey", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Store-Key", "test-key"))
                            .build();
                    OpenCx cx = OpenCx.builder()
                            .channel(web)
                            .responder(LlmResponder.builder().chatModel(model))
                            .actions(
                                    OpenApiImporter.builder()
                                            .baseUrl(shop.url("/api").toString())
                                            .build()
                                            .importString(ordersSpec),
                                    executor)
                            .build()) {
                web.receive(customer, "Please cancel order 1042").join();
                cx.awaitIdle(Duration.ofSeconds(10));
                assertThat(web.texts().get(0)).contains("(order id: 1042)", "Shall I go ahead?");
                assertThat(shop.getRequestCount()).isZero(); // nothing happens before the yes

                web.receive(customer, "yes").join();
                cx.awaitIdle(Duration.ofSeconds(10));
                mockwebserver3.RecordedRequest cancel = shop.takeRequest(5, TimeUnit.SECONDS);
                assertThat(cancel.getUrl().encodedPath()).isEqualTo("/api/orders/1042/cancel");
                assertThat(cancel.getHeaders().get("X-Customer-Id")).isEqualTo("customer-7"); // from the contact
                assertThat(web.texts().get(1)).contains("The refund of $89.00");
            }
            // --- README snippet ends ---
        }
    }

    /** The README's business-hours service. */
    interface BusinessHours {
        boolean isOpen();
    }
}
