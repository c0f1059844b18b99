package dev.opencx.autopilot;

/**
 * Assigns a customer message to one of the configured topics, or to none. Autopilot uses the topic
 * for its topic gate (some topics always go to the team) and records it in the session log.
 *
 * <p>Implementations must be thread-safe and must not log message text. Built in: {@link
 * EmbeddingTopicClassifier} (few-shot, nothing to train); in the {@code opencx-topics} module
 * ({@code dev.opencx.topics}): {@code TrainedTopicClassifier} (trained in-process,
 * validation-fitted out-of-scope thresholds), {@code LlmTopicClassifier} (zero-shot over a chat
 * model) and {@code CombinedTopicClassifier} (the LLM only in the grey zone).
 *
 * <pre>{@code
 * TopicClassification c = classifier.classify("where is my parcel?");
 * if (!c.isNone() && gatedTopics.contains(c.topic())) handOff(...);
 * }</pre>
 */
public interface TopicClassifier {

    /**
     * Classifies one message.
     *
     * @param text the message text, never null (blank gives "none")
     * @return the classification, never null
     */
    TopicClassification classify(String text);
}
