package dev.opencx.responder;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.ScenarioMatcher;
import java.util.List;
import java.util.Optional;

/**
 * What {@code OpenCx.builder()} was configured with, handed to a {@link ResponderFactory} so a
 * responder can share the client's knowledge store, training scenarios and embedding model.
 */
public final class ResponderContext {
    private final KnowledgeStore knowledge;
    private final ScenarioMatcher scenarios;
    private final EmbeddingModel embeddingModel;
    private final List<String> prohibitedTopics;

    /**
     * @param knowledge the knowledge store, or null when none was set
     * @param scenarios the training scenarios with their matcher, or null when none were set
     * @param embeddingModel the embedding model, or null when none was set
     * @param prohibitedTopics the prohibited topics in plain language, never null
     */
    public ResponderContext(
            KnowledgeStore knowledge,
            ScenarioMatcher scenarios,
            EmbeddingModel embeddingModel,
            List<String> prohibitedTopics) {
        this.knowledge = knowledge;
        this.scenarios = scenarios;
        this.embeddingModel = embeddingModel;
        this.prohibitedTopics = List.copyOf(prohibitedTopics);
    }

    /** The prohibited topics given to {@code OpenCx.Builder.prohibitedTopics}, in plain language. */
    public List<String> prohibitedTopics() {
        return prohibitedTopics;
    }

    /** The knowledge store given to {@code OpenCx.Builder.knowledge}. */
    public Optional<KnowledgeStore> knowledge() {
        return Optional.ofNullable(knowledge);
    }

    /** The training scenarios given to {@code OpenCx.Builder.scenarios}, ready to match. */
    public Optional<ScenarioMatcher> scenarios() {
        return Optional.ofNullable(scenarios);
    }

    /** The (caching) embedding model given to {@code OpenCx.Builder.embeddingModel}. */
    public Optional<EmbeddingModel> embeddingModel() {
        return Optional.ofNullable(embeddingModel);
    }
}
