package dev.opencx.autopilot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.conversation.ChannelId;
import dev.opencx.handoff.Detection;
import dev.opencx.handoff.HandoffReason;
import java.util.List;
import org.junit.jupiter.api.Test;

class AutopilotPolicyTest {
    private static final Detection NONE = Detection.none("nothing");
    private static final Detection HUMAN = new Detection(true, 0.95, "asked for a person", List.of("talk to a person"));

    private static Detection frustration(double score) {
        return new Detection(score >= 0.5, score, "cues", List.of("ridiculous"));
    }

    private static AutopilotSignals signals(Detection human, Detection frustration, int earlier) {
        return new AutopilotSignals(ChannelId.WEB, null, human, frustration, earlier);
    }

    @Test
    void balanced_hands_off_on_an_explicit_request_and_clear_frustration() {
        AutopilotPolicy p = AutopilotPolicy.defaults();
        assertThat(p.preset()).isEqualTo(HandoffPreset.BALANCED);
        assertThat(p.confidenceThreshold()).isEqualTo(0.5);
        assertThat(p.decide(signals(HUMAN, NONE, 0)).reason()).isEqualTo(HandoffReason.EXPLICIT_REQUEST);
        assertThat(p.decide(signals(NONE, frustration(0.7), 0)).reason()).isEqualTo(HandoffReason.FRUSTRATION);
        assertThat(p.decide(signals(NONE, frustration(0.3), 0)).isHandoff()).isFalse();
    }

    @Test
    void ai_first_tries_once_before_handing_off_and_ai_only_never_does() {
        AutopilotPolicy aiFirst =
                AutopilotPolicy.builder().preset(HandoffPreset.AI_FIRST).build();
        assertThat(aiFirst.decide(signals(HUMAN, NONE, 0)).isHandoff()).isFalse();
        assertThat(aiFirst.decide(signals(HUMAN, NONE, 1)).reason()).isEqualTo(HandoffReason.EXPLICIT_REQUEST);
        assertThat(aiFirst.decide(signals(NONE, frustration(0.7), 0)).isHandoff())
                .isFalse();

        AutopilotPolicy aiOnly =
                AutopilotPolicy.builder().preset(HandoffPreset.AI_ONLY).build();
        assertThat(aiOnly.decide(signals(HUMAN, frustration(1.0), 3)).isHandoff())
                .isFalse();
        assertThat(aiOnly.handsOffOn(HandoffReason.MISSING_KNOWLEDGE)).isFalse();
        assertThat(aiOnly.handsOffOn(HandoffReason.TOPIC_GATE)).isTrue();

        AutopilotPolicy quick =
                AutopilotPolicy.builder().preset(HandoffPreset.QUICK_HANDOFF).build();
        assertThat(quick.confidenceThreshold()).isEqualTo(0.7);
        assertThat(quick.decide(signals(NONE, frustration(0.45), 0)).reason()).isEqualTo(HandoffReason.FRUSTRATION);
    }

    @Test
    void channel_switch_and_topic_gates_come_first_and_explain_themselves() {
        AutopilotPolicy p = AutopilotPolicy.builder()
                .channel(ChannelId.SMS, false)
                .topicGate("security", AutopilotPolicy.GateAction.HANDOFF)
                .build();
        AutopilotDecision off = p.decide(new AutopilotSignals(ChannelId.SMS, null, NONE, NONE, 0));
        assertThat(off.reason()).isEqualTo(HandoffReason.AUTOPILOT_OFF);
        assertThat(off.explain()).contains("'sms'");

        TopicClassification security =
                new TopicClassification("security", List.of(new TopicScore("security", 0.8)), 0.35, "test");
        AutopilotDecision gated = p.decide(new AutopilotSignals(ChannelId.WEB, security, NONE, NONE, 0));
        assertThat(gated.reason()).isEqualTo(HandoffReason.TOPIC_GATE);
        assertThat(gated.explain()).contains("security").contains("0.80");
        assertThat(gated.evidence()).containsEntry("topic", "security").containsKey("human_request_score");

        AutopilotDecision reply = p.decide(new AutopilotSignals(ChannelId.WEB, null, NONE, NONE, 0));
        assertThat(reply.isHandoff()).isFalse();
        assertThat(reply.explain()).contains("the AI replies");
    }

    @Test
    void the_builder_rejects_bad_values_naming_them() {
        assertThatThrownBy(() -> AutopilotPolicy.builder().confidenceThreshold(1.5))
                .hasMessageContaining("1.5");
        assertThatThrownBy(() -> AutopilotPolicy.builder().topicGate(" ", AutopilotPolicy.GateAction.REPLY))
                .hasMessageContaining("blank");
        AutopilotPolicy p = AutopilotPolicy.builder()
                .preset(HandoffPreset.AI_FIRST)
                .confidenceThreshold(0.9)
                .build();
        assertThat(p.toBuilder().build().confidenceThreshold()).isEqualTo(0.9);
    }
}
