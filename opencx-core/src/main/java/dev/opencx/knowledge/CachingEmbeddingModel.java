package dev.opencx.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link EmbeddingModel} that remembers the embeddings of recent texts. One customer message is
 * embedded by several steps of a turn (scenario match, topic classification, knowledge search);
 * share one instance between them (and with the knowledge store) so the model runs once.
 *
 * <pre>{@code
 * EmbeddingModel model = CachingEmbeddingModel.wrap(new AllMiniLmL6V2QuantizedEmbeddingModel(), 10_000);
 * }</pre>
 *
 * Thread-safe. Batches ({@code embedAll}) compute only the texts not in the cache, in one call.
 */
public final class CachingEmbeddingModel implements EmbeddingModel {
    private final EmbeddingModel delegate;
    private final Map<String, Embedding> cache;

    private CachingEmbeddingModel(EmbeddingModel delegate, int maxEntries) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxEntries < 1) {
            throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        }
        this.cache = new LinkedHashMap<>(256, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Embedding> eldest) {
                return size() > maxEntries;
            }
        };
    }

    /** Wraps a model (a model that is already caching is returned as is). */
    public static CachingEmbeddingModel wrap(EmbeddingModel model, int maxEntries) {
        if (model instanceof CachingEmbeddingModel c) {
            return c;
        }
        return new CachingEmbeddingModel(model, maxEntries);
    }

    /** The wrapped model. */
    public EmbeddingModel delegate() {
        return delegate;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        Embedding[] out = new Embedding[segments.size()];
        List<TextSegment> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        synchronized (cache) {
            for (int i = 0; i < segments.size(); i++) {
                Embedding e = cache.get(segments.get(i).text());
                if (e != null) {
                    out[i] = e;
                } else {
                    missing.add(segments.get(i));
                    missingAt.add(i);
                }
            }
        }
        if (!missing.isEmpty()) {
            List<Embedding> computed = delegate.embedAll(missing).content();
            synchronized (cache) {
                for (int j = 0; j < computed.size(); j++) {
                    out[missingAt.get(j)] = computed.get(j);
                    cache.put(missing.get(j).text(), computed.get(j));
                }
            }
        }
        return Response.from(List.of(out));
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    /** The wrapped model's name, or its class name when it does not know its name. */
    @Override
    public String modelName() {
        String name = delegate.modelName();
        return name == null || name.isBlank() || name.equalsIgnoreCase("unknown")
                ? delegate.getClass().getName()
                : name;
    }
}
