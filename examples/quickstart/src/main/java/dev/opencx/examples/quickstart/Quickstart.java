package dev.opencx.examples.quickstart;

import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.AutopilotDecided;
import dev.opencx.event.KnowledgeRetrieved;
import dev.opencx.event.ReplySent;
import dev.opencx.event.ScenarioMatched;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.TopicClassified;
import dev.opencx.helpdesk.inbox.InboxTicket;
import dev.opencx.pipeline.TurnResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The quickstart: chat with Northwind Outfitters' support agent in the terminal. No API keys, no
 * network: embeddings run in-process, the help center is indexed with Lucene, conversations are
 * stored in SQLite, handoffs go to the built-in inbox.
 *
 * <p>Type as a customer. Lines starting with {@code /} are commands ({@code /help}). When standard
 * input is not a terminal, each line is one customer message (or command) and each outcome is
 * printed, so the agent can be scripted: {@code java -jar opencx-quickstart.jar < script.txt}.
 */
public final class Quickstart {
    private static final String AGENT = "maria";
    private static final Duration TURN_TIMEOUT = Duration.ofSeconds(60);

    private final PrintStream out;
    private final StoreAgent agent;
    private final AtomicReference<String> lastSession = new AtomicReference<>("");
    private final AtomicInteger customerNo;
    private final ConsoleChannel channel;

    private Quickstart(PrintStream out, StoreAgent agent, ConsoleChannel channel, AtomicInteger customerNo) {
        this.out = out;
        this.agent = agent;
        this.channel = channel;
        this.customerNo = customerNo;
    }

    public static void main(String[] args) throws Exception {
        Path dataDir = Path.of("opencx-quickstart-data");
        int port = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> {
                    if (i + 1 >= args.length) {
                        usage("--data-dir needs a folder");
                    }
                    dataDir = Path.of(args[++i]);
                }
                case "--web" -> port = port < 0 ? DEFAULT_PORT : port;
                case "--port" -> {
                    if (i + 1 >= args.length) {
                        usage("--port needs a number");
                    }
                    try {
                        port = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        port = -2;
                    }
                    if (port < 0 || port > 65535) {
                        usage("--port must be from 0 to 65535, was '" + args[i] + "'");
                    }
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> usage("unknown option '" + args[i] + "'");
            }
        }
        try {
            if (port >= 0) {
                System.exit(runWeb(dataDir, port, System.out));
            }
            System.exit(run(dataDir, System.in, System.out, System.console() != null));
        } catch (RuntimeException e) {
            if (port >= 0 && String.valueOf(e.getMessage()).startsWith("cannot listen")) {
                System.err.println("quickstart: " + e.getMessage() + " (pass --port N to use another port)");
                System.exit(1);
            }
            // a clear line instead of a stack trace: e.g. the folder is used by another running quickstart
            System.err.println(
                    "quickstart: cannot run with data folder " + dataDir.toAbsolutePath() + ": " + rootMessage(e));
            System.err.println("(is another quickstart using this folder? pass --data-dir DIR to use another one)");
            System.exit(1);
        }
    }

    private static void usage(String problem) {
        System.err.println("quickstart: " + problem);
        System.err.println(USAGE);
        System.exit(2);
    }

    private static final String USAGE = String.join(
            System.lineSeparator(),
            "usage: java -jar opencx-quickstart.jar [--data-dir DIR] [--web | --port N]",
            "  --data-dir DIR   where conversations (SQLite) and the search index (Lucene) live",
            "                   (default ./opencx-quickstart-data; kept across runs)",
            "  --web            serve the store page with the chat widget at http://127.0.0.1:8080/",
            "                   and the team inbox at /inbox instead of chatting in the terminal",
            "  --port N         the same on port N (0 picks a free port)",
            "Without --web or --port: type customer messages here; /help lists the commands.");

    /** The web mode's port when only {@code --web} is given. */
    static final int DEFAULT_PORT = 8080;

    /** Runs the web mode until Ctrl+C; returns the exit code. */
    static int runWeb(Path dataDir, int port, PrintStream out) throws Exception {
        out.println("OpenCX quickstart: Northwind Outfitters support in the browser (data in "
                + dataDir.toAbsolutePath() + ")");
        printOldH2Notice(dataDir, out);
        out.println("Loading the embedding model and the help center...");
        long t0 = System.nanoTime();
        StoreWeb web = StoreWeb.start(dataDir, port);
        Runtime.getRuntime().addShutdownHook(new Thread(web::close, "opencx-quickstart-shutdown"));
        out.printf(
                Locale.ROOT,
                "Ready in %.1f s: %s help-center articles%s, %d order actions.%n",
                (System.nanoTime() - t0) / 1e9,
                publishedByLocale(web.agent()),
                web.agent().reindexed() ? " indexed" : " (index reused)",
                web.agent().actions().size());
        web.printBanner(out);
        out.flush();
        web.awaitClose();
        return 0;
    }

    private static void printOldH2Notice(Path dataDir, PrintStream out) {
        String notice = StoreAgent.oldH2Notice(dataDir);
        if (notice != null) {
            out.println(notice);
        }
    }

    /** Runs the quickstart over an input; returns the exit code. */
    static int run(Path dataDir, java.io.InputStream input, PrintStream out, boolean interactive) throws Exception {
        return run(dataDir, input, out, interactive, null, "the embedded responder");
    }

    /**
     * Runs the quickstart's console over an input with a responder of your choice (null for the
     * embedded one); returns the exit code. {@code responderName} is shown in the banner.
     */
    public static int run(
            Path dataDir,
            java.io.InputStream input,
            PrintStream out,
            boolean interactive,
            dev.opencx.responder.ResponderFactory responder,
            String responderName)
            throws Exception {
        out.println("OpenCX quickstart: Northwind Outfitters support with " + responderName + " (data in "
                + dataDir.toAbsolutePath() + ")");
        printOldH2Notice(dataDir, out);
        out.println("Loading the embedding model and the help center...");
        long t0 = System.nanoTime();
        AtomicInteger customerNo = new AtomicInteger(1);
        ConsoleChannel channel = new ConsoleChannel(out, customerIdentity(1));
        AtomicReference<Quickstart> self = new AtomicReference<>();
        try (StoreAgent agent = StoreAgent.start(
                dataDir,
                List.of(channel),
                List.of(r -> {
                    Quickstart q = self.get();
                    if (q != null) {
                        q.onTurn(r);
                    }
                }),
                responder)) {
            Quickstart q = new Quickstart(out, agent, channel, customerNo);
            self.set(q);
            out.printf(
                    Locale.ROOT,
                    "Ready in %.1f s: %s help-center articles%s, %d scenarios, %d order actions (orders API on %s)."
                            + " Type a question (try \"where is my order 1042?\", then \"cancel it\"), or /help.%n",
                    (System.nanoTime() - t0) / 1e9,
                    publishedByLocale(agent),
                    agent.reindexed() ? " indexed" : " (index reused)",
                    StoreAgent.readScenarios().size(),
                    agent.actions().size(),
                    agent.ordersApiAddress());
            BufferedReader in = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8));
            while (true) {
                if (interactive) {
                    out.print("you> ");
                    out.flush();
                }
                String line = in.readLine();
                if (line == null) {
                    break;
                }
                line = line.strip();
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                if (!interactive) {
                    out.println("> " + line);
                }
                if (!q.handle(line)) {
                    break;
                }
            }
            agent.cx().awaitIdle(TURN_TIMEOUT);
        }
        return 0;
    }

    /** Handles one line; false to quit. */
    private boolean handle(String line) {
        if (line.startsWith("/")) {
            return command(line);
        }
        try {
            ReceiveReceipt r = channel.type(line).join();
            lastSession.set(r.sessionId());
        } catch (RuntimeException e) {
            out.println("! not accepted: " + rootMessage(e));
            return true;
        }
        if (!agent.cx().awaitIdle(TURN_TIMEOUT)) {
            out.println("! the agent did not finish within " + TURN_TIMEOUT.toSeconds() + " s");
        }
        return true;
    }

    private void onTurn(TurnResult r) {
        switch (r.outcome()) {
            case HANDED_OFF -> out.printf(
                    Locale.ROOT, "-> handed off to the team inbox: %s (reason %s)%n", r.ticket(), r.reason());
            case FORWARDED -> out.printf(
                    Locale.ROOT,
                    "-> %s belongs to the team: forwarded to the inbox, the AI stays silent%n",
                    r.ticket());
            case FAILED -> out.println("! the turn failed: " + r.explanation());
            default -> {}
        }
    }

    private boolean command(String line) {
        String[] parts = line.split("\\s+", 2);
        String arg = parts.length > 1 ? parts[1].strip() : "";
        switch (parts[0].toLowerCase(Locale.ROOT)) {
            case "/quit", "/exit" -> {
                return false;
            }
            case "/help" -> out.println(String.join(
                    System.lineSeparator(),
                    "  /why             what the AI saw and decided for your last message",
                    "  /inbox           the team inbox queue",
                    "  /agent TEXT      an agent (" + AGENT + ") answers your current session",
                    "  /resolve         the agent resolves your current session",
                    "  /new             start over as a new customer",
                    "  /quit            leave"));
            case "/why" -> why();
            case "/inbox" -> inbox();
            case "/agent" -> {
                if (arg.isEmpty()) {
                    out.println("! usage: /agent TEXT");
                } else {
                    currentTicket()
                            .ifPresentOrElse(
                                    t -> {
                                        try {
                                            agent.inbox().reply(t, AGENT, arg);
                                            agent.cx().awaitIdle(TURN_TIMEOUT);
                                        } catch (RuntimeException e) {
                                            out.println("! " + e.getMessage());
                                        }
                                    },
                                    () -> out.println("! your session is not in the inbox (no handoff yet)"));
                }
            }
            case "/resolve" -> currentTicket()
                    .ifPresentOrElse(
                            t -> {
                                agent.inbox().resolve(t, AGENT);
                                agent.cx().awaitIdle(TURN_TIMEOUT);
                                out.println("-> " + t + " resolved by " + AGENT
                                        + "; your next message opens a new session");
                            },
                            () -> out.println("! your session is not in the inbox (no handoff yet)"));
            case "/new" -> {
                int n = customerNo.incrementAndGet();
                out.println("-> you are now customer " + n + " (a new contact and session)");
                channel.switchCustomer(customerIdentity(n));
                lastSession.set("");
            }
            default -> out.println("! unknown command " + parts[0] + " (try /help)");
        }
        return true;
    }

    private java.util.Optional<TicketNumber> currentTicket() {
        String sid = lastSession.get();
        if (sid.isEmpty()) {
            return java.util.Optional.empty();
        }
        return agent.cx().session(sid).map(Session::ticket).filter(t -> agent.inbox()
                .ticket(t)
                .isPresent());
    }

    private void inbox() {
        List<InboxTicket> q = agent.inbox().queue();
        if (q.isEmpty()) {
            out.println("  (the inbox queue is empty)");
        }
        Instant now = Instant.now();
        for (InboxTicket t : q) {
            out.printf(
                    Locale.ROOT,
                    "  %s  %-18s topic=%-10s waiting %ds  %s%n",
                    t.ticket(),
                    t.reason(),
                    t.topic().isEmpty() ? "-" : t.topic(),
                    t.waiting(now).toSeconds(),
                    t.summary());
        }
    }

    private void why() {
        String sid = lastSession.get();
        if (sid.isEmpty()) {
            out.println("  (no message yet)");
            return;
        }
        List<SessionEvent> events = agent.cx().events(sid);
        int start = 0;
        for (int i = events.size() - 1; i >= 0; i--) {
            if (events.get(i).payload() instanceof dev.opencx.event.MessageReceived) {
                start = i;
                break;
            }
        }
        for (SessionEvent e : events.subList(start, events.size())) {
            var p = e.payload();
            if (p instanceof dev.opencx.event.MessageForwarded) {
                out.println(
                        "  the session belongs to the team: the message was forwarded to the inbox, the AI made no decision");
            }
            if (p instanceof TopicClassified tc) {
                out.printf(
                        Locale.ROOT,
                        "  topic: %s  %s%n",
                        tc.topic().isEmpty() ? "none" : tc.topic(),
                        tc.scores().stream()
                                .limit(3)
                                .map(s -> String.format(Locale.ROOT, "%s=%.2f", s.topic(), s.score()))
                                .toList());
            } else if (p instanceof AutopilotDecided ad) {
                out.println("  autopilot: " + ad.outcome() + (ad.reason() == null ? "" : " (" + ad.reason() + ")")
                        + " - " + ad.explanation());
            } else if (p instanceof ScenarioMatched sm) {
                out.printf(
                        Locale.ROOT,
                        "  scenario: %s (similarity %.2f >= %.2f)%n",
                        sm.scenarioId(),
                        sm.similarity(),
                        sm.threshold());
            } else if (p instanceof KnowledgeRetrieved kr) {
                kr.passages().stream()
                        .limit(3)
                        .forEach(h -> out.printf(
                                Locale.ROOT, "  passage: %-28s %.3f %s%n", h.passageId(), h.score(), h.title()));
            } else if (p instanceof ReplySent rs) {
                out.printf(
                        Locale.ROOT,
                        "  reply: confidence %.2f (threshold %.2f) - %s%n",
                        rs.confidence(),
                        rs.threshold(),
                        rs.explanation());
                if (rs.pending() != null) {
                    out.println("  waiting for: "
                            + (rs.pending().awaitsConfirmation()
                                    ? "a yes or no"
                                    : rs.pending().missing()) + " (until "
                            + rs.pending().expiresAt() + ")");
                }
            } else if (p instanceof dev.opencx.event.ModelCalled mc) {
                out.printf(
                        Locale.ROOT,
                        "  model: %s round %d, %d ms, tokens in/out %s/%s - %s%n",
                        mc.model(),
                        mc.round(),
                        mc.latencyMs(),
                        mc.inputTokens() == null ? "?" : mc.inputTokens(),
                        mc.outputTokens() == null ? "?" : mc.outputTokens(),
                        mc.succeeded() ? "ok" : mc.outcome() + " " + mc.error());
            } else if (p instanceof dev.opencx.event.ToolCalled tc) {
                out.printf(
                        Locale.ROOT,
                        "  tool: %s %s -> %s (%d ms)%n",
                        tc.name(),
                        tc.arguments(),
                        tc.outcome(),
                        tc.latencyMs());
            } else if (p instanceof dev.opencx.event.ActionCalled ac) {
                out.printf(
                        Locale.ROOT,
                        "  action: %s (%s) -> %s%s in %d ms, %d attempt(s): %s%n",
                        ac.action(),
                        ac.trigger(),
                        ac.outcome(),
                        ac.status() == 0 ? "" : " HTTP " + ac.status(),
                        ac.latencyMs(),
                        ac.attempts(),
                        ac.request());
            } else if (p instanceof dev.opencx.event.ActionAnswered aa) {
                out.println("  pending action " + aa.action() + ": " + aa.answer() + " - " + aa.detail());
            } else if (p instanceof dev.opencx.event.HandoffRequested hr) {
                out.println("  handoff: " + hr.reason() + " - " + hr.detail());
            } else if (p instanceof dev.opencx.event.PiiRedacted pr) {
                out.println("  pii: redacted " + pr.counts() + " before storing"
                        + (pr.reversible() ? " (sealed in the vault)" : ""));
            }
        }
    }

    /** "37 en + 12 es" published articles. */
    private static String publishedByLocale(StoreAgent agent) {
        java.util.Map<String, Long> byLocale = new java.util.TreeMap<>();
        agent.helpCenter().articles().stream()
                .filter(a -> a.status() == dev.opencx.helpcenter.Article.Status.PUBLISHED)
                .forEach(a -> byLocale.merge(a.locale(), 1L, Long::sum));
        return byLocale.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(java.util.stream.Collectors.joining(" + "));
    }

    private static Identity customerIdentity(int n) {
        return Identity.custom("console-customer-" + n);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
