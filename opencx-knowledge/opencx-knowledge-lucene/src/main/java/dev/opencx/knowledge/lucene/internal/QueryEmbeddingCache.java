package dev.opencx.knowledge.lucene.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/** A small synchronized LRU of query embeddings. Internal: not an API. */
public final class QueryEmbeddingCache {
    private final int capacity;
    private final Map<String, float[]> map;

    public QueryEmbeddingCache(int capacity) {
        this.capacity = capacity;
        this.map = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > QueryEmbeddingCache.this.capacity;
            }
        };
    }

    /** The cached vector for {@code text}, computing it (outside the lock) when absent. */
    public float[] get(String text, Function<String, float[]> embed) {
        if (capacity == 0) {
            return embed.apply(text);
        }
        synchronized (map) {
            float[] v = map.get(text);
            if (v != null) {
                return v;
            }
        }
        float[] v = embed.apply(text);
        synchronized (map) {
            map.put(text, v);
        }
        return v;
    }
}
