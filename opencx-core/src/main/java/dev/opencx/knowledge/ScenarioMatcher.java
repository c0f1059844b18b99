package dev.opencx.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds the SCENARIO_SPECIFIC training scenario whose trigger questions are closest in meaning to a
 * customer message (cosine similarity of embeddings), when it is at least the threshold.
 * Immutable and thread-safe; trigger embeddings are computed once, at construction.
 */
public final class ScenarioMatcher {
    /** Default similarity a message must reach to trigger a scenario. */
    public static final double DEFAULT_THRESHOLD = 0.80;

    private final EmbeddingModel model;
    private final double threshold;
    private final List<TrainingScenario> owners = new ArrayList<>();
    private final List<String> triggers = new ArrayList<>();
    private final List<float[]> vectors = new ArrayList<>();
    private final List<TrainingScenario> scenarios;

    /** A match, with the similarity that made it. */
    public record Match(TrainingScenario scenario, String trigger, double similarity, double threshold) {}

    public ScenarioMatcher(EmbeddingModel model, List<TrainingScenario> scenarios, double threshold) {
        this.model = Objects.requireNonNull(model, "model");
        if (Double.isNaN(threshold) || threshold <= 0 || threshold > 1) {
            throw new IllegalArgumentException("scenario threshold must be within (0, 1], was " + threshold);
        }
        this.threshold = threshold;
        this.scenarios = List.copyOf(scenarios);
        List<TextSegment> segments = new ArrayList<>();
        for (TrainingScenario s : this.scenarios) {
            if (s.kind() != TrainingScenario.Kind.SCENARIO_SPECIFIC) {
                continue;
            }
            for (String t : s.triggers()) {
                owners.add(s);
                triggers.add(t);
                segments.add(TextSegment.from(t));
            }
        }
        if (!segments.isEmpty()) {
            for (Embedding e : model.embedAll(segments).content()) {
                vectors.add(Vectors.normalized(e.vector()));
            }
        }
    }

    /** All scenarios, both kinds. */
    public List<TrainingScenario> scenarios() {
        return scenarios;
    }

    /** The BEHAVIORAL rules. */
    public List<TrainingScenario> rules() {
        return scenarios.stream()
                .filter(s -> s.kind() == TrainingScenario.Kind.BEHAVIORAL)
                .toList();
    }

    public double threshold() {
        return threshold;
    }

    /** The closest scenario at or above the threshold. */
    public Optional<Match> match(String text) {
        return best(text).filter(m -> m.similarity() >= threshold);
    }

    /** The closest scenario whatever its similarity (for inspect mode); empty when there are none. */
    public Optional<Match> best(String text) {
        Objects.requireNonNull(text, "text");
        if (vectors.isEmpty() || text.isBlank()) {
            return Optional.empty();
        }
        float[] q = Vectors.normalized(model.embed(text).content().vector());
        int best = -1;
        double bestSim = -2;
        for (int i = 0; i < vectors.size(); i++) {
            double sim = Vectors.dot(q, vectors.get(i));
            if (sim > bestSim) {
                bestSim = sim;
                best = i;
            }
        }
        return Optional.of(new Match(owners.get(best), triggers.get(best), bestSim, threshold));
    }
}
