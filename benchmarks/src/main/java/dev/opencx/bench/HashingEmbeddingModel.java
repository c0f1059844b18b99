package dev.opencx.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import dev.opencx.knowledge.Vectors;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic, cheap stand-in for a sentence embedding model: a bag of words, each word hashed
 * to one of 384 dimensions with a hashed sign, normalised to unit length. Texts sharing words are
 * similar, so topics, scenarios and hybrid search behave plausibly, at a few microseconds per text
 * instead of the milliseconds a real model takes. For load tests of everything around the model;
 * never for quality figures.
 */
public final class HashingEmbeddingModel implements EmbeddingModel {
    /** The dimension, the same as MiniLM's. */
    public static final int DIMENSION = 384;

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        return Response.from(
                segments.stream().map(s -> Embedding.from(vector(s.text()))).toList());
    }

    static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        v[0] = 1e-6f; // no words: still a direction (cosine similarity is undefined for zero)
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                int h = w.hashCode() * 0x9E3779B9;
                v[Math.floorMod(h, DIMENSION)] += (h & 0x8000_0000) == 0 ? 1 : -1;
            }
        }
        return Vectors.normalized(v);
    }

    @Override
    public int dimension() {
        return DIMENSION;
    }

    @Override
    public String modelName() {
        return "hashing-bag-of-words-384";
    }
}
