package dev.opencx.knowledge.lucene;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the in-process embedding runtime off the network: the libraries under the in-process models
 * (DJL's tokenizer, ONNX Runtime) would otherwise reach out on their own.
 *
 * <ul>
 *   <li>DJL reports usage when a tokenizer is created: it asks the EC2 metadata endpoint ({@code
 *       169.254.169.254}) for the instance id and region and, on EC2, sends them to an S3 bucket.
 *       {@link #apply()} sets DJL's documented opt-out, the system property {@value
 *       #DJL_TRACKING_OPT_OUT}{@code =true}.
 *   <li>On a machine with a CUDA GPU, DJL's tokenizer would download a CUDA build of its native
 *       library from {@code publish.djl.ai}. The in-process models tokenize on the CPU, so {@link
 *       #apply()} sets {@value #DJL_TOKENIZER_FLAVOR}{@code =cpu}: the CPU library inside the jar is
 *       used.
 *   <li>Official Windows builds of ONNX Runtime send telemetry events through Windows; {@link
 *       MiniLmEmbeddingModel} turns them off on the ONNX Runtime environment it uses.
 * </ul>
 *
 * <p>Each property is set only when neither the system property nor the environment variable of
 * the same name is set: a user who sets {@code OPT_OUT_TRACKING=false} (either way) keeps DJL's
 * telemetry, and a user who sets {@code RUST_FLAVOR} keeps their choice. {@link
 * MiniLmEmbeddingModel} and {@link LuceneKnowledgeStore} call {@link #apply()} when their classes
 * load; call it yourself before creating any other DJL-based model (for example LangChain4j's
 * {@code AllMiniLmL6V2QuantizedEmbeddingModel}) ahead of those classes.
 *
 * <pre>{@code
 * OfflineRuntime.apply();
 * EmbeddingModel model = new BgeSmallEnV15QuantizedEmbeddingModel();
 * }</pre>
 *
 * <p>DJL also probes for a GPU (through the CUDA runtime library, if one is installed) when its
 * tokenizer loads; that is local, but on a machine with the CUDA runtime and no usable driver it
 * logs a warning from the logger {@code ai.djl.util.cuda.CudaUtils}, which you may set to {@code
 * ERROR}.
 */
public final class OfflineRuntime {

    /** DJL's documented switch for its usage tracking (environment variable or system property). */
    public static final String DJL_TRACKING_OPT_OUT = "OPT_OUT_TRACKING";

    /** DJL's switch for the native tokenizer build (environment variable or system property). */
    public static final String DJL_TOKENIZER_FLAVOR = "RUST_FLAVOR";

    private static final Logger LOG = LoggerFactory.getLogger(OfflineRuntime.class);
    private static final Map<String, String> OURS = new HashMap<>(); // what apply() set, under the class lock

    private OfflineRuntime() {}

    /**
     * Sets DJL's opt-outs unless the user configured them. Idempotent and cheap (two system
     * properties); loads no native code.
     */
    public static synchronized void apply() {
        apply(System::getenv);
    }

    /** {@link #apply()} with the environment given; returns the properties it set, for tests. */
    static synchronized Set<String> apply(Function<String, String> environment) {
        Set<String> set = new TreeSet<>();
        for (String[] setting : new String[][] {{DJL_TRACKING_OPT_OUT, "true"}, {DJL_TOKENIZER_FLAVOR, "cpu"}}) {
            String configured = configured(setting[0], environment);
            if (configured == null) {
                System.setProperty(setting[0], setting[1]);
                set.add(setting[0]);
                OURS.put(setting[0], setting[1]);
                LOG.debug("Set DJL's {}={} (no network from the in-process runtime)", setting[0], setting[1]);
            } else if (!configured.equals("system property " + setting[0] + "=" + OURS.get(setting[0]))) {
                LOG.debug("Left DJL's {} as configured ({})", setting[0], configured);
            }
        }
        return set;
    }

    /**
     * Turns off ONNX Runtime's telemetry events (only official Windows builds send any) on the
     * environment. Failures are logged, never thrown: the model works either way.
     */
    static void disableOnnxTelemetry(OrtEnvironment environment) {
        try {
            environment.setTelemetry(false);
        } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
            LOG.debug("Could not turn off ONNX Runtime telemetry: {}", e.toString());
        }
    }

    private static String configured(String key, Function<String, String> environment) {
        String fromEnvironment = environment.apply(key);
        if (fromEnvironment != null) {
            return "environment variable " + key + "=" + fromEnvironment;
        }
        String fromProperty = System.getProperty(key);
        return fromProperty == null ? null : "system property " + key + "=" + fromProperty;
    }
}
