package dev.opencx.bench;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
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
        List<Embedding> out = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            out.add(Embedding.from(vector(s.text())));
        }
        return Response.from(out);
    }

    static float[] vector(String text) {
        float[] v = new float[DIMENSION];
        for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (w.isEmpty()) {
                continue;
            }
            int h = w.hashCode() * 0x9E3779B9;
            v[Math.floorMod(h, DIMENSION)] += (h & 0x8000_0000) == 0 ? 1 : -1;
        }
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        if (norm == 0) {
            v[0] = 1; // no words: a fixed unit vector (cosine similarity is undefined for zero)
            return v;
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
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
