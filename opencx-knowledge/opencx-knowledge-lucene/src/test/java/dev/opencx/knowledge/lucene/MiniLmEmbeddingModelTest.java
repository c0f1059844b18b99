package dev.opencx.knowledge.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.opencx.knowledge.CachingEmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.Test;

class MiniLmEmbeddingModelTest {

    @Test
    void gives_the_same_vectors_as_langchain4j_model_one_by_one_and_in_batches() {
        List<String> texts = List.of("where is my parcel?", "how do I return these shoes", "¿puedo cambiar la talla?");
        try (MiniLmEmbeddingModel model =
                MiniLmEmbeddingModel.builder().intraOpThreads(2).batchThreads(2).build()) {
            List<Embedding> batch = model.embedAll(
                            texts.stream().map(TextSegment::from).toList())
                    .content();
            for (int i = 0; i < texts.size(); i++) {
                float[] reference =
                        Models.miniLm().embed(texts.get(i)).content().vector();
                float[] one = model.embed(texts.get(i)).content().vector();
                assertThat(cosine(one, reference)).as(texts.get(i)).isGreaterThan(0.9999);
                assertThat(cosine(batch.get(i).vector(), reference)).isGreaterThan(0.9999);
            }
            assertThat(model.dimension()).isEqualTo(384);
        }
    }

    @Test
    void indexes_built_with_either_model_open_with_the_other() {
        try (MiniLmEmbeddingModel model = MiniLmEmbeddingModel.builder().build()) {
            assertThat(model.modelName())
                    .isEqualTo(CachingEmbeddingModel.wrap(Models.miniLm(), 1).modelName())
                    .isEqualTo(CachingEmbeddingModel.wrap(model, 1).modelName())
                    .isEqualTo(MiniLmEmbeddingModel.MODEL_NAME);
        }
    }

    @Test
    void builder_rejects_bad_thread_counts_naming_the_value() {
        assertThatThrownBy(() -> MiniLmEmbeddingModel.builder().intraOpThreads(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("intraOpThreads must be 1..64, was 0");
        assertThatThrownBy(() -> MiniLmEmbeddingModel.builder().batchThreads(65))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("batchThreads must be 1..64, was 65");
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }
}
