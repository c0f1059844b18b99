package dev.opencx.topics;

import dev.opencx.topics.LexicalFeatures.Sparse;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Multinomial logistic regression over a dense part (a sentence embedding) and a sparse part
 * (lexical features), with L2 regularization, trained by mini-batch Adam. Sparse weight rows are
 * updated lazily (only the features present in a batch move, as in LazyAdam), which keeps an epoch
 * over 10,000 texts around a second. Batches are computed in parallel, split by example for the
 * forward pass, by class for the dense weights and by feature for the sparse ones, so every number is computed by one thread
 * in a fixed order: training is deterministic for a given seed (a seeded shuffle, zero
 * initialization) whatever the number of cores.
 *
 * <p>Immutable once trained; {@link #logits} is thread-safe.
 */
final class SoftmaxRegression {

    /** Training settings. */
    record Settings(double l2, double learningRate, int batchSize, int minSteps, int maxEpochs, long seed) {}

    private static final float B1 = 0.9f;
    private static final float B2 = 0.999f;
    private static final float EPS = 1e-8f;

    private final int classes;
    private final float[][] dense; // [class][dim]
    private final float[][] sparse; // [feature][class]
    private final float[] bias;

    private SoftmaxRegression(float[][] dense, float[][] sparse, float[] bias) {
        this.classes = bias.length;
        this.dense = dense;
        this.sparse = sparse;
        this.bias = bias;
    }

    /**
     * Trains a model.
     *
     * @param x dense features, one row per example (all of one length)
     * @param s sparse features, one per example, indices below {@code sparseDim}
     * @param y class of each example, in [0, classes)
     */
    static SoftmaxRegression train(float[][] x, Sparse[] s, int[] y, int classes, int sparseDim, Settings st) {
        int n = x.length;
        int d = n == 0 ? 0 : x[0].length;
        float[][] w = new float[classes][d];
        float[][] ws = new float[sparseDim][classes];
        float[] b = new float[classes];
        // Adam state
        float[][] mw = new float[classes][d];
        float[][] vw = new float[classes][d];
        float[][] ms = new float[sparseDim][];
        float[][] vs = new float[sparseDim][];
        float[] mb = new float[classes];
        float[] vb = new float[classes];
        final double beta1 = B1;
        final double beta2 = B2;

        int batch = Math.min(st.batchSize(), Math.max(1, n));
        int batchesPerEpoch = (n + batch - 1) / batch;
        int epochs = Math.max(1, Math.min(st.maxEpochs(), (st.minSteps() + batchesPerEpoch - 1) / batchesPerEpoch));
        int totalSteps = epochs * batchesPerEpoch;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(st.seed());
        float[][] gs = new float[sparseDim][]; // gradient rows, allocated on first use
        int[] touched = new int[sparseDim];
        int[] mark = new int[sparseDim]; // step + 1 when the feature is in the current batch
        double[][] z = new double[batch][classes];
        // work is split by example (forward) or by class (gradient, update): every cell is written
        // by one thread in a fixed order, so the result does not depend on the thread count
        int parts = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
        int[] classFrom = new int[parts + 1];
        for (int p = 0; p <= parts; p++) {
            classFrom[p] = p * classes / parts;
        }
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += batch) {
                final int from = start;
                final int end = Math.min(n, start + batch);
                final int size = end - start;
                IntStream.range(0, parts).parallel().forEach(p -> {
                    for (int k = from + p; k < end; k += parts) {
                        int ex = order[k];
                        double[] zk = z[k - from];
                        logits(w, ws, b, x[ex], s[ex], zk);
                        softmaxInPlace(zk);
                        zk[y[ex]] -= 1; // gradient of the cross-entropy wrt the logits
                    }
                });
                int touchedCount = 0;
                for (int k = from; k < end; k++) {
                    for (int f : s[order[k]].index()) {
                        if (mark[f] != step + 1) {
                            mark[f] = step + 1;
                            touched[touchedCount++] = f;
                            if (gs[f] == null) {
                                gs[f] = new float[classes];
                                ms[f] = new float[classes];
                                vs[f] = new float[classes];
                            }
                        }
                    }
                }
                step++;
                double progress = (double) (step - 1) / totalSteps;
                double lr = st.learningRate() * (1 - 0.9 * progress); // linear decay to a tenth
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                final float a = (float) (lr * Math.sqrt(c2) / c1);
                final float inv = 1f / size;
                final float l2 = (float) st.l2();
                final int nTouched = touchedCount;
                IntStream.range(0, parts).parallel().forEach(p -> {
                    float[] g = new float[d];
                    for (int c = classFrom[p]; c < classFrom[p + 1]; c++) {
                        java.util.Arrays.fill(g, 0);
                        float gbc = 0;
                        for (int k = 0; k < size; k++) {
                            float zc = (float) z[k][c];
                            if (zc == 0) {
                                continue;
                            }
                            gbc += zc;
                            float[] xe = x[order[from + k]];
                            for (int j = 0; j < d; j++) {
                                g[j] += zc * xe[j];
                            }
                        }
                        float[] wc = w[c];
                        float[] mc = mw[c];
                        float[] vc = vw[c];
                        for (int j = 0; j < d; j++) {
                            float gj = g[j] * inv + l2 * wc[j];
                            mc[j] = B1 * mc[j] + (1 - B1) * gj;
                            vc[j] = B2 * vc[j] + (1 - B2) * gj * gj;
                            wc[j] -= a * mc[j] / ((float) Math.sqrt(vc[j]) + EPS);
                        }
                        float gb = gbc * inv;
                        mb[c] = B1 * mb[c] + (1 - B1) * gb;
                        vb[c] = B2 * vb[c] + (1 - B2) * gb * gb;
                        b[c] -= a * mb[c] / ((float) Math.sqrt(vb[c]) + EPS);
                    }
                });
                IntStream.range(0, parts).parallel().forEach(p -> {
                    for (int k = 0; k < size; k++) {
                        Sparse se = s[order[from + k]];
                        double[] zk = z[k];
                        for (int q = 0; q < se.index().length; q++) {
                            int f = se.index()[q];
                            if (f % parts != p) {
                                continue;
                            }
                            float v = se.value()[q];
                            float[] gf = gs[f];
                            for (int c = 0; c < classes; c++) {
                                gf[c] += (float) (zk[c] * v);
                            }
                        }
                    }
                    for (int q = 0; q < nTouched; q++) {
                        int f = touched[q];
                        if (f % parts != p) {
                            continue;
                        }
                        float[] gf = gs[f];
                        float[] wf = ws[f];
                        float[] mf = ms[f];
                        float[] vf = vs[f];
                        for (int c = 0; c < classes; c++) {
                            float g = gf[c] * inv + l2 * wf[c];
                            mf[c] = B1 * mf[c] + (1 - B1) * g;
                            vf[c] = B2 * vf[c] + (1 - B2) * g * g;
                            wf[c] -= a * mf[c] / ((float) Math.sqrt(vf[c]) + EPS);
                            gf[c] = 0;
                        }
                    }
                });
            }
        }
        return new SoftmaxRegression(w, ws, b);
    }

    int classes() {
        return classes;
    }

    /** The logits of one example into {@code out}. */
    void logits(float[] x, Sparse s, double[] out) {
        logits(dense, sparse, bias, x, s, out);
    }

    private static void logits(float[][] w, float[][] ws, float[] b, float[] x, Sparse s, double[] out) {
        for (int c = 0; c < b.length; c++) {
            float[] wc = w[c];
            double acc = b[c];
            for (int j = 0; j < x.length; j++) {
                acc += wc[j] * x[j];
            }
            out[c] = acc;
        }
        for (int q = 0; q < s.index().length; q++) {
            float[] wf = ws[s.index()[q]];
            float v = s.value()[q];
            for (int c = 0; c < b.length; c++) {
                out[c] += wf[c] * v;
            }
        }
    }

    /** Softmax of {@code z / temperature}, in place. */
    static void softmaxInPlace(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            z[i] = Math.exp(z[i] - max);
            sum += z[i];
        }
        for (int i = 0; i < z.length; i++) {
            z[i] /= sum;
        }
    }
}
