package dev.opencx.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.opencx.autopilot.LabeledText;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicScore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Few-shot store topics on the real in-process MiniLM model (one instance for the class). */
class TrainedTopicClassifierTest {

    static EmbeddingModel model;
    static TrainedTopicClassifier classifier;

    @BeforeAll
    static void train() {
        model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        classifier =
                TrainedTopicClassifier.builder(model).addTopics(StoreTopics.ALL).build();
    }

    /** Remembers every text it embeds, so a test can see what was read when. */
    static final class RecordingModel implements EmbeddingModel {
        final List<String> embedded = Collections.synchronizedList(new ArrayList<>());

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(s -> embedded.add(s.text()));
            return model.embedAll(segments);
        }
    }

    @ParameterizedTest(name = "[{index}] {1} -> {0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "orders   | my parcel still hasn't been delivered",
                "orders   | when will my order arrive?",
                "orders   | what's the tracking number for my shipment",
                "returns  | I'd like to send this jacket back",
                "returns  | how long does a refund take",
                "returns  | can I exchange it for another size",
                "account  | reset my password please",
                "account  | I'm locked out of my account",
                "billing  | you charged my credit card two times",
                "billing  | do you accept Apple Pay",
                "billing  | I need a copy of my invoice",
            })
    void classifies_few_shot_store_questions(String expected, String text) {
        TopicClassification c = classifier.classify(text);
        assertThat(c.topic()).as(c.explain()).isEqualTo(expected);
        assertThat(c.method()).startsWith("trained(");
        assertThat(c.scores()).hasSize(4);
        assertThat(c.scores().stream().mapToDouble(TopicScore::score).sum())
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "what's the weather like in Paris tomorrow",
                "write me a poem about the sea",
                "who won the football match yesterday",
                "what is the capital of Australia"
            })
    void says_none_for_out_of_scope_messages(String text) {
        TopicClassification c = classifier.classify(text);
        assertThat(c.isNone()).as(c.explain()).isTrue();
        assertThat(c.scores()).hasSize(4); // kept for inspection
    }

    @Test
    void blank_text_is_none_without_embedding() {
        RecordingModel recording = new RecordingModel();
        TrainedTopicClassifier c = TrainedTopicClassifier.builder(recording)
                .addTopics(StoreTopics.ALL)
                .build();
        int before = recording.embedded.size();
        assertThat(c.classify("  ").isNone()).isTrue();
        assertThat(recording.embedded).hasSize(before);
    }

    @Test
    void training_is_deterministic_for_a_seed() {
        TrainedTopicClassifier again =
                TrainedTopicClassifier.builder(model).addTopics(StoreTopics.ALL).build();
        for (String text : List.of("my payment failed", "where is my stuff", "I want my money back", "hello")) {
            assertThat(again.classify(text).scores())
                    .as(text)
                    .isEqualTo(classifier.classify(text).scores());
        }
        TrainedTopicClassifier otherSeed = TrainedTopicClassifier.builder(model)
                .addTopics(StoreTopics.ALL)
                .seed(7)
                .build();
        assertThat(otherSeed.classify("my payment failed").topic()).isEqualTo("billing");
    }

    @Test
    void threshold_fitting_reads_the_validation_messages_only_and_leaves_the_classifier_unchanged() {
        RecordingModel recording = new RecordingModel();
        TrainedTopicClassifier base = TrainedTopicClassifier.builder(recording)
                .addTopics(StoreTopics.ALL)
                .build();
        recording.embedded.clear();
        List<LabeledText> validation = List.of(
                new LabeledText("where's my package", "orders"),
                new LabeledText("I need to send the boots back", "returns"),
                new LabeledText("password reset link does not work", "account"),
                new LabeledText("the card payment was refused", "billing"),
                LabeledText.outOfScope("tell me a joke"),
                LabeledText.outOfScope("how tall is the Eiffel tower"));
        TrainedTopicClassifier fitted = base.fitThreshold(validation);

        assertThat(recording.embedded)
                .containsExactlyInAnyOrderElementsOf(
                        validation.stream().map(LabeledText::text).toList());
        assertThat(base.threshold()).isEqualTo(TrainedTopicClassifier.DEFAULT_THRESHOLD);
        assertThat(base.temperature()).isEqualTo(1.0);
        assertThat(fitted.temperature()).isPositive();
        for (LabeledText t : validation) {
            assertThat(fitted.classify(t.text()).topic()).as(t.text()).isEqualTo(t.topic());
        }
    }

    @Test
    void threshold_fitting_without_out_of_scope_messages_keeps_nearly_every_right_answer() {
        List<LabeledText> validation = List.of(
                new LabeledText("where's my package", "orders"),
                new LabeledText("is my order on its way", "orders"),
                new LabeledText("I need to send the boots back", "returns"),
                new LabeledText("password reset link does not work", "account"),
                new LabeledText("the card payment was refused", "billing"));
        TrainedTopicClassifier fitted = classifier.fitThreshold(validation);
        assertThat(fitted.minMargin()).isZero();
        assertThat(fitted.minSimilarity()).isZero();
        for (LabeledText t : validation) {
            assertThat(fitted.classify(t.text()).topic()).as(t.text()).isEqualTo(t.topic());
        }
    }

    @Test
    void out_of_scope_validation_messages_that_look_in_scope_raise_the_bar() {
        // "out of scope" messages resembling billing: the fitted decision must reject them
        List<LabeledText> validation = List.of(
                new LabeledText("where's my package", "orders"),
                new LabeledText("I need to send the boots back", "returns"),
                new LabeledText("password reset link does not work", "account"),
                new LabeledText("I was charged twice for one order", "billing"),
                LabeledText.outOfScope("what is the exchange rate of the euro"),
                LabeledText.outOfScope("should I invest in stocks or bonds"));
        TrainedTopicClassifier fitted = classifier.fitThreshold(validation);
        assertThat(fitted.classify("what is the exchange rate of the euro").isNone())
                .isTrue();
        assertThat(fitted.classify("I was charged twice for one order").topic()).isEqualTo("billing");
    }

    @Test
    void out_of_scope_examples_are_learned_as_a_hidden_class() {
        TrainedTopicClassifier withOos = TrainedTopicClassifier.builder(model)
                .addTopics(StoreTopics.ALL)
                .addOutOfScopeExamples(List.of(
                        "what's the weather like today",
                        "tell me a joke",
                        "who is the president of France",
                        "play some music",
                        "what time is it in Tokyo"))
                .threshold(0.01)
                .minSimilarity(0)
                .build();
        TopicClassification c = withOos.classify("what's the weather forecast for the weekend");
        assertThat(c.isNone()).as(c.explain()).isTrue();
        assertThat(c.method()).contains("out-of-scope examples are likelier");
        assertThat(c.scores())
                .extracting(TopicScore::topic)
                .containsExactlyInAnyOrder("orders", "returns", "account", "billing");
        assertThat(withOos.classify("I was charged twice").topic()).isEqualTo("billing");
        assertThatThrownBy(() -> TrainedTopicClassifier.builder(model).addOutOfScopeExamples(List.of(" ")))
                .hasMessageContaining("blank");
    }

    @Test
    void a_second_embedding_view_feeds_the_regression() {
        RecordingModel view = new RecordingModel();
        TrainedTopicClassifier twoViews = TrainedTopicClassifier.builder(model)
                .addTopics(StoreTopics.ALL)
                .addEmbeddingView(view)
                .build();
        assertThat(view.embedded).contains("I was charged twice", "I forgot my password"); // the examples
        TopicClassification c = twoViews.classify("you charged my credit card two times");
        assertThat(c.topic()).as(c.explain()).isEqualTo("billing");
        assertThat(view.embedded).contains("you charged my credit card two times");
        assertThat(c.scores())
                .isNotEqualTo(classifier
                        .classify("you charged my credit card two times")
                        .scores());
    }

    @Test
    void the_expected_out_of_scope_share_must_be_a_share() {
        List<LabeledText> validation = List.of(new LabeledText("where's my package", "orders"));
        assertThatThrownBy(() -> classifier.fitThreshold(validation, 1.0)).hasMessageContaining("1.0");
        assertThatThrownBy(() -> classifier.fitThreshold(validation, 0)).hasMessageContaining("0.0");
    }

    @Test
    void fixed_thresholds_decide_none() {
        TrainedTopicClassifier strict = classifier.withThresholds(0.99, 0, 0);
        TopicClassification c = strict.classify("my payment failed");
        assertThat(c.isNone()).as(c.explain()).isTrue();
        assertThat(c.best().orElseThrow().topic()).isEqualTo("billing");
        TrainedTopicClassifier picky = classifier.withThresholds(0, 0.999, 0);
        assertThat(picky.classify("my payment failed").method()).contains("ambiguous");
    }

    @Test
    void bad_settings_and_data_fail_with_the_value() {
        assertThatThrownBy(() -> TrainedTopicClassifier.builder(model).knnWeight(1.5))
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> TrainedTopicClassifier.builder(model).threshold(-0.1))
                .hasMessageContaining("-0.1");
        assertThatThrownBy(() -> TrainedTopicClassifier.builder(model).l2(2)).hasMessageContaining("2.0");
        assertThatThrownBy(() -> TrainedTopicClassifier.builder(model)
                        .addTopic(Topic.of("a", "x"))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("at least two topics but has 1");
        assertThatThrownBy(() -> classifier.fitThreshold(List.of(new LabeledText("hi", "weather"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown topic 'weather'");
        assertThatThrownBy(() -> classifier.fitThreshold(List.of(LabeledText.outOfScope("hi"))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no in-scope message");
    }
}
