package dev.opencx.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.opencx.OpenCx;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.AutopilotPolicy.GateAction;
import dev.opencx.autopilot.LabeledText;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Identity;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.TopicClassified;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.TrainingScenario;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The snippets of the README's "Tuning autopilot topics" section, compiled and run. Keep them in
 * sync: a snippet changed in the README is changed here too.
 */
class TopicDocsTest {

    /** MiniLM, counting how often each text is embedded. */
    static final class CountingModel implements EmbeddingModel {
        final EmbeddingModel delegate = new AllMiniLmL6V2QuantizedEmbeddingModel();
        final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(s ->
                    counts.computeIfAbsent(s.text(), k -> new AtomicInteger()).incrementAndGet());
            return delegate.embedAll(segments);
        }
    }

    // README.md, "Tuning autopilot topics"
    static final List<Topic> TOPICS = List.of(
            new Topic(
                    "returns",
                    "Returning items, return labels, exchanges and refunds",
                    List.of(
                            "how do I return these shoes",
                            "when do I get my money back",
                            "the jacket doesn't fit, can I exchange it")),
            new Topic(
                    "shipping",
                    "Delivery times and costs, tracking, late or lost parcels",
                    List.of("where is my parcel", "how long does delivery take", "do you ship to Canada")),
            new Topic(
                    "legal",
                    "Lawyers, lawsuits, chargebacks and formal complaints",
                    List.of("I will contact my lawyer", "I opened a chargeback with my bank", "see you in court")));

    static final List<LabeledText> VALIDATION = List.of(
            new LabeledText("my parcel is a week late", "shipping"),
            new LabeledText("can I get a refund for the boots", "returns"),
            new LabeledText("my solicitor will be in touch", "legal"),
            LabeledText.outOfScope("what's the weather tomorrow"),
            LabeledText.outOfScope("write me a poem about autumn"));

    @Test
    void trained_topics_in_the_builder_embed_each_message_once() {
        CountingModel embeddings = new CountingModel();
        ApiChannel api = ApiChannel.create();
        // README.md, "Tuning autopilot topics"
        OpenCx cx = OpenCx.builder()
                .channel(api)
                .knowledge(new InMemoryKnowledgeStore())
                .embeddingModel(embeddings) // shared: a message is embedded once per turn
                .scenarios(List.of(TrainingScenario.exactAnswer(
                        "canada", "We don't ship to Canada yet.", "Do you ship to Canada?")))
                .topicClassifierFactory(model -> TrainedTopicClassifier.builder(model)
                        .addTopics(TOPICS)
                        .build()
                        .fitThreshold(VALIDATION))
                .autopilot(AutopilotPolicy.builder()
                        .topicGate("legal", GateAction.HANDOFF)
                        .build())
                .build();
        try (cx) {
            ReceiveReceipt r = api.receive(Identity.email("ana@example.com"), "my lawyer will hear about this")
                    .join();
            assertThat(cx.awaitIdle(Duration.ofSeconds(20))).isTrue();
            TopicClassified topic = cx.events(r.sessionId()).stream()
                    .map(SessionEvent::payload)
                    .filter(TopicClassified.class::isInstance)
                    .map(TopicClassified.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertThat(topic.topic()).isEqualTo("legal");
            assertThat(topic.method()).startsWith("trained(");
            assertThat(embeddings.counts.get("my lawyer will hear about this").get())
                    .isEqualTo(1);
        }
    }

    @Test
    void an_llm_decides_the_grey_zone() {
        EmbeddingModel embeddingModel = new AllMiniLmL6V2QuantizedEmbeddingModel();
        LlmTopicClassifierTest.ScriptedChatModel scripted = new LlmTopicClassifierTest.ScriptedChatModel("none");
        ChatModel chatModel = scripted;
        // README.md, "Tuning autopilot topics"
        TopicClassifier topics = CombinedTopicClassifier.builder(
                        TrainedTopicClassifier.builder(embeddingModel)
                                .addTopics(TOPICS)
                                .build(),
                        LlmTopicClassifier.builder(chatModel).addTopics(TOPICS).build())
                .confidentAbove(0.8) // the trained classifier alone from a probability of 0.8...
                .minMargin(0.3) // ...with a lead of 0.3 over the runner-up
                .build();

        TopicClassification sure = topics.classify("where is my parcel, it's late");
        assertThat(sure.topic()).as(sure.explain()).isEqualTo("shipping");
        assertThat(scripted.requests).isEmpty();
        TopicClassification grey = topics.classify("is it too late to cancel?");
        assertThat(grey.method()).as(grey.explain()).contains("grey zone");
        assertThat(grey.isNone()).isTrue();
        assertThat(scripted.requests).hasSize(1);
    }
}
