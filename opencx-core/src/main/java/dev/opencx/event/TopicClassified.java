package dev.opencx.event;

import dev.opencx.autopilot.TopicScore;
import java.util.List;

/**
 * The topic classifier's verdict on a customer message.
 *
 * @param topic the chosen topic, empty for "none"
 * @param scores every topic's score, best first
 * @param threshold the score a topic had to reach
 * @param method which classifier decided and how, for inspect mode
 */
public record TopicClassified(String topic, List<TopicScore> scores, double threshold, String method)
        implements CoreEvent {
    public TopicClassified {
        topic = topic == null ? "" : topic;
        scores = scores == null ? List.of() : List.copyOf(scores);
    }
}
