package dev.opencx.bench.jmh;

import dev.opencx.bench.HelpCenterGenerator;
import dev.opencx.handoff.Detection;
import dev.opencx.handoff.FrustrationDetector;
import dev.opencx.handoff.HumanRequestDetector;
import dev.opencx.handoff.LexicalFrustrationDetector;
import dev.opencx.handoff.RuleBasedHumanRequestDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** The built-in human-request and frustration detectors on varied customer messages. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DetectorBenchmark {
    private final HumanRequestDetector human =
            RuleBasedHumanRequestDetector.builder().build();
    private final FrustrationDetector frustration =
            LexicalFrustrationDetector.builder().build();
    private String[] texts;
    private List<String> previous;
    private int i;

    @Setup
    public void setup() {
        List<String> t = new ArrayList<>(HelpCenterGenerator.questions(1000, 7));
        // a share of messages that do trigger the detectors
        for (int k = 0; k < 100; k++) {
            t.set(
                    k * 10,
                    switch (k % 4) {
                        case 0 -> "can I talk to a real person please";
                        case 1 -> "this is STILL not working!!! third time I ask";
                        case 2 -> "I don't need an agent, just tell me the refund date";
                        default -> "useless bot. get me a human now";
                    });
        }
        texts = t.toArray(String[]::new);
        previous = List.of(texts[1], texts[2], texts[3]);
    }

    private String next() {
        String s = texts[i];
        i = (i + 1) % texts.length;
        return s;
    }

    @Benchmark
    public Detection humanRequest() {
        return human.detect(next());
    }

    @Benchmark
    public Detection frustrationWithThreePreviousMessages() {
        return frustration.detect(next(), previous);
    }
}
