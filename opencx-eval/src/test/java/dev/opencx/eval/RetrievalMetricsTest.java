package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {
    @Test
    void computes_ranking_metrics() {
        RetrievalMetrics m = new RetrievalMetrics();
        m.add(List.of("a", "b", "c"), Set.of("a"), 1); // hit at 1
        m.add(List.of("x", "b", "y"), Set.of("b", "z"), 3); // hit at 2, one of two relevant
        assertThat(m.queries()).isEqualTo(2);
        assertThat(m.pAt1()).isEqualTo(0.5);
        assertThat(m.mrrAt10()).isEqualTo((1 + 0.5) / 2);
        double ndcg2 = (1 / (Math.log(3) / Math.log(2))) / (1 + 1 / (Math.log(3) / Math.log(2)));
        assertThat(m.ndcgAt10()).isCloseTo((1 + ndcg2) / 2, within(1e-9));
        assertThat(m.recallAt5()).isEqualTo((1 + 0.5) / 2);
        assertThat(m.latencyMs(0.5)).isEqualTo(1);
        assertThat(m.latencyMs(0.99)).isEqualTo(3);
    }

    @Test
    void a_miss_scores_zero() {
        RetrievalMetrics m = new RetrievalMetrics();
        m.add(List.of(), Set.of("a"), 1);
        assertThat(m.pAt1()).isZero();
        assertThat(m.ndcgAt10()).isZero();
    }
}
