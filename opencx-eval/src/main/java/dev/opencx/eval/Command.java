package dev.opencx.eval;

import java.io.PrintStream;
import java.util.Set;

/**
 * One subcommand of {@link EvalCli}. To add one, implement this interface and register it in {@link
 * EvalCli#commands()}.
 */
public interface Command {

    /** The word that selects the command ({@code retrieval}). */
    String name();

    /** One line for the command list. */
    String summary();

    /** The options, one a line, for {@code <command> --help}. */
    String usage();

    /** Names (without dashes) of the options that take a value. */
    Set<String> valueOptions();

    /** Names (without dashes) of the options that take no value. */
    default Set<String> flagOptions() {
        return Set.of();
    }

    /**
     * Runs the command. Results go to {@code out} (the last line is one JSON object), progress to
     * {@code err}.
     *
     * @param args the parsed options, never null
     * @return the exit status (0 on success)
     * @throws UsageException when the options are wrong
     * @throws Exception on any other failure (the CLI reports it and exits with status 1)
     */
    int run(Args args, PrintStream out, PrintStream err) throws Exception;
}
