package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IntentsCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private JsonNode run(String... args) throws Exception {
        int status = EvalCli.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(status).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        return new ObjectMapper().readTree(lines[lines.length - 1]);
    }

    @Test
    void metrics_on_a_hand_made_example() {
        // gold: a a b b oos oos ; predicted: a b b b none a
        IntentMetrics m = IntentMetrics.of(List.of("a", "a", "b", "b", "", ""), List.of("a", "b", "b", "b", "", "a"));
        assertThat(m.accuracy()).isCloseTo(4 / 6.0, within(1e-9));
        assertThat(m.inScopeAccuracy()).isCloseTo(3 / 4.0, within(1e-9));
        assertThat(m.oosRecall()).isCloseTo(1 / 2.0, within(1e-9));
        assertThat(m.oosPrecision()).isCloseTo(1.0, within(1e-9));
        // Gorodkin: c=4, s=6, t=(2,2,2), p=(2,3,1) -> (24 - 12) / sqrt((36 - 14)(36 - 12))
        assertThat(m.mcc()).isCloseTo(12 / Math.sqrt(22 * 24), within(1e-9));
    }

    @Test
    void metrics_edge_cases() {
        IntentMetrics perfect = IntentMetrics.of(List.of("a", "b", ""), List.of("a", "b", ""));
        assertThat(perfect.mcc()).isCloseTo(1.0, within(1e-9));
        IntentMetrics noOos = IntentMetrics.of(List.of("a", "b"), List.of("a", "a"));
        assertThat(noOos.oosRecall()).isNaN();
        assertThat(noOos.oosPrecision()).isNaN();
        IntentMetrics constant = IntentMetrics.of(List.of("a", "b"), List.of("a", "a"));
        assertThat(constant.mcc()).isZero(); // one predicted class: undefined, reported as 0
        assertThat(IntentMetrics.percentile(new double[] {5, 1, 3, 2, 4}, 0.5)).isEqualTo(3);
        assertThat(IntentMetrics.percentile(new double[] {5, 1, 3, 2, 4}, 0.99)).isEqualTo(5);
    }

    private Path write(String name, String... lines) throws Exception {
        return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void trains_scores_and_reports_every_metric() throws Exception {
        Path train = write(
                "train.jsonl",
                "{\"text\":\"where is my parcel\",\"label\":\"delivery\"}",
                "{\"text\":\"my package has not arrived\",\"label\":\"delivery\"}",
                "{\"text\":\"when will my order be delivered\",\"label\":\"delivery\"}",
                "{\"text\":\"I forgot my password\",\"label\":\"login\"}",
                "{\"text\":\"I cannot sign in to my account\",\"label\":\"login\"}",
                "{\"text\":\"reset my password please\",\"label\":\"login\"}",
                "{\"text\":\"tell me a joke\",\"label\":\"oos\"}");
        Path val = write(
                "val.jsonl",
                "{\"text\":\"has my parcel shipped yet\",\"label\":\"delivery\"}",
                "{\"text\":\"the login page rejects my password\",\"label\":\"login\"}",
                "{\"text\":\"what is the capital of France\",\"label\":\"oos\"}");
        Path test = write(
                "test.jsonl",
                "{\"text\":\"my parcel is late\",\"label\":\"delivery\"}",
                "{\"text\":\"I can't log in\",\"label\":\"login\"}",
                "{\"text\":\"who won the football match yesterday\",\"label\":\"oos\"}");
        Path predictions = dir.resolve("predictions.jsonl");
        JsonNode r = run(
                "intents",
                "--train",
                train.toString(),
                "--val",
                val.toString(),
                "--test",
                test.toString(),
                "--cache",
                dir.resolve("cache.bin").toString(),
                "--predictions",
                predictions.toString());
        assertThat(r.path("train_rows").asInt()).isEqualTo(6); // the oos row is not trained on
        assertThat(r.path("labels").asInt()).isEqualTo(2);
        assertThat(r.path("test_oos").asInt()).isEqualTo(1);
        for (String k : List.of(
                "accuracy",
                "in_scope_accuracy",
                "oos_recall",
                "oos_precision",
                "mcc",
                "latency_ms_p50",
                "latency_ms_p99",
                "train_seconds")) {
            assertThat(r.has(k)).as(k).isTrue();
        }
        assertThat(r.path("in_scope_accuracy").asDouble()).isEqualTo(1.0);
        assertThat(r.path("latency_ms_p50").asDouble()).isPositive();
        // the metrics agree with the predictions written out
        List<String> rows = Files.readAllLines(predictions);
        assertThat(rows).hasSize(3);
        long right = rows.stream()
                .map(l -> {
                    try {
                        return new ObjectMapper().readTree(l);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .filter(n -> n.path("label").asText().equals(n.path("predicted").asText()))
                .count();
        assertThat(r.path("accuracy").asDouble()).isCloseTo(right / 3.0, within(1e-4));
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("intents: embedding")
                .contains("trained in");
        assertThat(Files.size(dir.resolve("cache.bin"))).isPositive();
    }

    @Test
    void split_is_stratified_seeded_and_can_exclude_texts() throws Exception {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            data.append("{\"text\":\"a").append(i).append("\",\"label\":\"A\"}\n");
            data.append("{\"text\":\"b").append(i).append("\",\"label\":\"B\"}\n");
        }
        Path f = Files.writeString(dir.resolve("data.jsonl"), data);
        Path ex = write("few.jsonl", "{\"text\":\"A0\",\"label\":\"A\"}", "{\"text\":\" b1 \",\"label\":\"B\"}");
        JsonNode r = run(
                "split",
                "--data",
                f.toString(),
                "--test-fraction",
                "0.25",
                "--seed",
                "3",
                "--out-dir",
                dir.resolve("s1").toString(),
                "--exclude",
                ex.toString());
        assertThat(r.path("excluded").asInt()).isEqualTo(2);
        List<String> test = Files.readAllLines(dir.resolve("s1/test.jsonl"));
        List<String> train = Files.readAllLines(dir.resolve("s1/train.jsonl"));
        assertThat(test).hasSize(4).noneMatch(l -> l.contains("\"a0\"") || l.contains("\"b1\""));
        assertThat(test.stream().filter(l -> l.contains("\"A\""))).hasSize(2);
        assertThat(train).hasSize(14);
        run(
                "split",
                "--data",
                f.toString(),
                "--test-fraction",
                "0.25",
                "--seed",
                "3",
                "--out-dir",
                dir.resolve("s2").toString(),
                "--exclude",
                ex.toString());
        assertThat(Files.readAllLines(dir.resolve("s2/test.jsonl"))).isEqualTo(test);
    }
}
