package dev.opencx.examples.llm;

import dev.opencx.examples.quickstart.Quickstart;
import dev.opencx.responder.llm.LlmResponder;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The quickstart's Northwind Outfitters agent (same help center, scenarios, topics, inbox) answering
 * with a language model: OpenAI, Anthropic or Ollama, whichever the environment configures (see
 * {@link LlmProvider}). Type as a customer; {@code /why} shows what the model saw, each model call
 * and its tokens.
 *
 * <pre>
 * OPENAI_API_KEY=sk-... java -jar examples/llm/target/opencx-llm.jar [--provider openai|anthropic|ollama] [--model NAME] [--data-dir DIR]
 * </pre>
 */
public final class LlmExample {
    static final String PERSONA = "You are Nora, the support assistant of Northwind Outfitters, an online outdoor-gear"
            + " store. You are warm, brief and precise.";

    private LlmExample() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.getenv(), System.in, System.out, System.err, System.console() != null));
    }

    /** Runs the example; returns the exit code (2 for bad usage or no model configured). */
    static int run(
            String[] args,
            Map<String, String> env,
            InputStream in,
            PrintStream out,
            PrintStream err,
            boolean interactive)
            throws Exception {
        String provider = null;
        String model = null;
        Path dataDir = Path.of("opencx-llm-data");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("-h") || a.equals("--help")) {
                out.println(USAGE);
                out.println(LlmProvider.HOW_TO);
                return 0;
            }
            if (!a.equals("--provider") && !a.equals("--model") && !a.equals("--data-dir")) {
                err.println("opencx-llm: unknown option '" + a + "'");
                err.println(USAGE);
                return 2;
            }
            if (i + 1 >= args.length) {
                err.println("opencx-llm: " + a + " needs a value");
                return 2;
            }
            String v = args[++i];
            switch (a) {
                case "--provider" -> provider = v;
                case "--model" -> model = v;
                default -> dataDir = Path.of(v);
            }
        }
        Optional<LlmProvider> selected;
        try {
            selected = LlmProvider.select(env, provider, model);
        } catch (IllegalArgumentException e) {
            err.println("opencx-llm: " + e.getMessage());
            err.println(LlmProvider.HOW_TO);
            return 2;
        }
        if (selected.isEmpty()) {
            err.println(LlmProvider.HOW_TO);
            return 2;
        }
        LlmProvider p = selected.get();
        LlmResponder.Builder responder =
                LlmResponder.builder().chatModel(p.chatModel()).persona(PERSONA);
        return Quickstart.run(dataDir, in, out, interactive, responder, p.label());
    }

    static final String USAGE =
            "usage: java -jar opencx-llm.jar [--provider openai|anthropic|ollama] [--model NAME] [--data-dir DIR]";
}
