package dev.opencx.responder.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.opencx.OpenCx;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.PartialReply;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.event.EventPayload;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.ModelCalled;
import dev.opencx.event.ReplySent;
import dev.opencx.event.ScenarioMatched;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.ToolCalled;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.TrainingScenario;
import dev.opencx.pipeline.TurnResult;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import dev.opencx.test.ScriptedChatModel;
import dev.opencx.test.ScriptedStreamingChatModel;
import dev.opencx.test.WordEmbeddingModel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The LLM answer path through the whole pipeline, with scripted models. */
class LlmResponderPipelineTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Identity ANA = Identity.email("ana@example.com");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingChannel api = new RecordingChannel(ChannelId.API);
    private final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();

    LlmResponderPipelineTest() {
        knowledge.upsert(new KnowledgeDocument(
                "returns",
                "Returns and refunds",
                "# Return window\nYou have 30 days to return any item in its original condition.\n\n"
                        + "# Refund timing\nRefunds reach your card within 5 business days after we receive the parcel.",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/returns",
                "en",
                "",
                java.util.Map.of()));
        knowledge.upsert(KnowledgeDocument.of(
                "shipping",
                "Shipping",
                "We ship to the EU, the UK and the US. Standard delivery takes 3 to 5 days.",
                BodyFormat.MARKDOWN));
    }

    @AfterEach
    void closeAll() throws Exception {
        model.release();
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
        knowledge.close();
    }

    private OpenCx start(LlmResponder.Builder responder) {
        return start(base().responder(responder));
    }

    private OpenCx.Builder base() {
        return OpenCx.builder()
                .channel(api)
                .helpdesk(helpdesk)
                .knowledge(knowledge)
                .outboxRetries(3, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private OpenCx start(OpenCx.Builder b) {
        OpenCx cx = b.build();
        toClose.add(cx);
        return cx;
    }

    private String ask(OpenCx cx, String text) {
        String session = api.receive(ANA, text).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        return session;
    }

    static <T extends EventPayload> List<T> events(OpenCx cx, String sessionId, Class<T> type) {
        return cx.events(sessionId).stream()
                .map(SessionEvent::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    static String systemPrompt(ChatRequest r) {
        return r.messages().stream()
                .filter(m -> m instanceof SystemMessage)
                .map(m -> ((SystemMessage) m).text())
                .findFirst()
                .orElseThrow();
    }

    @Test
    void answers_from_the_knowledge_with_citations_and_records_the_model_call() {
        model.answer("You have 30 days to return an item.", 0.92, "returns#0");
        OpenCx cx = start(LlmResponder.builder().chatModel(model).persona("You are Nora from Northwind."));

        String session = ask(cx, "How long do I have to return something?");

        assertThat(api.sent()).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("You have 30 days to return an item.");
            assertThat(m.sources()).extracting(c -> c.passageId()).containsExactly("returns#0");
            assertThat(m.sources()).extracting(c -> c.url()).containsExactly("https://shop.example/help/returns");
        });
        ReplySent sent = events(cx, session, ReplySent.class).get(0);
        assertThat(sent.confidence()).isEqualTo(0.92);
        assertThat(sent.explanation()).contains("scripted-model").contains("returns#0");
        assertThat(events(cx, session, KnowledgeRetrieved.class).get(0).passages())
                .extracting(KnowledgeRetrieved.Hit::passageId)
                .contains("returns#0");
        ModelCalled call = events(cx, session, ModelCalled.class).get(0);
        assertThat(call.model()).isEqualTo("scripted-model");
        assertThat(call.succeeded()).isTrue();
        assertThat(call.inputTokens()).isEqualTo(100);
        assertThat(call.round()).isEqualTo(1);

        ChatRequest request = model.lastRequest();
        String system = systemPrompt(request);
        assertThat(system)
                .startsWith("You are Nora from Northwind.")
                .contains("[returns#0] Returns and refunds > Return window (https://shop.example/help/returns)")
                .contains("30 days to return")
                .contains("Answer only from the CONTEXT")
                .contains("renders Markdown");
        assertThat(request.responseFormat().jsonSchema().name()).isEqualTo("support_reply");
        assertThat(request.messages().get(request.messages().size() - 1))
                .isEqualTo(UserMessage.from("How long do I have to return something?"));
    }

    @Test
    void drops_invented_citations_and_halves_the_confidence_so_the_gate_hands_off() {
        model.answer("Refunds take 2 days.", 0.8, "returns#1", "refunds#7");
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "When do I get my refund?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.LOW_CONFIDENCE);
        assertThat(h.detail()).contains("0.40 is below the threshold 0.50").contains("refunds#7");
        assertThat(h.evidence()).containsEntry("invented_citations", List.of("refunds#7"));
        assertThat(h.evidence()).containsEntry("cited", List.of("returns#1"));
        assertThat(api.sent())
                .singleElement()
                .satisfies(m -> assertThat(m.kind().name()).isEqualTo("HANDOFF_NOTICE"));
        assertThat(helpdesk.tickets()).hasSize(1);
    }

    @Test
    void an_answer_still_confident_after_the_penalty_is_sent_with_only_the_real_citations() {
        model.answer("Refunds reach your card within 5 business days.", 1.0, "returns#1", "made-up");
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "When do I get my refund?");

        assertThat(api.sent()).singleElement().satisfies(m -> assertThat(m.sources())
                .extracting(c -> c.passageId())
                .containsExactly("returns#1"));
        ReplySent r = events(cx, session, ReplySent.class).get(0);
        assertThat(r.confidence()).isEqualTo(0.5);
        assertThat(r.evidence())
                .containsEntry("invented_citations", List.of("made-up"))
                .containsEntry("model_confidence", 1.0)
                .containsEntry("model", "scripted-model");
    }

    @ParameterizedTest
    @CsvSource({
        "missing_knowledge, MISSING_KNOWLEDGE",
        "missing_tools, MISSING_ACTION",
        "unclear_request, UNCLEAR_REQUEST",
        "user_request, EXPLICIT_REQUEST",
        "prohibited_topic, PROHIBITED_TOPIC",
        "something_else, LOW_CONFIDENCE"
    })
    void hands_off_with_the_reason_the_model_gives(String category, HandoffReason reason) {
        model.needsHuman(category);
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "Can you look at my account?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(reason);
        assertThat(h.detail()).contains("the model asked for a human");
        assertThat(helpdesk.tickets().values()).singleElement().satisfies(t -> assertThat(t.reason())
                .isEqualTo(reason));
    }

    @Test
    void plain_text_without_json_is_a_low_confidence_answer_the_gate_hands_off() {
        model.reply("Sure, returns are free.");
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "Are returns free?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.LOW_CONFIDENCE);
        assertThat(h.evidence()).containsEntry("parsed_as", "plain").containsEntry("confidence", 0.3);
    }

    @Test
    void plain_text_is_sent_when_the_threshold_allows_it() {
        model.reply("Sure, returns are free.");
        OpenCx cx = start(base().autopilot(
                        AutopilotPolicy.builder().confidenceThreshold(0.2).build())
                .responder(LlmResponder.builder().chatModel(model)));

        ask(cx, "Are returns free?");

        assertThat(api.texts()).containsExactly("Sure, returns are free.");
    }

    @Test
    void reads_json_in_a_code_fence_with_prose_around_it() {
        model.reply("Here you go:\n```json\n{\"answer\": \"We ship to the EU, the UK and the US.\", "
                + "\"citations\": [\"shipping#0\"], \"confidence\": \"90%\", \"needs_human\": false, "
                + "\"handoff_reason\": \"none\"}\n```\nAnything else?");
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "Where do you ship?");

        assertThat(api.texts()).containsExactly("We ship to the EU, the UK and the US.");
        ReplySent r = events(cx, session, ReplySent.class).get(0);
        assertThat(r.confidence()).isEqualTo(0.9);
        assertThat(r.citations()).extracting(c -> c.passageId()).containsExactly("shipping#0");
    }

    @Test
    void an_empty_model_reply_hands_off_as_a_responder_error() {
        model.reply("   ");
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "hello?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "empty_reply");
    }

    static final ToolSpecification ORDER_STATUS = ToolSpecification.builder()
            .name("order_status")
            .description("The status of an order by its number")
            .parameters(JsonObjectSchema.builder()
                    .addStringProperty("order_id")
                    .required("order_id")
                    .build())
            .build();

    @Test
    void runs_a_tool_the_model_asks_for_and_answers_with_its_result() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ToolRegistry tools = ToolRegistry.builder()
                .add(ORDER_STATUS, (call, turn) -> {
                    seen.add(call.arguments() + " for " + turn.session().ticket());
                    return "{\"status\":\"shipped\",\"eta\":\"tomorrow\"}";
                })
                .build();
        model.toolCall("order_status", "{\"order_id\":\"A-1\"}").answer("Order A-1 ships tomorrow.", 0.9);
        OpenCx cx = start(LlmResponder.builder().chatModel(model).tools(tools));

        String session = ask(cx, "Where is order A-1?");

        assertThat(api.texts()).containsExactly("Order A-1 ships tomorrow.");
        assertThat(seen).containsExactly("{\"order_id\":\"A-1\"} for #1000");
        ToolCalled t = events(cx, session, ToolCalled.class).get(0);
        assertThat(t.name()).isEqualTo("order_status");
        assertThat(t.arguments()).isEqualTo("{\"order_id\":\"A-1\"}");
        assertThat(t.result()).contains("shipped");
        assertThat(t.outcome()).isEqualTo("ok");
        assertThat(events(cx, session, ModelCalled.class))
                .extracting(ModelCalled::round, ModelCalled::toolCalls)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, 1), org.assertj.core.groups.Tuple.tuple(2, 0));
        List<ChatRequest> requests = model.requests();
        assertThat(requests.get(0).toolSpecifications()).containsExactly(ORDER_STATUS);
        List<ChatMessage> second = requests.get(1).messages();
        assertThat(second.get(second.size() - 1)).isInstanceOfSatisfying(ToolExecutionResultMessage.class, m -> {
            assertThat(m.toolName()).isEqualTo("order_status");
            assertThat(m.text()).contains("tomorrow");
        });
    }

    @Test
    void tools_get_real_values_while_the_model_and_the_log_see_placeholders() {
        List<String> seen = new CopyOnWriteArrayList<>();
        ToolRegistry tools = ToolRegistry.builder()
                .add(ORDER_STATUS, (call, turn) -> {
                    seen.add(call.arguments());
                    return "{\"status\":\"shipped\",\"courier_phone\":\"+44 20 7946 0958\"}";
                })
                .build();
        model.toolCall("order_status", "{\"order_id\":\"A-1\",\"email\":\"[EMAIL_1]\"}")
                .answer("Order A-1 has shipped.", 0.9);
        OpenCx cx =
                start(base().responder(LlmResponder.builder().chatModel(model).tools(tools))
                        .pii(dev.opencx.pii.builtin.BuiltInPiiDetectors.all(), dev.opencx.pii.PiiPolicy.defaults())
                        .piiVault(dev.opencx.pii.PiiVault.aesGcm(dev.opencx.pii.PiiVault.newKey())));

        String session = ask(cx, "Where is order A-1? My e-mail is zoe.quinn@example.org");

        assertThat(seen).containsExactly("{\"order_id\":\"A-1\",\"email\":\"zoe.quinn@example.org\"}");
        String firstPrompt = model.requests().get(0).messages().toString();
        assertThat(firstPrompt).contains("[EMAIL_1]").doesNotContain("zoe.quinn@example.org");
        List<ChatMessage> second = model.requests().get(1).messages();
        assertThat(second.get(second.size() - 1)).isInstanceOfSatisfying(ToolExecutionResultMessage.class, m -> {
            assertThat(m.text()).contains("shipped", "[PHONE_").doesNotContain("7946");
        });
        ToolCalled t = events(cx, session, ToolCalled.class).get(0);
        assertThat(t.arguments()).contains("[EMAIL_1]").doesNotContain("zoe.quinn");
        assertThat(t.result()).doesNotContain("7946");
        assertThat(api.texts()).containsExactly("Order A-1 has shipped.");
    }

    @Test
    void hands_off_when_the_model_keeps_asking_for_tools_beyond_the_bound() {
        ToolRegistry tools = ToolRegistry.builder()
                .add(ORDER_STATUS, (call, turn) -> "{\"status\":\"unknown\"}")
                .build();
        model.toolCalls(List.of(
                        new String[] {"order_status", "{\"order_id\":\"A-1\"}"},
                        new String[] {"order_status", "{\"order_id\":\"A-2\"}"}))
                .toolCall("order_status", "{\"order_id\":\"A-3\"}")
                .toolCall("order_status", "{\"order_id\":\"A-4\"}");
        OpenCx cx = start(LlmResponder.builder().chatModel(model).tools(tools).maxToolRounds(2));

        String session = ask(cx, "Where are my orders?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence())
                .containsEntry("error_kind", "tool_rounds_exhausted")
                .containsEntry("tool_calls", 3);
        assertThat(h.detail()).contains("after 2 rounds");
        assertThat(events(cx, session, ToolCalled.class))
                .extracting(ToolCalled::round)
                .containsExactly(1, 1, 2);
        assertThat(events(cx, session, ModelCalled.class)).hasSize(3);
        assertThat(model.remaining()).isZero();
    }

    @Test
    void a_failing_unknown_or_slow_tool_is_reported_to_the_model_which_still_answers() {
        ToolSpecification slow = ToolSpecification.builder().name("slow").build();
        ToolSpecification broken = ToolSpecification.builder().name("broken").build();
        ToolRegistry tools = ToolRegistry.builder()
                .add(slow, (call, turn) -> {
                    Thread.sleep(60_000);
                    return "never";
                })
                .add(broken, (call, turn) -> {
                    throw new IllegalStateException("shop API down");
                })
                .build();
        model.toolCalls(List.of(
                        new String[] {"slow", "{}"}, new String[] {"broken", "{}"}, new String[] {"missing", "{}"}))
                .answer("I could not check that right now.", 0.7);
        OpenCx cx = start(LlmResponder.builder().chatModel(model).tools(tools).toolTimeout(Duration.ofMillis(100)));

        String session = ask(cx, "Check everything");

        assertThat(events(cx, session, ToolCalled.class))
                .extracting(ToolCalled::name, ToolCalled::outcome)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("slow", "timeout"),
                        org.assertj.core.groups.Tuple.tuple("broken", "error"),
                        org.assertj.core.groups.Tuple.tuple("missing", "unknown_tool"));
        List<ChatMessage> second = model.requests().get(1).messages();
        assertThat(second.stream()
                        .filter(m -> m instanceof ToolExecutionResultMessage)
                        .map(m -> ((ToolExecutionResultMessage) m).text()))
                .anySatisfy(t -> assertThat(t).contains("shop API down"))
                .anySatisfy(t -> assertThat(t).contains("no tool named 'missing'"));
        assertThat(api.texts()).containsExactly("I could not check that right now.");
    }

    @Test
    void a_model_error_hands_off_with_the_error_kind() {
        model.fail(new RateLimitException("rate limit reached"));
        OpenCx cx = start(LlmResponder.builder().chatModel(model));

        String session = ask(cx, "Where do you ship?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "rate_limited");
        ModelCalled call = events(cx, session, ModelCalled.class).get(0);
        assertThat(call.outcome()).isEqualTo("rate_limited");
        assertThat(call.error()).isEqualTo("RateLimitException");
        assertThat(api.sent())
                .singleElement()
                .satisfies(m -> assertThat(m.kind().name()).isEqualTo("HANDOFF_NOTICE"));
    }

    @Test
    void a_model_that_does_not_answer_in_time_hands_off_as_a_timeout() {
        model.hang();
        OpenCx cx = start(LlmResponder.builder().chatModel(model).timeout(Duration.ofMillis(200)));

        String session = ask(cx, "Where do you ship?");

        HandoffRequested h = events(cx, session, HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.RESPONDER_ERROR);
        assertThat(h.evidence()).containsEntry("error_kind", "timeout");
        assertThat(events(cx, session, ModelCalled.class)).singleElement().satisfies(c -> assertThat(c.outcome())
                .isEqualTo("timeout"));
        assertThat(helpdesk.tickets()).hasSize(1);
    }

    @Test
    void a_matched_scenario_is_in_the_context_and_may_be_cited() {
        model.answer("We don't ship to Canada yet.", 0.95, "scenario:canada");
        OpenCx cx = start(base().embeddingModel(new WordEmbeddingModel())
                .scenarios(List.of(
                        TrainingScenario.exactAnswer(
                                "canada", "We don't ship to Canada yet.", "Do you ship to Canada?"),
                        TrainingScenario.rule("tone", "Always greet the customer by name.")))
                .responder(LlmResponder.builder().chatModel(model)));

        String session = ask(cx, "do you ship to canada?");

        assertThat(api.texts()).containsExactly("We don't ship to Canada yet.");
        assertThat(events(cx, session, ScenarioMatched.class)).singleElement().satisfies(s -> assertThat(s.scenarioId())
                .isEqualTo("canada"));
        ReplySent r = events(cx, session, ReplySent.class).get(0);
        assertThat(r.confidence()).isEqualTo(0.95);
        assertThat(r.citations()).isEmpty();
        assertThat(systemPrompt(model.lastRequest()))
                .contains("[scenario:canada] canada")
                .contains("# Rules from the team")
                .contains("- Always greet the customer by name.");
    }

    @Test
    void the_prompt_follows_the_channel_prohibited_topics_and_history() {
        RecordingChannel sms = new RecordingChannel(ChannelId.SMS, ChannelCapabilities.plainText());
        model.answer("First answer.", 0.9).answer("Second answer.", 0.9);
        OpenCx cx = start(OpenCx.builder()
                .channel(sms)
                .knowledge(knowledge)
                .embeddingModel(new WordEmbeddingModel())
                .prohibitedTopics(List.of("medical advice"))
                .responder(LlmResponder.builder().chatModel(model).safetyRule("Never promise a delivery date.")));

        Identity phone = Identity.phone("+15550001111");
        sms.receive(phone, "Do you ship to the UK?").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        sms.receive(phone, "And to Spain?").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(sms.texts()).containsExactly("First answer.", "Second answer.");
        String system = systemPrompt(model.lastRequest());
        assertThat(system)
                .contains("sent as an SMS: plain text only")
                .contains("- Never promise a delivery date.")
                .contains("Prohibited topic (hand off with prohibited_topic, do not discuss it): medical advice")
                .contains("known contact details: phone (not shown)")
                .doesNotContain("+15550001111");
        assertThat(model.lastRequest().messages())
                .extracting(m -> m.getClass().getSimpleName())
                .containsExactly("SystemMessage", "UserMessage", "AiMessage", "UserMessage");
    }

    @Test
    void history_beyond_the_token_budget_is_left_out() {
        model.answer("One.", 0.9).answer("Two.", 0.9);
        OpenCx cx = start(LlmResponder.builder().chatModel(model).historyTokenBudget(0));

        ask(cx, "Do you ship to the UK?");
        ask(cx, "And to Spain?");

        assertThat(model.lastRequest().messages())
                .extracting(m -> m.getClass().getSimpleName())
                .containsExactly("SystemMessage", "UserMessage");
    }

    @Test
    void streams_the_answer_text_to_a_channel_that_can_show_it() {
        RecordingChannel web =
                new RecordingChannel(ChannelId.WEB, new ChannelCapabilities(true, true, true, true, false, 16_000));
        ScriptedStreamingChatModel streaming = new ScriptedStreamingChatModel().chunkSize(3);
        streaming.answer("Refunds take \"5\" business days.", 0.9, "returns#1");
        OpenCx cx = start(OpenCx.builder()
                .channel(web)
                .knowledge(knowledge)
                .responder(LlmResponder.builder().chatModel(model).streamingChatModel(streaming)));

        web.receive(ANA, "When do I get my refund?").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(web.partials()).isNotEmpty().allSatisfy(p -> {
            assertThat(p.kind()).isEqualTo(PartialReply.Kind.DELTA);
            assertThat(p.ticket().value()).isEqualTo(1000);
        });
        assertThat(web.partials()).extracting(PartialReply::index).isSorted();
        assertThat(web.streamedText()).isEqualTo("Refunds take \"5\" business days.");
        assertThat(web.texts()).containsExactly("Refunds take \"5\" business days.");
        assertThat(model.requests()).isEmpty();
        assertThat(events(cx, web.sent().get(0).sessionId(), ModelCalled.class))
                .singleElement()
                .satisfies(c -> assertThat(c.streaming()).isTrue());
    }

    @Test
    void a_streamed_draft_is_discarded_when_the_turn_hands_off() {
        RecordingChannel web =
                new RecordingChannel(ChannelId.WEB, new ChannelCapabilities(true, true, true, true, false, 16_000));
        ScriptedStreamingChatModel streaming = new ScriptedStreamingChatModel();
        streaming.answer("Maybe 2 days?", 0.1);
        OpenCx cx = start(OpenCx.builder()
                .channel(web)
                .helpdesk(helpdesk)
                .knowledge(knowledge)
                .responder(LlmResponder.builder().streamingChatModel(streaming)));

        web.receive(ANA, "When do I get my refund?").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        List<PartialReply> partials = web.partials();
        assertThat(partials.get(partials.size() - 1).kind()).isEqualTo(PartialReply.Kind.DISCARD);
        assertThat(web.sent())
                .singleElement()
                .satisfies(m -> assertThat(m.kind().name()).isEqualTo("HANDOFF_NOTICE"));
    }

    @Test
    void a_channel_failing_to_show_partials_still_gets_the_final_reply() {
        RecordingChannel flaky =
                new RecordingChannel(ChannelId.WEB, new ChannelCapabilities(true, true, true, true, false, 16_000)) {
                    @Override
                    public void partialReply(PartialReply partial) {
                        super.partialReply(partial);
                        throw new IllegalStateException("socket closed");
                    }
                };
        ScriptedStreamingChatModel streaming = new ScriptedStreamingChatModel().chunkSize(2);
        streaming.answer("We ship to the EU.", 0.9, "shipping#0");
        OpenCx cx = start(OpenCx.builder()
                .channel(flaky)
                .knowledge(knowledge)
                .responder(LlmResponder.builder().streamingChatModel(streaming)));

        flaky.receive(ANA, "Where do you ship?").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(flaky.partials()).hasSize(1); // the first failure ends the stream for the turn
        assertThat(flaky.texts()).containsExactly("We ship to the EU.");
    }

    @Test
    void a_channel_that_cannot_stream_gets_no_partials_and_the_chat_model_answers() {
        RecordingChannel plain = new RecordingChannel(ChannelId.WEB, ChannelCapabilities.rich());
        ScriptedStreamingChatModel streaming = new ScriptedStreamingChatModel();
        model.answer("We ship to the EU.", 0.9, "shipping#0");
        OpenCx cx = start(OpenCx.builder()
                .channel(plain)
                .knowledge(knowledge)
                .responder(LlmResponder.builder().chatModel(model).streamingChatModel(streaming)));

        plain.receive(ANA, "Where do you ship?").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(plain.texts()).containsExactly("We ship to the EU.");
        assertThat(plain.partials()).isEmpty();
        assertThat(streaming.requests()).isEmpty();
    }

    @Test
    void uses_prompt_only_output_for_a_model_without_json_schema_support() {
        model.capabilities(Set.of()).answer("We ship to the EU.", 0.9);
        LlmResponder r = LlmResponder.builder().chatModel(model).build();
        toClose.add(r);
        assertThat(r.outputMode()).isEqualTo(OutputMode.PROMPT);

        OpenCx cx = start(base().responder(r));
        ask(cx, "Where do you ship?");

        assertThat(model.lastRequest().responseFormat()).isNull();
        assertThat(api.texts()).containsExactly("We ship to the EU.");
    }

    @Test
    void the_listener_sees_the_outcome_of_an_llm_turn() {
        List<TurnResult> results = new CopyOnWriteArrayList<>();
        model.answer("We ship to the EU.", 0.9, "shipping#0");
        OpenCx cx = start(
                base().listener(results::add).responder(LlmResponder.builder().chatModel(model)));

        ask(cx, "Where do you ship?");

        assertThat(results).singleElement().satisfies(t -> {
            assertThat(t.outcome()).isEqualTo(TurnResult.Outcome.REPLIED);
            assertThat(t.citations()).extracting(c -> c.passageId()).containsExactly("shipping#0");
        });
    }

    @Test
    void the_builder_names_the_bad_value() {
        assertThatThrownBy(() -> LlmResponder.builder().maxToolRounds(11))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxToolRounds must be 0..10, was 11");
        assertThatThrownBy(() -> LlmResponder.builder().timeout(Duration.ZERO))
                .hasMessage("timeout must be positive, was PT0S");
        assertThatThrownBy(() -> LlmResponder.builder().inventedCitationPenalty(1.5))
                .hasMessage("inventedCitationPenalty must be within [0, 1], was 1.5");
        assertThatThrownBy(() -> LlmResponder.builder().persona(" ")).hasMessage("persona must not be blank, was ' '");
        assertThatThrownBy(() -> LlmResponder.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("call chatModel(...) or streamingChatModel(...)");
        assertThatThrownBy(() ->
                        ToolRegistry.builder().add(ORDER_STATUS, (c, t) -> "").add(ORDER_STATUS, (c, t) -> ""))
                .hasMessage("tool 'order_status' was already added");
        assertThat(Capability.RESPONSE_FORMAT_JSON_SCHEMA).isNotNull();
    }
}
