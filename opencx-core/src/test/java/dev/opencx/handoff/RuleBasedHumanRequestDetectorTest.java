package dev.opencx.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RuleBasedHumanRequestDetectorTest {

    private static final HumanRequestDetector DETECTOR =
            RuleBasedHumanRequestDetector.builder().build();

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "can I talk to a real person",
                "Can I talk to a real person?",
                "agent please",
                "Agent, please.",
                "get me a human",
                "speak with someone",
                "I need to speak with someone about my bill",
                "transfer me to support staff",
                "is there a human there?",
                "representative",
                "REPRESENTATIVE!!!",
                "operator",
                "Operator?",
                "live chat with a person",
                "I want to call someone",
                "you're a bot, I need a person",
                "connect me to customer service",
                "human!!!",
                "HUMAN",
                "human please",
                "a real person please",
                "I want a real, live person",
                "I'd like to speak to an agent",
                "I would like to talk to a representative",
                "let me talk to someone",
                "give me a real person",
                "put me through to an operator",
                "I want a human",
                "I need a human being",
                "can I get an agent?",
                "please transfer me to a live agent",
                "I want to speak to your manager",
                "talk to human",
                "why can't I talk to a human?",
                "I can't get through to a person, let me speak to someone",
                "I don't want a refund, I want a human",
                "No, I want a human",
                "is there a real person I can talk to?",
                "I need someone to talk to about this",
                "can you connect me with customer support",
                "are you able to transfer me to an agent",
                "please escalate this",
                "transfer me please",
                "I'm not happy. Get me a human.",
                "I dont want to talk to a bot, I want a person",
                "wanna talk to a person",
                "pls human",
                "get me an actual human right now",
                "I need to talk to a human asap",
                "I want to contact support",
                "let me chat with a live person",
                // typos
                "can I tlak to a humna",
                "reprsentative please",
                "agnet",
                "agnet please",
                "I need to speak to sombody",
                "get me a persn",
                "i want to speek to a representive",
                "conect me to an opertor",
                // bot rejection
                "stop the bot",
                "I hate this bot",
                "no more bots please",
                "I don't want to talk to a bot",
                "enough with the robot",
                // Spanish
                "quiero hablar con una persona",
                "Quiero hablar con una persona, por favor",
                "un agente por favor",
                "¿Puedo hablar con un humano?",
                "necesito hablar con alguien",
                "pásame con un asesor",
                "quisiera hablar con un representante",
                "comuníqueme con servicio al cliente",
                "dame un humano",
                "agente",
            })
    void detects_request_for_a_human(String text) {
        Detection d = DETECTOR.detect(text);
        assertThat(d.detected()).as("%s -> %s", text, d).isTrue();
        assertThat(d.score()).isGreaterThanOrEqualTo(RuleBasedHumanRequestDetector.DEFAULT_THRESHOLD);
        assertThat(d.evidence()).isNotEmpty();
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                // negations
                "I am not asking for a human",
                "I'm not asking for a human",
                "no need for an agent",
                "don't transfer me",
                "please do not transfer me",
                "I don't want to talk to a person",
                "I do not need a human, just tell me the opening hours",
                "I don't think I need an agent",
                "no human needed, thanks",
                "I'd rather not talk to a person",
                "can I fix this without talking to a person?",
                "please don't connect me with an agent",
                "I never asked for an agent",
                "no necesito un agente",
                "no quiero hablar con una persona",
                // mentions, not requests
                "the agent I spoke to yesterday said I would get a refund",
                "I spoke to an agent yesterday and they said it was shipped",
                "your agent promised me a discount",
                "a person from your team called me",
                "the representative was very helpful last time",
                "my manager approved the purchase",
                "someone stole my package",
                "I need someone to fix my router",
                "I need support with my order",
                "el agente me dijo que llegaría mañana",
                // identity questions (documented: not a request)
                "are you a human?",
                "Are you a real person?",
                "am I talking to a real person?",
                "am i speaking with ai or a real, live person",
                "is this a bot?",
                "are you a bot or a human?",
                "¿eres un humano?",
                // look-alikes
                "my human resources department needs an invoice",
                "please send it to human resources",
                "I am a travel agent booking for a client",
                "I want to talk to my travel agent first",
                "our real estate agent needs the documents",
                "what user agent does your app send?",
                "it was a human error on my side",
                "can I pick it up in person?",
                "how much is it per person?",
                "recursos humanos necesita la factura",
                "soy agente de viajes",
                // ordinary support questions
                "where is my order?",
                "I want to return these shoes",
                "how do I reset my password",
                "can I change my delivery address",
                "I need a refund",
                "that works, thanks",
                "what are your opening hours",
                "I want to transfer my subscription to my wife",
                "can you connect my account to paypal",
                "I walk to the store every day",
                "what is your return policy for people outside the EU?",
                "how many people can use one account",
                "the bot answered my question, great",
                "my package was handed to a neighbour",
                "the order was escalated yesterday",
                "I got an email from your agent",
                "",
                "   ",
            })
    void ignores_non_requests_negations_and_look_alikes(String text) {
        Detection d = DETECTOR.detect(text);
        assertThat(d.detected()).as("%s -> %s", text, d).isFalse();
        assertThat(d.score()).isLessThan(RuleBasedHumanRequestDetector.DEFAULT_THRESHOLD);
    }

    @Test
    void explains_matched_cue() {
        Detection d = DETECTOR.detect("Can I talk to a real person?");

        assertThat(d.explanation()).contains("talk").contains("person");
        assertThat(d.evidence()).containsExactly("talk to a real person");
        assertThat(d.score()).isEqualTo(0.95);
    }

    @Test
    void detects_request_with_typo_and_says_so() {
        Detection d = DETECTOR.detect("can I tlak to a humna");

        assertThat(d.detected()).isTrue();
        assertThat(d.score()).isLessThan(0.95);
        assertThat(d.evidence()).contains("typo 'humna' read as 'human'", "typo 'tlak' read as 'talk'");
    }

    @Test
    void ignores_negated_request_and_names_the_negation() {
        Detection d = DETECTOR.detect("I don't want to talk to a person");

        assertThat(d.detected()).isFalse();
        assertThat(d.explanation()).contains("negated").contains("not");
        assertThat(d.evidence()).contains("negation 'not'");
    }

    @Test
    void explains_identity_question() {
        assertThat(DETECTOR.detect("are you a human?").explanation()).contains("identity");
    }

    @Test
    void repeated_request_scores_higher_with_session_context() {
        Detection alone = DETECTOR.detect("I want a human");
        Detection again = DETECTOR.detect("I want a human", List.of("where is my order", "agent please"));

        assertThat(again.detected()).isTrue();
        assertThat(again.score()).isGreaterThan(alone.score());
        assertThat(again.explanation()).contains("before");
    }

    @Test
    void typo_matching_can_be_switched_off() {
        HumanRequestDetector strict =
                RuleBasedHumanRequestDetector.builder().fuzzyMatching(false).build();

        assertThat(strict.detect("agnet please").detected()).isFalse();
        assertThat(strict.detect("agent please").detected()).isTrue();
    }

    @Test
    void english_only_detector_ignores_spanish() {
        HumanRequestDetector en = RuleBasedHumanRequestDetector.builder()
                .locales("en")
                .fuzzyMatching(false)
                .build();

        assertThat(en.detect("quiero hablar con una persona").detected()).isFalse();
        assertThat(en.detect("I want to talk to a person").detected()).isTrue();
    }

    @Test
    void builder_adds_targets_ignored_phrases_and_request_phrases() {
        HumanRequestDetector custom = RuleBasedHumanRequestDetector.builder()
                .addTarget("concierge")
                .addIgnoredPhrase("insurance broker")
                .addTarget("broker")
                .addRequestPhrase("tier two please")
                .build();

        assertThat(custom.detect("let me talk to the concierge").detected()).isTrue();
        assertThat(custom.detect("I need to call a broker").detected()).isTrue();
        assertThat(custom.detect("I want to call an insurance broker").detected())
                .isFalse();
        assertThat(custom.detect("tier two please").detected()).isTrue();
        assertThat(custom.detect("no tier two please").detected()).isFalse();
    }

    @Test
    void builder_rejects_bad_values_naming_them() {
        assertThatThrownBy(() -> RuleBasedHumanRequestDetector.builder().threshold(1.5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> RuleBasedHumanRequestDetector.builder().locales("fr"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'fr'");
        assertThatThrownBy(() -> RuleBasedHumanRequestDetector.builder().addTarget("!!!"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'!!!'");
    }

    @Test
    void rejects_null_text() {
        assertThatThrownBy(() -> DETECTOR.detect(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> DETECTOR.detect("hi", null)).isInstanceOf(NullPointerException.class);
    }
}
