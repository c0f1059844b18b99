package dev.opencx.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.ConfirmationDetector.Answer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pieces of the confirmation and embedded paths: yes/no, reply templates, slot filling. */
class ConfirmationAndSlotsTest {
    private final ConfirmationDetector detector = new RuleBasedConfirmationDetector();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yes",
                "Yes please!",
                "yep",
                "Sure, go ahead.",
                "ok",
                "OK thanks",
                "confirm",
                "I confirm",
                "do it",
                "no problem, go ahead",
                "Yes, that's right",
                "sí",
                "Oui",
                "ja bitte",
                "\ud83d\udc4d",
                "absolutely"
            })
    void explicit_yes(String text) {
        assertThat(detector.detect(text, "en").answer()).isEqualTo(Answer.YES);
    }

    @ParameterizedTest
    @ValueSource(strings = {"no", "No, don't.", "nope", "cancel", "not now", "never mind", "wait", "nein", "não"})
    void plain_no(String text) {
        ConfirmationDetector.Result r = detector.detect(text, "en");
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.more()).isFalse();
    }

    @Test
    void a_no_wins_over_a_yes_and_says_whether_there_is_more() {
        assertThat(detector.detect("yes... no wait", "en").answer()).isEqualTo(Answer.NO);
        ConfirmationDetector.Result r = detector.detect("no, I want a human", "en");
        assertThat(r.answer()).isEqualTo(Answer.NO);
        assertThat(r.more()).isTrue();
        assertThat(r.cue()).isEqualTo("no");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "yes but to my other address",
                "ok what about order 77",
                "not ok",
                "I'm not sure",
                "what's the fee?",
                ""
            })
    void anything_else_is_not_a_confirmation(String text) {
        assertThat(detector.detect(text, "en").answer()).isIn(Answer.OTHER, Answer.NO);
        assertThat(detector.detect(text, "en").answer()).isNotEqualTo(Answer.YES);
    }

    @Test
    void reply_templates_fill_arguments_and_response_fields() throws Exception {
        ReplyTemplate t = ReplyTemplate.parse("Order {order_id} is {/status}; ETA {/shipping/eta}. {{literal}}");
        ObjectNode args = JsonNodeFactory.instance.objectNode().put("order_id", "1042");
        var response = new ObjectMapper().readTree("{\"status\":\"shipped\",\"shipping\":{\"eta\":\"Monday\"}}");
        assertThat(t.render(args, response)).hasValue("Order 1042 is shipped; ETA Monday. {literal}");
        assertThat(t.render(args, new ObjectMapper().readTree("{\"status\":\"shipped\"}")))
                .as("a missing value gives no sentence with a hole")
                .isEmpty();
        assertThat(t.argumentNames()).containsExactly("order_id");
    }

    @Test
    void malformed_templates_and_unknown_arguments_fail_fast() {
        assertThatThrownBy(() -> ReplyTemplate.parse("Order {order_id"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unclosed");
        assertThatThrownBy(() -> ReplyTemplate.parse("a } b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'}}'");
        assertThatThrownBy(() -> Action.builder("get_order")
                        .get("/orders/{id}")
                        .pathParam("id", "The order")
                        .replyTemplate("Order {order_id}")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{order_id}")
                .hasMessageContaining("[id]");
    }

    private static Action order() {
        return Action.builder("update_order")
                .post("/orders/{order_id}")
                .pathParam("order_id", "The order number")
                .bodyProperty("quantity", JsonSchemas.integer(), false, "How many")
                .bodyProperty("email", JsonSchemas.string("email"), false, "Contact e-mail")
                .bodyProperty("deliver_on", JsonSchemas.string("date"), false, "Delivery date")
                .bodyProperty("speed", JsonSchemas.enumOf("standard", "next_day"), false, "Shipping speed")
                .bodyProperty("note", JsonSchemas.string(), false, "A note for the courier")
                .build();
    }

    @Test
    void slots_are_filled_by_type_and_by_the_nearest_mention() {
        ObjectNode v = SlotExtractor.extract(
                order(),
                List.of("order_id", "quantity", "email", "deliver_on", "speed", "note"),
                "Change order #1042 to quantity 3, next day delivery on 2026-12-01, mail [EMAIL_1]",
                false);
        assertThat(v.path("order_id").asText()).isEqualTo("1042");
        assertThat(v.path("quantity").asInt()).isEqualTo(3);
        assertThat(v.path("email").asText()).isEqualTo("[EMAIL_1]");
        assertThat(v.path("deliver_on").asText()).isEqualTo("2026-12-01");
        assertThat(v.path("speed").asText()).isEqualTo("next_day");
        assertThat(v.has("note"))
                .as("free text is only taken as the answer to its own question")
                .isFalse();
    }

    @Test
    void free_text_is_the_whole_answer_to_its_question_and_placeholders_are_not_numbers() {
        assertThat(SlotExtractor.extract(order(), List.of("note"), "Leave it with the neighbour", true)
                        .path("note")
                        .asText())
                .isEqualTo("Leave it with the neighbour");
        assertThat(SlotExtractor.extract(order(), List.of("quantity"), "call me on [PHONE_1]", true)
                        .has("quantity"))
                .isFalse();
        assertThat(SlotExtractor.extract(order(), List.of("order_id"), "it's A-77 I think", true)
                        .path("order_id")
                        .asText())
                .isEqualTo("A-77");
    }
}
