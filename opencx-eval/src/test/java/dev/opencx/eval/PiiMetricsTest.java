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

class PiiMetricsTest {
    private static PiiMetrics.Span s(int start, int end, String type) {
        return new PiiMetrics.Span(start, end, type);
    }

    @Test
    void iou_of_spans() {
        assertThat(s(0, 10, "A").iou(s(0, 10, "B"))).isEqualTo(1.0);
        assertThat(s(0, 10, "A").iou(s(5, 15, "A"))).isCloseTo(5.0 / 15, within(1e-9));
        assertThat(s(0, 4, "A").iou(s(4, 8, "A"))).isZero();
    }

    @Test
    void a_prediction_matches_a_gold_span_at_the_threshold_whatever_the_type() {
        PiiMetrics m = new PiiMetrics(0.5);
        // gold [0,10) PERSON matched by [0,8) ADDRESS (IoU 0.8); gold [20,30) missed by [27,40) (IoU 3/20)
        m.add(List.of(s(0, 10, "PERSON"), s(20, 30, "GPE")), List.of(), List.of(s(0, 8, "ADDRESS"), s(27, 40, "X")));

        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.precision()).isEqualTo(0.5);
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.f2()).isCloseTo(0.5, within(1e-9));
        assertThat(m.perTypeRecall()).containsEntry("PERSON", 1.0).containsEntry("GPE", 0.0);
    }

    @Test
    void matching_is_one_to_one_best_iou_first() {
        PiiMetrics m = new PiiMetrics(0.5);
        // one long prediction over two gold spans: it matches only one of them
        m.add(List.of(s(0, 10, "A"), s(11, 20, "A")), List.of(), List.of(s(0, 20, "A")));
        assertThat(m.truePositives()).isEqualTo(1);
        assertThat(m.recall()).isEqualTo(0.5);
        assertThat(m.precision()).isEqualTo(1.0);

        // two predictions on one gold span: one true positive, one false positive
        PiiMetrics twice = new PiiMetrics(0.5);
        twice.add(List.of(s(0, 10, "A")), List.of(), List.of(s(0, 10, "A"), s(1, 10, "A")));
        assertThat(twice.truePositives()).isEqualTo(1);
        assertThat(twice.precision()).isEqualTo(0.5);
    }

    @Test
    void the_higher_threshold_is_stricter() {
        PiiMetrics loose = new PiiMetrics(0.5);
        PiiMetrics strict = new PiiMetrics(0.9);
        List<PiiMetrics.Span> gold = List.of(s(0, 10, "A"));
        List<PiiMetrics.Span> pred = List.of(s(0, 8, "A"));
        loose.add(gold, List.of(), pred);
        strict.add(gold, List.of(), pred);
        assertThat(loose.recall()).isEqualTo(1.0);
        assertThat(strict.recall()).isZero();
    }

    @Test
    void f2_weighs_recall_more_than_precision() {
        assertThat(PiiMetrics.fBeta(1.0, 0.5, 2)).isCloseTo(5 * 0.5 / (4 + 0.5), within(1e-9));
        assertThat(PiiMetrics.fBeta(0.5, 1.0, 2)).isGreaterThan(PiiMetrics.fBeta(1.0, 0.5, 2));
        assertThat(PiiMetrics.fBeta(0, 0, 2)).isZero();
    }

    @Test
    void predictions_on_an_ignored_gold_type_count_neither_way() {
        PiiMetrics m = new PiiMetrics(0.5);
        m.add(
                List.of(s(0, 5, "PERSON")),
                List.of(s(10, 20, "GPE")),
                List.of(s(0, 5, "PERSON"), s(10, 20, "LOCATION"), s(30, 35, "X")));
        assertThat(m.goldCount()).isEqualTo(1);
        assertThat(m.predictedCount()).isEqualTo(2);
        assertThat(m.precision()).isEqualTo(0.5);
    }

    @TempDir
    Path dir;

    @Test
    void the_pii_command_prints_the_metrics_as_its_last_line() throws Exception {
        String row = "{\"id\":1,\"text\":\"Mail ana@example.com or call +44 20 7946 0958.\",\"spans\":["
                + "{\"start\":5,\"end\":20,\"type\":\"EMAIL_ADDRESS\",\"value\":\"ana@example.com\"},"
                + "{\"start\":29,\"end\":45,\"type\":\"PHONE_NUMBER\",\"value\":\"+44 20 7946 0958\"}]}\n"
                + "{\"id\":2,\"text\":\"How long does a refund take?\",\"spans\":[]}\n";
        Path data = Files.writeString(dir.resolve("pii.jsonl"), row);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int status = EvalCli.run(
                new String[] {"pii", "--data", data.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(status).isZero();
        String[] lines = out.toString(StandardCharsets.UTF_8).strip().split("\n");
        JsonNode json = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertThat(json.path("texts").asInt()).isEqualTo(2);
        assertThat(json.path("recall").asDouble()).isEqualTo(1.0);
        assertThat(json.path("precision").asDouble()).isEqualTo(1.0);
        assertThat(json.path("f2_iou90").asDouble()).isEqualTo(1.0);
        assertThat(json.path("per_type_recall").path("PHONE_NUMBER").asDouble()).isEqualTo(1.0);
        assertThat(json.has("latency_ms_mean")).isTrue();
        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("ana@example.com");

        assertThat(EvalCli.run(
                        new String[] {"pii"},
                        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8)))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("missing required option --data");
    }
}
