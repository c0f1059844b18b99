package dev.opencx.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LexicalFrustrationDetectorTest {

    private static final FrustrationDetector DETECTOR =
            LexicalFrustrationDetector.builder().build();

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "this is ridiculous",
                "This is ridiculous!!!",
                "useless",
                "you are useless",
                "what a waste of time",
                "you're wasting my time",
                "I've asked three times already",
                "I have asked 3 times for a refund",
                "I told you twice",
                "it's still not working",
                "STILL NOT WORKING",
                "you're not helping",
                "you are not helpful at all",
                "terrible service",
                "cancel everything",
                "worst company ever",
                "this is unacceptable",
                "I'm fed up with this",
                "I am sick of waiting",
                "for the last time, where is my order",
                "this is so fucking annoying",
                "what the f*** is going on",
                "this is sh*t",
                "$#!% this app",
                "wtf",
                "I am really angry",
                "I'm so frustrated",
                "absolutely pathetic",
                "how many times do I have to explain this",
                "WHERE IS MY ORDER",
                "WHY IS THIS NOT WORKING",
                "seriously?!",
                "are you kidding me?!",
                "I already told you my order number",
                "no one is helping me",
                "this is a scam",
                "I want to speak to a lawyer, this is disgusting",
                "I'm sick and tired of this",
                "thanks for nothing",
                "this is a joke???",
                "estoy harto de esperar",
                "esto es ridículo",
                "una vergüenza de servicio",
            })
    void detects_frustration(String text) {
        Detection d = DETECTOR.detect(text, List.of());
        assertThat(d.detected()).as("%s -> %s", text, d).isTrue();
        assertThat(d.evidence()).isNotEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "not bad",
                "not bad at all, thanks",
                "no problem",
                "I'm not angry, just curious",
                "I'm not frustrated, I just want to know the status",
                "it is not that bad",
                "thanks, that works",
                "perfect, thank you!",
                "great, got it",
                "where is my order?",
                "how do I reset my password",
                "I want to return these shoes",
                "can you check my order status please",
                "my package hasn't arrived yet",
                "it does not work on my phone",
                "I need help with my FAQ page and the PDF invoice",
                "my DHL tracking number is ABC123",
                "Hello!",
                "Thanks!!",
                "what are your opening hours",
                "I would like to cancel my order",
                "could you send it again?",
                "is it possible to change the address?",
                "ok",
                "",
                "no worries, I'll wait",
                "that's not a problem for me",
                "awesome, that helps a lot",
                "I'm not upset at all",
                "no funciona la app en mi teléfono",
                "gracias, perfecto",
            })
    void ignores_calm_negated_and_polite_messages(String text) {
        Detection d = DETECTOR.detect(text, List.of());
        assertThat(d.detected()).as("%s -> %s", text, d).isFalse();
    }

    @Test
    void explains_which_cues_fired() {
        Detection d = DETECTOR.detect("This is RIDICULOUS, still not working!!!", List.of());

        assertThat(d.detected()).isTrue();
        assertThat(d.explanation()).contains("'ridiculous'", "'still not working'", "'!!!'", "CAPS");
        assertThat(d.evidence()).contains("'ridiculous'", "'still not working'", "'!!!'");
    }

    @Test
    void negation_cancels_cue_and_is_explained() {
        Detection d = DETECTOR.detect("I'm not angry, just curious", List.of());

        assertThat(d.score()).isZero();
        assertThat(d.explanation()).contains("'angry' negated by 'not'");
    }

    @Test
    void intensifier_raises_the_score() {
        double plain = DETECTOR.detect("I am annoyed", List.of()).score();
        double intense = DETECTOR.detect("I am extremely annoyed", List.of()).score();

        assertThat(intense).isGreaterThan(plain);
    }

    @Test
    void polite_words_dampen_the_score() {
        double plain = DETECTOR.detect("this is still broken", List.of()).score();
        double polite =
                DETECTOR.detect("thanks, but this is still broken", List.of()).score();

        assertThat(polite).isLessThan(plain);
    }

    @Test
    void repeating_the_same_question_counts_as_frustration() {
        String question = "where is my order 12345";
        Detection first = DETECTOR.detect(question, List.of());
        Detection repeated = DETECTOR.detect(question + "?", List.of(question, "hello?", "where is my order 12345?"));

        assertThat(first.score()).isZero();
        assertThat(repeated.score()).isGreaterThan(0.4);
        assertThat(repeated.explanation()).contains("repeats an earlier message");
    }

    @Test
    void rising_scores_over_the_session_raise_the_score() {
        String now = "ugh!!";
        Detection alone = DETECTOR.detect(now, List.of());
        Detection rising = DETECTOR.detect(now, List.of("where is my order?", "can you check again?"));

        assertThat(alone.detected()).isFalse();
        assertThat(rising.score()).isGreaterThan(alone.score());
        assertThat(rising.explanation()).contains("trend", "rising over 3 turns");
        assertThat(rising.detected()).isTrue();
    }

    @Test
    void sustained_frustration_raises_the_score() {
        Detection d = DETECTOR.detect("ugh", List.of("this is useless", "terrible service"));

        assertThat(d.detected()).isTrue();
        assertThat(d.explanation()).contains("sustained");
    }

    @Test
    void calm_message_after_an_angry_session_stays_calm() {
        Detection d = DETECTOR.detect("ok thanks, that works", List.of("this is useless!!!", "WORST SERVICE EVER"));

        assertThat(d.detected()).isFalse();
        assertThat(d.score()).isZero();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "No, I said Friday, not Sunday.",
                "Could you please check again?",
                "Can you try again with 4 people?",
                "That's not what I asked for.",
                "I don't care about the area, just book it.",
                "Sorry, I meant the one in the north.",
            })
    void corrections_after_an_unhelpful_reply_are_dissatisfied_but_not_a_handoff(String text) {
        String failed = "I'm sorry, there are no hotels matching your request.";

        Detection d = DETECTOR.detect(text, List.of("I need a hotel in the north for Friday"), failed);

        assertThat(d.score())
                .as(d.explanation())
                .isGreaterThanOrEqualTo(LexicalFrustrationDetector.DISSATISFIED)
                .isLessThanOrEqualTo(LexicalFrustrationDetector.REPAIR_CAP);
        assertThat(d.detected()).isFalse();
        assertThat(d.explanation()).contains("(repair)");
    }

    @Test
    void a_failed_reply_weighs_a_mild_correction_up() {
        String text = "Can you find another one?";

        double afterAnswer = DETECTOR.detect(text, List.of(), "The Lensfield is a 3 star hotel.")
                .score();
        Detection afterFailure = DETECTOR.detect(text, List.of(), "Unfortunately that was unsuccessful.");

        assertThat(afterAnswer).isLessThan(LexicalFrustrationDetector.DISSATISFIED);
        assertThat(afterFailure.score()).isGreaterThan(afterAnswer);
        assertThat(afterFailure.explanation()).contains("after a reply that could not help");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "No, thank you so much for your help!",
                "Can you book a table for two at 7pm?",
                "What is the address and phone number?",
                "Yes please, book it.",
            })
    void requests_and_polite_closings_are_not_dissatisfied(String text) {
        Detection d = DETECTOR.detect(text, List.of("I need a restaurant"), "I'm sorry, that was not available.");

        assertThat(d.score()).as(d.explanation()).isLessThan(LexicalFrustrationDetector.DISSATISFIED);
    }

    @Test
    void repair_cues_add_to_real_frustration() {
        String text = "No, this is ridiculous";
        double alone = DETECTOR.detect("this is ridiculous", List.of(), "").score();

        assertThat(DETECTOR.detect(text, List.of(), "").score()).isGreaterThan(alone);
    }

    @Test
    void builder_adds_cues_and_validates_naming_the_bad_value() {
        FrustrationDetector custom = LexicalFrustrationDetector.builder()
                .addCue("bananas", 0.9)
                .threshold(0.6)
                .build();

        assertThat(custom.detect("this is bananas").detected()).isTrue();
        assertThatThrownBy(() -> LexicalFrustrationDetector.builder().addCue("x", 1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> LexicalFrustrationDetector.builder().threshold(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0.0");
        assertThatThrownBy(() -> LexicalFrustrationDetector.builder().historyTurns(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void rejects_null_arguments() {
        assertThatThrownBy(() -> DETECTOR.detect(null, List.of())).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DETECTOR.detect("hi", null)).isInstanceOf(NullPointerException.class);
    }
}
