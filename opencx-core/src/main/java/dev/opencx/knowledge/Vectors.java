package dev.opencx.knowledge;

/** Small vector helpers for embedding similarity. */
public final class Vectors {
    private Vectors() {}

    /** A unit-length copy (a zero vector stays zero). */
    public static float[] normalized(float[] v) {
        double n = 0;
        for (float x : v) {
            n += x * x;
        }
        float[] out = v.clone();
        if (n == 0) {
            return out;
        }
        float inv = (float) (1 / Math.sqrt(n));
        for (int i = 0; i < out.length; i++) {
            out[i] *= inv;
        }
        return out;
    }

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vector dimensions differ: " + a.length + " vs " + b.length);
        }
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Cosine similarity of two vectors of any length. */
    public static double cosine(float[] a, float[] b) {
        return dot(normalized(a), normalized(b));
    }
}
