package dev.opencx.bench.jmh;

import dev.opencx.autopilot.EmbeddingTopicClassifier;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.bench.HelpCenterGenerator;
import dev.opencx.bench.PipelineLoad;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Topic classification over ten topics of five examples, with a constant-time fake embedding model:
 * what is measured is the classifier's own work (scoring, ranking, explanation), not the model.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TopicClassifierBenchmark {
    private EmbeddingTopicClassifier classifier;
    private String[] texts;
    private int i;

    @Setup
    public void setup() {
        classifier = EmbeddingTopicClassifier.builder(new FakeEmbeddingModel())
                .addTopics(PipelineLoad.topics())
                .build();
        texts = HelpCenterGenerator.questions(1000, 11).toArray(String[]::new);
    }

    @Benchmark
    public TopicClassification classify() {
        String t = texts[i];
        i = (i + 1) % texts.length;
        return classifier.classify(t);
    }

    @Benchmark
    public float[] fakeModelAlone() {
        String t = texts[i];
        i = (i + 1) % texts.length;
        return FakeEmbeddingModel.vector(t);
    }
}
