package dev.opencx.eval;

import dev.opencx.knowledge.lucene.OfflineRuntime;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The evaluation command line: {@code java -jar opencx-eval.jar <command> [options]}. Each command
 * prints progress on stderr and, as its last stdout line, one JSON object with its metrics.
 *
 * <p>Exit status: 0 success, 1 failure, 2 usage error.
 */
public final class EvalCli {

    private EvalCli() {}

    /** The commands, by name, in help order. Add new commands here. */
    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        for (Command c : List.<Command>of(
                new RetrievalCommand(),
                new CalibrateCommand(),
                new FrustrationCommand(),
                new HumanRequestCommand(),
                new PiiCommand(),
                new IntentsCommand(),
                new OpenApiCommand(),
                new EmailReplyCommand(),
                new SplitCommand())) {
            m.put(c.name(), c);
        }
        return m;
    }

    public static void main(String[] args) {
        // DJL (under the in-process embedding models) warns when it finds a CUDA runtime it cannot use
        if (System.getProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.ai.djl.util.cuda.CudaUtils", "error");
        }
        OfflineRuntime.apply(); // no DJL telemetry: some commands create LangChain4j's models directly
        // the OpenAPI importer logs a line per document; the openapi command prints its own progress
        if (System.getProperty("org.slf4j.simpleLogger.log.dev.opencx.action.openapi") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.dev.opencx.action.openapi", "warn");
        }
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the CLI and returns its exit status (for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (args.length == 0) {
            err.println("error: no command given");
            err.print(usage(commands));
            return 2;
        }
        if (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage(commands));
            return 0;
        }
        Command command = commands.get(args[0]);
        if (command == null) {
            err.println("error: unknown command: " + args[0]);
            err.print(usage(commands));
            return 2;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (rest.contains("--help") || rest.contains("-h")) {
            out.print(commandUsage(command));
            return 0;
        }
        try {
            Args parsed = Args.parse(rest, command.valueOptions(), command.flagOptions());
            return command.run(parsed, out, err);
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.print(commandUsage(command));
            return 2;
        } catch (Exception e) {
            err.println("error: " + e);
            return 1;
        }
    }

    static String usage(Map<String, Command> commands) {
        StringBuilder sb = new StringBuilder("usage: java -jar opencx-eval.jar <command> [options]\n\ncommands:\n");
        commands.values().forEach(c -> sb.append(String.format("  %-12s %s%n", c.name(), c.summary())));
        sb.append("\nRun '<command> --help' for its options.\n");
        return sb.toString();
    }

    static String commandUsage(Command c) {
        return "usage: java -jar opencx-eval.jar " + c.name() + " [options]\n" + c.summary() + "\n\noptions:\n"
                + c.usage();
    }
}
