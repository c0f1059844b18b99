package dev.opencx.responder;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.action.ActionRegistry;
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
    private final ActionRegistry actions;

    /**
     * @param knowledge the knowledge store, or null when none was set
     * @param scenarios the training scenarios with their matcher, or null when none were set
     * @param embeddingModel the embedding model, or null when none was set
     * @param prohibitedTopics the prohibited topics in plain language, never null
     * @param actions every action of the client, or null when none were set
     */
    public ResponderContext(
            KnowledgeStore knowledge,
            ScenarioMatcher scenarios,
            EmbeddingModel embeddingModel,
            List<String> prohibitedTopics,
            ActionRegistry actions) {
        this.knowledge = knowledge;
        this.scenarios = scenarios;
        this.embeddingModel = embeddingModel;
        this.prohibitedTopics = List.copyOf(prohibitedTopics);
        this.actions = actions;
    }

    /** A context without actions. */
    public ResponderContext(
            KnowledgeStore knowledge,
            ScenarioMatcher scenarios,
            EmbeddingModel embeddingModel,
            List<String> prohibitedTopics) {
        this(knowledge, scenarios, embeddingModel, prohibitedTopics, null);
    }

    /**
     * Every action of the client (which ones a turn may use is {@link
     * ResponderRequest#actions()}); empty when none were set.
     */
    public Optional<ActionRegistry> actions() {
        return Optional.ofNullable(actions);
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
