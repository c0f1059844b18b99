package dev.opencx.autopilot;

import dev.opencx.conversation.ChannelId;
import dev.opencx.handoff.HandoffReason;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Decides, per customer message, whether the AI replies or the team takes over: a switch per
 * channel, gates per topic, a confidence threshold for replies, and a {@link HandoffPreset}.
 * Immutable; change it at run time with {@code OpenCx.updateAutopilot(p -> p.toBuilder()…build())}.
 *
 * <pre>{@code
 * AutopilotPolicy policy = AutopilotPolicy.builder()
 *         .preset(HandoffPreset.BALANCED)
 *         .channel(ChannelId.SMS, false)              // the team answers every SMS
 *         .topicGate("security", GateAction.HANDOFF)   // hacked accounts go to a human
 *         .build();
 * }</pre>
 */
public final class AutopilotPolicy {

    /** What a topic gate does with a message of its topic. */
    public enum GateAction {
        REPLY,
        HANDOFF
    }

    private final HandoffPreset preset;
    private final boolean defaultOn;
    private final Map<ChannelId, Boolean> channels;
    private final Map<String, GateAction> gates;
    private final double confidenceThreshold;

    private AutopilotPolicy(Builder b) {
        this.preset = b.preset;
        this.defaultOn = b.defaultOn;
        this.channels = Map.copyOf(b.channels);
        this.gates = Map.copyOf(b.gates);
        this.confidenceThreshold = b.confidenceThreshold == null ? preset.confidenceThreshold() : b.confidenceThreshold;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Balanced preset, autopilot on for every channel, no topic gates. */
    public static AutopilotPolicy defaults() {
        return builder().build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.preset = preset;
        b.defaultOn = defaultOn;
        b.channels.putAll(channels);
        b.gates.putAll(gates);
        b.confidenceThreshold = confidenceThreshold;
        return b;
    }

    public HandoffPreset preset() {
        return preset;
    }

    /** True when the AI may answer on this channel. */
    public boolean isOn(ChannelId channel) {
        return channels.getOrDefault(channel, defaultOn);
    }

    /** The gate of a topic; REPLY for topics without one. */
    public GateAction gate(String topic) {
        return gates.getOrDefault(topic, GateAction.REPLY);
    }

    public Map<String, GateAction> gates() {
        return gates;
    }

    public Map<ChannelId, Boolean> channels() {
        return channels;
    }

    /** Replies below this confidence are not sent: the session is handed off. */
    public double confidenceThreshold() {
        return confidenceThreshold;
    }

    /**
     * True when a responder's "I have no confident answer" ({@code reason}) hands off; with {@link
     * HandoffPreset#AI_ONLY} the AI answers that it cannot help instead.
     */
    public boolean handsOffOn(HandoffReason reason) {
        if (preset != HandoffPreset.AI_ONLY) {
            return true;
        }
        return reason == HandoffReason.AUTOPILOT_OFF
                || reason == HandoffReason.TOPIC_GATE
                || reason == HandoffReason.PROHIBITED_TOPIC;
    }

    /** The decision for one message, with its evidence. */
    public AutopilotDecision decide(AutopilotSignals s) {
        Objects.requireNonNull(s, "signals");
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("preset", preset.name());
        ev.put("channel", s.channel().value());
        ev.put("confidence_threshold", confidenceThreshold);
        if (s.topic() != null) {
            ev.put("topic", s.topic().isNone() ? "none" : s.topic().topic());
            ev.put(
                    "topic_score",
                    round(
                            s.topic().scores().isEmpty()
                                    ? 0
                                    : s.topic().scores().get(0).score()));
            ev.put("topic_threshold", round(s.topic().threshold()));
        }
        ev.put("human_request_score", round(s.humanRequest().score()));
        ev.put("frustration_score", round(s.frustration().score()));
        ev.put("frustration_threshold", preset.frustrationThreshold());

        if (!isOn(s.channel())) {
            return AutopilotDecision.handoff(
                    HandoffReason.AUTOPILOT_OFF,
                    "autopilot is off for channel '" + s.channel() + "': the team answers",
                    ev);
        }
        if (s.topic() != null && !s.topic().isNone() && gate(s.topic().topic()) == GateAction.HANDOFF) {
            return AutopilotDecision.handoff(
                    HandoffReason.TOPIC_GATE,
                    String.format(
                            Locale.ROOT,
                            "topic '%s' (score %.2f) is gated to the team",
                            s.topic().topic(),
                            s.topic().scores().get(0).score()),
                    ev);
        }
        if (s.humanRequest().detected()) {
            ev.put("human_request_evidence", s.humanRequest().evidence());
            ev.put("earlier_human_requests", s.earlierHumanRequests());
            if (preset == HandoffPreset.AI_ONLY) {
                return AutopilotDecision.reply("the customer asked for a human, but the preset is AI_ONLY", ev);
            }
            if (preset.firstHumanRequestHandsOff() || s.earlierHumanRequests() > 0) {
                return AutopilotDecision.handoff(
                        HandoffReason.EXPLICIT_REQUEST,
                        "the customer asked for a human: " + s.humanRequest().explanation(),
                        ev);
            }
            return AutopilotDecision.reply("first request for a human under AI_FIRST: the AI tries once more", ev);
        }
        if (s.frustration().score() >= preset.frustrationThreshold()) {
            ev.put("frustration_evidence", s.frustration().evidence());
            return AutopilotDecision.handoff(
                    HandoffReason.FRUSTRATION,
                    String.format(
                            Locale.ROOT,
                            "the customer is frustrated (score %.2f >= %.2f): %s",
                            s.frustration().score(),
                            preset.frustrationThreshold(),
                            s.frustration().explanation()),
                    ev);
        }
        String topicPart = s.topic() == null
                ? ""
                : s.topic().isNone()
                        ? " (no specific topic)"
                        : " (topic '" + s.topic().topic() + "')";
        // interned: one sentence per channel and topic, repeated in every session log
        return AutopilotDecision.reply(
                ("autopilot is on for '" + s.channel() + "'" + topicPart + ": the AI replies").intern(), ev);
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    @Override
    public String toString() {
        return "AutopilotPolicy{preset=" + preset + ", defaultOn=" + defaultOn + ", channels=" + channels + ", gates="
                + gates + ", threshold=" + confidenceThreshold + "}";
    }

    /** Builds a policy; {@link #build()} validates it. */
    public static final class Builder {
        private HandoffPreset preset = HandoffPreset.BALANCED;
        private boolean defaultOn = true;
        private final Map<ChannelId, Boolean> channels = new LinkedHashMap<>();
        private final Map<String, GateAction> gates = new LinkedHashMap<>();
        private Double confidenceThreshold;

        private Builder() {}

        /** The handoff preset (default BALANCED); also resets the threshold to the preset's. */
        public Builder preset(HandoffPreset preset) {
            this.preset = Objects.requireNonNull(preset, "preset");
            this.confidenceThreshold = null;
            return this;
        }

        /** Autopilot for channels not named with {@link #channel} (default on). */
        public Builder defaultOn(boolean on) {
            this.defaultOn = on;
            return this;
        }

        /** Autopilot on or off for one channel; off sends every message of it to the team. */
        public Builder channel(ChannelId channel, boolean on) {
            channels.put(Objects.requireNonNull(channel, "channel"), on);
            return this;
        }

        /** What to do with messages of a topic (topics come from the topic classifier). */
        public Builder topicGate(String topic, GateAction action) {
            Objects.requireNonNull(topic, "topic");
            if (topic.isBlank()) {
                throw new IllegalArgumentException("topic gate needs a topic name, was blank");
            }
            gates.put(topic, Objects.requireNonNull(action, "action"));
            return this;
        }

        /** Overrides the preset's confidence threshold, within [0, 1]. */
        public Builder confidenceThreshold(double threshold) {
            if (Double.isNaN(threshold) || threshold < 0 || threshold > 1) {
                throw new IllegalArgumentException("confidence threshold must be within [0, 1], was " + threshold);
            }
            this.confidenceThreshold = threshold;
            return this;
        }

        public AutopilotPolicy build() {
            return new AutopilotPolicy(this);
        }
    }
}
