package dev.opencx.autopilot;

import dev.opencx.conversation.ChannelId;
import dev.opencx.handoff.Detection;
import java.util.Objects;

/**
 * What autopilot looks at for one customer message.
 *
 * @param channel the session's channel
 * @param topic the topic classification, null when no classifier is configured
 * @param humanRequest the explicit-request detector's verdict
 * @param frustration the frustration detector's verdict (turn and trend)
 * @param earlierHumanRequests how many earlier messages of the session asked for a human
 */
public record AutopilotSignals(
        ChannelId channel,
        TopicClassification topic,
        Detection humanRequest,
        Detection frustration,
        int earlierHumanRequests) {
    public AutopilotSignals {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(humanRequest, "humanRequest");
        Objects.requireNonNull(frustration, "frustration");
    }
}
