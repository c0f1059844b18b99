package dev.opencx.autopilot;

import dev.opencx.autopilot.LexicalFeatures.Sparse;
import java.util.Random;

/**
 * Multinomial logistic regression over a dense part (a sentence embedding) and a sparse part
 * (lexical features), with L2 regularization, trained by mini-batch Adam. Sparse weight rows are
 * updated lazily (only the features present in a batch move, as in LazyAdam), which keeps an epoch
 * over 10,000 texts well under a second. Training is deterministic for a given seed: one thread,
 * a seeded shuffle, zero initialization.
 *
 * <p>Immutable once trained; {@link #logits} is thread-safe.
 */
final class SoftmaxRegression {

    /** Training settings. */
    record Settings(double l2, double learningRate, int batchSize, int minSteps, int maxEpochs, long seed) {}

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
        final double beta1 = 0.9;
        final double beta2 = 0.999;
        final double eps = 1e-8;

        int batch = Math.min(st.batchSize(), Math.max(1, n));
        int batchesPerEpoch = (n + batch - 1) / batch;
        int epochs = Math.max(1, Math.min(st.maxEpochs(), (st.minSteps() + batchesPerEpoch - 1) / batchesPerEpoch));
        int totalSteps = epochs * batchesPerEpoch;
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random random = new Random(st.seed());
        float[][] gw = new float[classes][d];
        float[] gb = new float[classes];
        float[][] gs = new float[sparseDim][];
        int[] touched = new int[sparseDim];
        int[] mark = new int[sparseDim]; // step + 1 when the feature is in the current batch
        double[] z = new double[classes];
        int step = 0;
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start < n; start += batch) {
                int end = Math.min(n, start + batch);
                int touchedCount = 0;
                for (float[] row : gw) {
                    java.util.Arrays.fill(row, 0);
                }
                java.util.Arrays.fill(gb, 0);
                for (int k = start; k < end; k++) {
                    int ex = order[k];
                    logits(w, ws, b, x[ex], s[ex], z);
                    softmaxInPlace(z);
                    z[y[ex]] -= 1; // gradient of the cross-entropy wrt the logits
                    float[] xe = x[ex];
                    for (int c = 0; c < classes; c++) {
                        float g = (float) z[c];
                        gb[c] += g;
                        float[] gwc = gw[c];
                        for (int j = 0; j < d; j++) {
                            gwc[j] += g * xe[j];
                        }
                    }
                    Sparse se = s[ex];
                    for (int q = 0; q < se.index().length; q++) {
                        int f = se.index()[q];
                        float v = se.value()[q];
                        float[] gf = gs[f];
                        if (gf == null) {
                            gf = new float[classes];
                            gs[f] = gf;
                        }
                        if (mark[f] != step + 1) {
                            mark[f] = step + 1;
                            touched[touchedCount++] = f;
                        }
                        for (int c = 0; c < classes; c++) {
                            gf[c] += (float) (z[c] * v);
                        }
                    }
                }
                step++;
                double progress = (double) (step - 1) / totalSteps;
                double lr = st.learningRate() * (1 - 0.9 * progress); // linear decay to a tenth
                double c1 = 1 - Math.pow(beta1, step);
                double c2 = 1 - Math.pow(beta2, step);
                double a = lr * Math.sqrt(c2) / c1;
                float inv = 1f / (end - start);
                float l2 = (float) st.l2();
                for (int c = 0; c < classes; c++) {
                    float[] wc = w[c];
                    float[] gwc = gw[c];
                    float[] mc = mw[c];
                    float[] vc = vw[c];
                    for (int j = 0; j < d; j++) {
                        float g = gwc[j] * inv + l2 * wc[j];
                        mc[j] = (float) (beta1 * mc[j] + (1 - beta1) * g);
                        vc[j] = (float) (beta2 * vc[j] + (1 - beta2) * g * g);
                        wc[j] -= (float) (a * mc[j] / (Math.sqrt(vc[j]) + eps));
                    }
                    float g = gb[c] * inv;
                    mb[c] = (float) (beta1 * mb[c] + (1 - beta1) * g);
                    vb[c] = (float) (beta2 * vb[c] + (1 - beta2) * g * g);
                    b[c] -= (float) (a * mb[c] / (Math.sqrt(vb[c]) + eps));
                }
                for (int q = 0; q < touchedCount; q++) {
                    int f = touched[q];
                    float[] gf = gs[f];
                    float[] wf = ws[f];
                    if (ms[f] == null) {
                        ms[f] = new float[classes];
                        vs[f] = new float[classes];
                    }
                    float[] mf = ms[f];
                    float[] vf = vs[f];
                    for (int c = 0; c < classes; c++) {
                        float g = gf[c] * inv + l2 * wf[c];
                        mf[c] = (float) (beta1 * mf[c] + (1 - beta1) * g);
                        vf[c] = (float) (beta2 * vf[c] + (1 - beta2) * g * g);
                        wf[c] -= (float) (a * mf[c] / (Math.sqrt(vf[c]) + eps));
                        gf[c] = 0;
                    }
                }
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
