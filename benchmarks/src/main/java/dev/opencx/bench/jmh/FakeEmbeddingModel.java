package dev.opencx.bench.jmh;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A constant-time stand-in for an embedding model: a 384-dimension unit vector derived from the
 * text's hash. Lets benchmarks measure OpenCX's own overhead around the model.
 */
public final class FakeEmbeddingModel implements EmbeddingModel {
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
        SplittableRandom r = new SplittableRandom(text.hashCode());
        float[] v = new float[DIMENSION];
        double norm = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextDouble() - 0.5);
            norm += v[i] * v[i];
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
        return "fake-constant-time";
    }
}
