package dev.opencx.autopilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Runs against the real in-process MiniLM model (one instance for the class, ~2 s to load). */
class EmbeddingTopicClassifierTest {

    static final List<Topic> STORE_TOPICS = List.of(
            new Topic(
                    "orders",
                    "Orders, shipping, delivery and tracking of parcels",
                    List.of(
                            "where is my order",
                            "my package has not arrived yet",
                            "how long does shipping take",
                            "can I track my parcel",
                            "can I change the delivery address of my order")),
            new Topic(
                    "returns",
                    "Returning items, exchanges and refunds",
                    List.of(
                            "how do I return an item",
                            "I want a refund",
                            "can I exchange these shoes for a bigger size",
                            "when will I get my money back",
                            "the product arrived broken and I want to send it back")),
            new Topic(
                    "account",
                    "Customer account, login, password and profile",
                    List.of(
                            "I forgot my password",
                            "I can't log in to my account",
                            "how do I change my email address",
                            "how do I delete my account",
                            "I did not receive the verification code")),
            new Topic(
                    "billing",
                    "Billing, payments, invoices and charges",
                    List.of(
                            "I was charged twice",
                            "my card was declined",
                            "can I pay with PayPal",
                            "where can I download my invoice",
                            "why is there an extra fee on my bill")));

    static EmbeddingModel model;
    static EmbeddingTopicClassifier classifier;

    @BeforeAll
    static void loadModel() {
        model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        classifier =
                EmbeddingTopicClassifier.builder(model).addTopics(STORE_TOPICS).build();
    }

    @ParameterizedTest(name = "[{index}] {1} -> {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "orders   | my parcel still hasn't been delivered",
                "orders   | when will my order arrive?",
                "orders   | what's the tracking number for my shipment",
                "orders   | do you ship to Canada?",
                "orders   | the courier says the package was delivered but I don't have it",
                "returns  | I'd like to send this jacket back",
                "returns  | how long does a refund take",
                "returns  | can I exchange it for another size",
                "returns  | what is your return policy",
                "account  | reset my password please",
                "account  | I'm locked out of my account",
                "account  | how can I update my profile",
                "account  | the login page keeps saying wrong password",
                "billing  | you charged my credit card two times",
                "billing  | do you accept Apple Pay",
                "billing  | I need a copy of my invoice",
                "billing  | my payment failed",
            })
    void classifies_store_support_questions(String expected, String text) {
        TopicClassification c = classifier.classify(text);
        assertThat(c.topic()).as(c.explain()).isEqualTo(expected);
        assertThat(c.isNone()).isFalse();
        assertThat(c.best()).hasValueSatisfying(b -> assertThat(b.topic()).isEqualTo(expected));
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "what's the weather in Paris",
                "write me a poem",
                "who won the football match yesterday",
                "tell me a joke",
                "what is the capital of Australia",
                "explain quantum physics",
                "recommend a good movie",
                "how do I bake sourdough bread",
                "translate hello into Japanese",
                "asdfghjkl",
            })
    void returns_none_for_out_of_scope_text(String text) {
        TopicClassification c = classifier.classify(text);
        assertThat(c.isNone()).as(c.explain()).isTrue();
        assertThat(c.topic()).isEmpty();
        assertThat(c.scores()).hasSize(4);
    }

    @Test
    void returns_none_when_the_two_best_topics_are_weak_and_close() {
        // MiniLM puts "my payment failed" at about 0.49 for billing and 0.48 for returns
        EmbeddingTopicClassifier cautious = EmbeddingTopicClassifier.builder(model)
                .addTopics(STORE_TOPICS)
                .threshold(0.42)
                .minMargin(0.05)
                .build();

        TopicClassification c = cautious.classify("my payment failed");

        assertThat(c.isNone()).as(c.explain()).isTrue();
        assertThat(c.best()).hasValueSatisfying(b -> assertThat(b.score()).isGreaterThan(0.42));
        assertThat(c.method()).contains("ambiguous");
    }

    @Test
    void scores_are_best_first_and_explained() {
        TopicClassification c = classifier.classify("I was charged twice for my order");

        assertThat(c.scores()).extracting(TopicScore::score).isSortedAccordingTo((a, b) -> Double.compare(b, a));
        assertThat(c.scores()).allSatisfy(s -> assertThat(s.score()).isBetween(0.0, 1.0));
        assertThat(c.explain()).contains("topic '" + c.topic() + "'", "billing=", "orders=", "threshold");
        assertThat(c.method()).startsWith("embedding(");
        assertThat(c.toEvent().topic()).isEqualTo(c.topic());
    }

    @Test
    void blank_text_is_none_without_calling_the_model() {
        TopicClassification c = classifier.classify("   ");

        assertThat(c.isNone()).isTrue();
        assertThat(c.best()).isEmpty();
    }

    @Test
    void threshold_is_settable() {
        EmbeddingTopicClassifier strict = EmbeddingTopicClassifier.builder(model)
                .addTopics(STORE_TOPICS)
                .threshold(0.99)
                .build();

        TopicClassification c = strict.classify("where is my order");
        assertThat(c.isNone()).isTrue();
        assertThat(c.threshold()).isEqualTo(0.99);
    }

    @Test
    void embeds_topics_once_in_one_batch_and_caches_repeated_texts() {
        CountingModel counting = new CountingModel(model);
        EmbeddingTopicClassifier cached = EmbeddingTopicClassifier.builder(counting)
                .addTopics(STORE_TOPICS)
                .cacheSize(2)
                .build();
        assertThat(counting.batches.get()).isEqualTo(1);

        cached.classify("where is my order");
        cached.classify("where is my order");
        assertThat(counting.single.get()).isEqualTo(1);

        cached.classify("a");
        cached.classify("b");
        cached.classify("where is my order"); // evicted by the two above
        assertThat(counting.single.get()).isEqualTo(4);
    }

    @Test
    void is_safe_to_share_between_threads() throws Exception {
        EmbeddingTopicClassifier shared = EmbeddingTopicClassifier.builder(model)
                .addTopics(STORE_TOPICS)
                .cacheSize(4)
                .build();
        List<String> texts = List.of("where is my order", "I forgot my password", "my card was declined");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                String t = texts.get(i % texts.size());
                results.add(pool.submit(() -> shared.classify(t).topic()));
            }
            var byText = new ConcurrentHashMap<String, String>();
            for (int i = 0; i < results.size(); i++) {
                String topic = results.get(i).get();
                assertThat(byText.putIfAbsent(texts.get(i % texts.size()), topic))
                        .isIn(null, topic);
            }
            assertThat(byText).containsValues("orders", "account", "billing");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void builder_fails_fast_naming_the_bad_value() {
        var builder = EmbeddingTopicClassifier.builder(model);
        assertThatThrownBy(() -> builder.threshold(1.2)).hasMessageContaining("1.2");
        assertThatThrownBy(() -> builder.topK(0)).hasMessageContaining("topK").hasMessageContaining("0");
        assertThatThrownBy(() -> builder.exampleWeight(-0.1)).hasMessageContaining("-0.1");
        assertThatThrownBy(() -> builder.minMargin(0.9)).hasMessageContaining("0.9");
        assertThatThrownBy(() -> builder.cacheSize(-5)).hasMessageContaining("-5");
        assertThatThrownBy(builder::build)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no topics");
        builder.addTopic(Topic.of("orders", "where is my order"));
        assertThatThrownBy(() -> builder.addTopic(Topic.of("orders", "track my parcel")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'orders'");
        assertThatThrownBy(() -> EmbeddingTopicClassifier.builder(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void topic_validates_its_fields() {
        assertThatThrownBy(() -> new Topic(" ", "d", List.of())).hasMessageContaining("blank");
        assertThatThrownBy(() -> new Topic("x", "", List.of()))
                .hasMessageContaining("'x'")
                .hasMessageContaining("description or at least one example");
        assertThatThrownBy(() -> new Topic("x", null, List.of("ok", " "))).hasMessageContaining("example 1");
        assertThat(new Topic(" billing ", null, List.of("invoice")).name()).isEqualTo("billing");
        assertThat(new Topic("billing", "Payments", null).examples()).isEmpty();
    }

    @Test
    void classification_normalizes_and_explains_none() {
        TopicClassification none =
                TopicClassification.none(List.of(new TopicScore("a", 0.1), new TopicScore("b", 0.3)), 0.5, "test");

        assertThat(none.isNone()).isTrue();
        assertThat(none.best()).hasValue(new TopicScore("b", 0.3));
        assertThat(none.explain()).startsWith("no topic (best 'b' 0.300, threshold 0.50)");
        assertThat(new TopicClassification(null, null, 0.5, null).scores()).isEmpty();
    }

    /** Counts calls, delegating to a real model. */
    static final class CountingModel implements EmbeddingModel {
        final EmbeddingModel delegate;
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger single = new AtomicInteger();

        CountingModel(EmbeddingModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            if (segments.size() == 1) {
                single.incrementAndGet();
            } else {
                batches.incrementAndGet();
            }
            return delegate.embedAll(segments);
        }
    }
}
