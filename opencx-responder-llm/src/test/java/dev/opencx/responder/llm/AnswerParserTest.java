package dev.opencx.responder.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.handoff.HandoffReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnswerParserTest {

    @Test
    void reads_the_json_object_alone() {
        LlmAnswer a = AnswerParser.parse(
                "{\"answer\":\"Hi\",\"citations\":[\"a#0\",\"b#1\"],\"confidence\":0.8,\"needs_human\":false,\"handoff_reason\":\"none\"}");
        assertThat(a.format()).isEqualTo(LlmAnswer.Format.JSON);
        assertThat(a.answer()).isEqualTo("Hi");
        assertThat(a.citations()).containsExactly("a#0", "b#1");
        assertThat(a.confidence()).isEqualTo(0.8);
        assertThat(a.needsHuman()).isFalse();
        assertThat(a.handoffCategory()).isEmpty();
    }

    @Test
    void reads_json_in_a_code_fence() {
        LlmAnswer a = AnswerParser.parse("```json\n{\"answer\": \"Hi\", \"confidence\": 0.7}\n```");
        assertThat(a.format()).isEqualTo(LlmAnswer.Format.FENCED_JSON);
        assertThat(a.answer()).isEqualTo("Hi");
    }

    @Test
    void reads_json_with_prose_around_and_braces_inside_strings() {
        LlmAnswer a = AnswerParser.parse(
                "Sure {not json}. Here: {\"answer\": \"Use code {SAVE10}\", \"confidence\": \"85%\"} Hope it helps");
        assertThat(a.format()).isEqualTo(LlmAnswer.Format.EMBEDDED_JSON);
        assertThat(a.answer()).isEqualTo("Use code {SAVE10}");
        assertThat(a.confidence()).isEqualTo(0.85);
    }

    @Test
    void plain_text_without_json_is_a_plain_answer() {
        LlmAnswer a = AnswerParser.parse("  Returns are free within 30 days.  ");
        assertThat(a.format()).isEqualTo(LlmAnswer.Format.PLAIN);
        assertThat(a.answer()).isEqualTo("Returns are free within 30 days.");
        assertThat(a.confidence()).isNull();
    }

    @Test
    void a_json_object_without_answer_fields_is_plain_text() {
        LlmAnswer a = AnswerParser.parse("{\"foo\": 1}");
        assertThat(a.format()).isEqualTo(LlmAnswer.Format.PLAIN);
        assertThat(a.answer()).isEqualTo("{\"foo\": 1}");
    }

    @Test
    void a_handoff_reason_without_needs_human_still_asks_for_a_human() {
        LlmAnswer a = AnswerParser.parse("{\"answer\": \"\", \"handoff_reason\": \"Missing tools\"}");
        assertThat(a.needsHuman()).isTrue();
        assertThat(a.handoffCategory()).isEqualTo("missing_tools");
        assertThat(AnswerParser.reason(a.handoffCategory())).isEqualTo(HandoffReason.MISSING_ACTION);
    }

    @Test
    void tolerates_loose_values() {
        LlmAnswer a =
                AnswerParser.parse("{'answer': 'Hi', 'citations': 'a#0, b#1', 'confidence': 90, 'needs_human': 'no',}");
        assertThat(a.citations()).containsExactly("a#0", "b#1");
        assertThat(a.confidence()).isEqualTo(0.9);
        assertThat(a.needsHuman()).isFalse();
        assertThat(AnswerParser.parse("{\"answer\": \"x\", \"confidence\": \"high\"}")
                        .confidence())
                .isNull();
    }

    @Test
    void maps_every_category_and_synonyms_onto_handoff_reasons() {
        assertThat(
                        List.of(
                                        "missing_knowledge",
                                        "missing tools",
                                        "Unclear",
                                        "human_request",
                                        "prohibited",
                                        "whatever")
                                .stream()
                                .map(c -> AnswerParser.reason(AnswerParser.category(c)))
                                .toList())
                .containsExactly(
                        HandoffReason.MISSING_KNOWLEDGE,
                        HandoffReason.MISSING_ACTION,
                        HandoffReason.UNCLEAR_REQUEST,
                        HandoffReason.EXPLICIT_REQUEST,
                        HandoffReason.PROHIBITED_TOPIC,
                        HandoffReason.LOW_CONFIDENCE);
    }
}
