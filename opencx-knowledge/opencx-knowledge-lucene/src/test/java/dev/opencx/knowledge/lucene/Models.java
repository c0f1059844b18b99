package dev.opencx.knowledge.lucene;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** One MiniLM per test JVM (loading it takes seconds), and a counting wrapper. */
final class Models {
    private static EmbeddingModel miniLm;

    private Models() {}

    static synchronized EmbeddingModel miniLm() {
        if (miniLm == null) {
            miniLm = new AllMiniLmL6V2QuantizedEmbeddingModel();
        }
        return miniLm;
    }

    /** Counts the texts it embeds. */
    static final class Counting implements EmbeddingModel {
        final AtomicInteger texts = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        private final EmbeddingModel delegate;
        private final String name;

        Counting(EmbeddingModel delegate, String name) {
            this.delegate = delegate;
            this.name = name;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            calls.incrementAndGet();
            texts.addAndGet(segments.size());
            return delegate.embedAll(segments);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }

        @Override
        public String modelName() {
            return name;
        }
    }
}
