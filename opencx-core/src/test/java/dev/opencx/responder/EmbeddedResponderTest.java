package dev.opencx.responder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
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
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.ScenarioMatched;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.Passage;
import dev.opencx.knowledge.ScenarioMatcher;
import dev.opencx.knowledge.ScoredPassage;
import dev.opencx.knowledge.TrainingScenario;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedResponderTest {
    private static EmbeddingModel model;

    @BeforeAll
    static void loadModel() {
        model = new AllMiniLmL6V2QuantizedEmbeddingModel();
    }

    /** A knowledge store that returns fixed hits, to control the signals the responder sees. */
    private static KnowledgeStore fixed(List<ScoredPassage> hits) {
        return new KnowledgeStore() {
            @Override
            public void upsert(KnowledgeDocument document) {}

            @Override
            public void delete(String documentId) {}

            @Override
            public List<ScoredPassage> search(KnowledgeQuery query) {
                return hits;
            }

            @Override
            public int documentCount() {
                return hits.size();
            }

            @Override
            public void close() {}
        };
    }

    private static ScoredPassage hit(String doc, String title, String text, double fused, double vector) {
        return new ScoredPassage(
                new Passage(doc + "#0", doc, title, "", text, "https://shop.example/" + doc, "en"),
                fused,
                Map.of("fused", fused, "vector", vector, "bm25", 3.0));
    }

    private static ResponderRequest request(String text, List<EventPayload> log) {
        Instant now = Instant.parse("2026-11-21T10:00:00Z");
        Session s = new Session(
                "s1",
                new TicketNumber(1000),
                ChannelId.API,
                "c1",
                "",
                SessionState.AI_ACTIVE,
                "",
                "",
                "en",
                now,
                now,
                2,
                2,
                0);
        Contact c = new Contact("c1", "Ana", List.of(Identity.email("ana@example.com")), now);
        Message m = new Message("m1", Author.CUSTOMER, "", text, List.of(), "", now);
        return new ResponderRequest(s, c, m, List.of(), "en", "", ChannelCapabilities.rich(), log::add);
    }

    @Test
    void answers_with_the_exact_text_of_a_matching_scenario_and_logs_the_match() {
        ScenarioMatcher matcher = new ScenarioMatcher(
                model,
                List.of(
                        TrainingScenario.exactAnswer(
                                "canada",
                                "We don't ship to Canada yet.",
                                "Do you ship to Canada?",
                                "can I order from Canada"),
                        TrainingScenario.rule("tone", "Be friendly and concise.")),
                0.8);
        List<EventPayload> log = new ArrayList<>();
        Reply r = EmbeddedResponder.builder()
                .knowledge(fixed(List.of()))
                .scenarios(matcher)
                .build()
                .respond(request("do you ship to canada?", log));

        assertThat(r.text()).isEqualTo("We don't ship to Canada yet.");
        assertThat(r.confidence()).isGreaterThanOrEqualTo(0.75);
        assertThat(r.explanation()).contains("scenario 'canada'");
        assertThat(log).singleElement().isInstanceOfSatisfying(ScenarioMatched.class, m -> assertThat(m.similarity())
                .isGreaterThan(0.8));
        assertThat(matcher.rules()).extracting(TrainingScenario::id).containsExactly("tone");
    }

    @Test
    void a_question_below_the_scenario_threshold_falls_through_to_the_knowledge() {
        ScenarioMatcher matcher = new ScenarioMatcher(
                model,
                List.of(TrainingScenario.exactAnswer(
                        "canada", "We don't ship to Canada yet.", "Do you ship to Canada?")),
                0.8);
        List<EventPayload> log = new ArrayList<>();
        List<ScoredPassage> hits = List.of(
                hit(
                        "returns",
                        "Our return policy",
                        "You have 30 days to return any item. Returns are free.",
                        1.0,
                        0.82),
                hit("shipping", "Shipping costs", "Standard shipping costs 4.95.", 0.3, 0.35));
        Reply r = EmbeddedResponder.builder()
                .knowledge(fixed(hits))
                .scenarios(matcher)
                .build()
                .respond(request("how many days do I have to return an item?", log));

        assertThat(r.text()).contains("30 days");
        assertThat(r.citations()).extracting(c -> c.url()).containsExactly("https://shop.example/returns");
        assertThat(r.confidence()).isGreaterThan(0.5);
        assertThat(log).hasSize(1).first().isInstanceOfSatisfying(KnowledgeRetrieved.class, k -> assertThat(
                        k.passages())
                .extracting(KnowledgeRetrieved.Hit::documentId)
                .containsExactly("returns", "shipping"));
    }

    @Test
    void weak_or_missing_knowledge_asks_for_a_human_instead_of_guessing() {
        List<EventPayload> log = new ArrayList<>();
        Reply none = EmbeddedResponder.builder()
                .knowledge(fixed(List.of()))
                .build()
                .respond(request("do you sell kayaks?", log));
        assertThat(none.asksForHuman()).isTrue();
        assertThat(none.handoff()).isEqualTo(HandoffReason.MISSING_KNOWLEDGE);
        assertThat(none.text()).isEmpty();

        Reply weak = EmbeddedResponder.builder()
                .knowledge(fixed(List.of(
                        hit("care", "Caring for your gear", "Wash jackets at 30 degrees.", 1.0, 0.21),
                        hit("repairs", "Repairs", "We repair zips.", 0.95, 0.20))))
                .build()
                .respond(request("do you sell kayaks for kids?", log));
        assertThat(weak.confidence()).isLessThan(0.1);
    }

    @Test
    void the_confidence_model_rises_with_similarity_margin_and_coverage() {
        EmbeddedResponder.ConfidenceModel m = EmbeddedResponder.ConfidenceModel.defaults();
        assertThat(m.of(new double[] {0.9, 0.3, 0.5, 1})).isGreaterThan(m.of(new double[] {0.6, 0.3, 0.5, 1}));
        assertThat(m.of(new double[] {0.7, 0.3, 0.5, 1})).isGreaterThanOrEqualTo(m.of(new double[] {0.7, 0.0, 0.5, 1}));
        double[] f = EmbeddedResponder.ConfidenceModel.features(
                "return policy days",
                List.of(hit("a", "Return policy", "You have 30 days.", 1.0, 0.8), hit("b", "Other", "x", 0.5, 0.6)));
        assertThat(f[0]).isEqualTo(0.8);
        assertThat(f[1]).isEqualTo(0.8 - 0.6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(f[2]).isEqualTo(0.5);
        assertThat(f[3]).isEqualTo(1.0);
    }

    @Test
    void the_extract_keeps_the_sentences_that_answer_and_never_exceeds_the_limit() {
        String passage = "Welcome to our help center. We love outdoor gear. Refunds are issued within 5 business days "
                + "after your return arrives. The money goes back to your original payment method. "
                + "Our stores are open from 10 to 7. Gift cards never expire. " + "Filler sentence. ".repeat(30);
        String extract = EmbeddedResponder.extract(passage, "how long does a refund take?", 200);
        assertThat(extract)
                .startsWith("Refunds are issued within 5 business days")
                .hasSizeLessThanOrEqualTo(200);
        assertThat(EmbeddedResponder.extract("Short answer.", "anything", 200)).isEqualTo("Short answer.");
    }

    @Test
    void the_builder_fails_fast_on_bad_settings() {
        assertThatThrownBy(() -> EmbeddedResponder.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("knowledge");
        assertThatThrownBy(() -> EmbeddedResponder.builder().maxPassages(0)).hasMessageContaining("was 0");
        assertThatThrownBy(() -> EmbeddedResponder.builder().maxExtractChars(10))
                .hasMessageContaining("was 10");
    }
}
