package dev.opencx.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.message.SystemMessage;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicClassifier;
import dev.opencx.autopilot.TopicScore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CombinedTopicClassifierTest {

    /** A fast classifier with fixed scores per message: the first topic is chosen unless below 0.3. */
    static TopicClassifier fast(Map<String, List<TopicScore>> byText) {
        return text -> {
            List<TopicScore> scores = byText.getOrDefault(text, List.of());
            if (scores.isEmpty() || scores.get(0).score() < 0.3) {
                return TopicClassification.none(scores, 0.3, "fake");
            }
            return new TopicClassification(scores.get(0).topic(), scores, 0.3, "fake");
        };
    }

    static final Map<String, List<TopicScore>> SCORES = Map.of(
            "sure",
                    List.of(
                            new TopicScore("billing", 0.95),
                            new TopicScore("returns", 0.03),
                            new TopicScore("account", 0.02)),
            "close",
                    List.of(
                            new TopicScore("billing", 0.48),
                            new TopicScore("returns", 0.45),
                            new TopicScore("account", 0.07)),
            "weak",
                    List.of(
                            new TopicScore("returns", 0.25),
                            new TopicScore("billing", 0.2),
                            new TopicScore("account", 0.2)),
            "hopeless", List.of(new TopicScore("returns", 0.02), new TopicScore("billing", 0.01)));

    static CombinedTopicClassifier combined(LlmTopicClassifierTest.ScriptedChatModel model, int candidates) {
        return CombinedTopicClassifier.builder(
                        fast(SCORES),
                        LlmTopicClassifier.builder(model)
                                .addTopics(LlmTopicClassifierTest.TOPICS)
                                .addTopic(Topic.of("account", "my login fails"))
                                .build())
                .candidates(candidates)
                .build();
    }

    @Test
    void confident_fast_verdicts_do_not_ask_the_llm() {
        var model = new LlmTopicClassifierTest.ScriptedChatModel();
        TopicClassification c = combined(model, 5).classify("sure");
        assertThat(c.topic()).isEqualTo("billing");
        assertThat(c.method()).contains("combined: confident");
        assertThat(model.requests).isEmpty();
    }

    @Test
    void very_low_scores_are_none_without_asking() {
        var model = new LlmTopicClassifierTest.ScriptedChatModel();
        TopicClassification c = combined(model, 5).classify("hopeless");
        assertThat(c.isNone()).isTrue();
        assertThat(model.requests).isEmpty();
    }

    @Test
    void close_topics_are_decided_by_the_llm_among_the_best_candidates() {
        var model = new LlmTopicClassifierTest.ScriptedChatModel("returns");
        TopicClassification c = combined(model, 2).classify("close");
        assertThat(c.topic()).isEqualTo("returns");
        assertThat(c.scores()).isEqualTo(SCORES.get("close")); // the fast scores, for inspection
        assertThat(c.method()).contains("grey zone").contains("fast: billing");
        assertThat(model.requests).hasSize(1);
        String prompt = ((SystemMessage) model.requests.get(0).get(0)).text();
        assertThat(prompt).contains("- billing:").contains("- returns:").doesNotContain("- account");
    }

    @Test
    void the_llm_can_overrule_a_weak_verdict_with_none_and_a_none_verdict_with_a_topic() {
        var model = new LlmTopicClassifierTest.ScriptedChatModel("none", "returns");
        CombinedTopicClassifier c = combined(model, 3);
        assertThat(c.classify("close").isNone()).isTrue();
        assertThat(c.classify("weak").topic()).isEqualTo("returns"); // the fast one said none
        assertThat(model.requests).hasSize(2);
    }

    @Test
    void a_failing_llm_leaves_the_fast_verdict() {
        var model = new LlmTopicClassifierTest.ScriptedChatModel(); // throws: nothing scripted
        TopicClassification c = combined(model, 5).classify("close");
        assertThat(c.topic()).isEqualTo("billing");
        assertThat(c.method()).contains("LLM failed");
    }

    @Test
    void bad_settings_fail_with_the_value() {
        var model = new LlmTopicClassifierTest.ScriptedChatModel();
        LlmTopicClassifier llm = LlmTopicClassifier.builder(model)
                .addTopics(LlmTopicClassifierTest.TOPICS)
                .build();
        assertThatThrownBy(
                        () -> CombinedTopicClassifier.builder(fast(SCORES), llm).confidentAbove(1.2))
                .hasMessageContaining("1.2");
        assertThatThrownBy(() -> CombinedTopicClassifier.builder(fast(SCORES), llm)
                        .confidentAbove(0.3)
                        .noneBelow(0.4)
                        .build())
                .hasMessageContaining("0.4");
        assertThatThrownBy(
                        () -> CombinedTopicClassifier.builder(fast(SCORES), llm).candidates(0))
                .hasMessageContaining("0");
    }
}
