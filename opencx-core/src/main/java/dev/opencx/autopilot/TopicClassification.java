package dev.opencx.autopilot;

import dev.opencx.event.TopicClassified;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A topic classifier's verdict on one message: the chosen topic (or none) and every topic's score.
 *
 * <p>Null contract: {@code topic} null becomes {@code ""} (none); {@code scores} null becomes an
 * empty list and is re-sorted best first; {@code method} null becomes {@code ""}.
 *
 * @param topic the chosen topic, {@code ""} when no topic fits
 * @param scores every topic's score, best first
 * @param threshold the score the best topic had to reach
 * @param method which classifier decided and how, e.g. "embedding(k=3, blend=0.70)"
 */
public record TopicClassification(String topic, List<TopicScore> scores, double threshold, String method) {
    public TopicClassification {
        topic = topic == null ? "" : topic;
        List<TopicScore> sorted = new ArrayList<>(scores == null ? List.of() : scores);
        sorted.sort(Comparator.comparingDouble(TopicScore::score).reversed());
        scores = List.copyOf(sorted);
        method = method == null ? "" : method;
    }

    /** No topic fits: the scores are kept for inspection. */
    public static TopicClassification none(List<TopicScore> scores, double threshold, String method) {
        return new TopicClassification("", scores, threshold, method);
    }

    /** Whether no topic was chosen. */
    public boolean isNone() {
        return topic.isEmpty();
    }

    /** The best-scoring topic, whether or not it was chosen; empty when there are no scores. */
    public Optional<TopicScore> best() {
        return scores.isEmpty() ? Optional.empty() : Optional.of(scores.get(0));
    }

    /** The same verdict as an event payload for the session log. */
    public TopicClassified toEvent() {
        return new TopicClassified(topic, scores, threshold, method);
    }

    /** One line saying what was chosen and the scores behind it, e.g. for inspect mode. */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        if (isNone()) {
            sb.append("no topic");
            best().ifPresent(b -> sb.append(
                    String.format(Locale.ROOT, " (best '%s' %.3f, threshold %.2f)", b.topic(), b.score(), threshold)));
        } else {
            sb.append(String.format(Locale.ROOT, "topic '%s' (threshold %.2f)", topic, threshold));
        }
        if (!scores.isEmpty()) {
            sb.append("; scores:");
            for (TopicScore s : scores) {
                sb.append(String.format(Locale.ROOT, " %s=%.3f", s.topic(), s.score()));
            }
        }
        if (!method.isEmpty()) {
            sb.append("; by ").append(method);
        }
        return sb.toString();
    }
}
