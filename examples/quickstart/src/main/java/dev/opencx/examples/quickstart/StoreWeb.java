package dev.opencx.examples.quickstart;

import dev.opencx.channel.web.WebChannel;
import dev.opencx.helpdesk.inbox.web.AgentAccount;
import dev.opencx.helpdesk.inbox.web.InboxWeb;
import dev.opencx.http.WebServer;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The quickstart in the browser: the store's agent behind the embedded web server, with a demo
 * store page at {@code /} that loads the chat widget with one script tag, and the team inbox at
 * {@code /inbox} for the demo agent {@code maria}. Her password comes from {@code
 * OPENCX_INBOX_PASSWORD}, or is generated at the first start and kept in the data folder (a demo
 * convenience: real agents' passwords are never stored, only their hashes). The widget's secret is
 * kept there too, so visitors find their conversations again after a restart.
 */
final class StoreWeb implements AutoCloseable {
    static final String AGENT = "maria";

    private final StoreAgent agent;
    private final InboxWeb inbox;
    private final WebServer server;
    private final String password;
    private final boolean passwordFromEnv;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();

    private StoreWeb(StoreAgent agent, InboxWeb inbox, WebServer server, String password, boolean fromEnv) {
        this.agent = agent;
        this.inbox = inbox;
        this.server = server;
        this.password = password;
        this.passwordFromEnv = fromEnv;
    }

    /**
     * Starts the agent, the inbox and the server on {@code 127.0.0.1:port} (0 picks a free port).
     *
     * @throws IllegalStateException when the port cannot be bound
     */
    static StoreWeb start(Path dataDir, int port) throws IOException {
        Files.createDirectories(dataDir);
        String env = System.getenv("OPENCX_INBOX_PASSWORD");
        boolean fromEnv = env != null && !env.isBlank();
        String password = fromEnv ? env.strip() : secretFile(dataDir.resolve("inbox-maria.password"), 20);
        WebChannel web = WebChannel.builder()
                .secret(secretFile(dataDir.resolve("widget.secret"), 48))
                .build();
        StoreAgent agent = StoreAgent.start(dataDir, List.of(web), List.of());
        InboxWeb inbox = null;
        try {
            inbox = InboxWeb.builder(agent.cx(), agent.inbox())
                    .agent(AgentAccount.withPassword(AGENT, "Maria (demo agent)", password.toCharArray()))
                    .topics(agent.topicNames())
                    .build();
            WebServer server = WebServer.builder()
                    .port(port)
                    .mount("/", storePage(web.handler()))
                    .mount(inbox.path(), inbox.handler())
                    .build()
                    .start();
            return new StoreWeb(agent, inbox, server, password, fromEnv);
        } catch (RuntimeException e) {
            if (inbox != null) {
                inbox.close();
            }
            agent.close();
            throw e;
        }
    }

    /** {@code http://127.0.0.1:PORT/}. */
    URI uri() {
        return server.uri();
    }

    StoreAgent agent() {
        return agent;
    }

    String password() {
        return password;
    }

    /** Prints where to go and how to sign in. */
    void printBanner(PrintStream out) {
        out.printf(
                Locale.ROOT,
                "Store page with the chat widget: %s%nTeam inbox: %s (agent \"%s\", password %s)%n"
                        + "Try \"where is my order 1042?\", \"cancel it\", \"yes\" or \"I want to talk to a person\" in the widget,"
                        + " then claim and answer in the inbox. Ctrl+C stops.%n",
                uri(),
                uri().resolve("/inbox/"),
                AGENT,
                passwordFromEnv ? "from OPENCX_INBOX_PASSWORD" : password);
    }

    /** Blocks until {@link #close()} (e.g. from the shutdown hook on Ctrl+C). */
    void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        try {
            server.close();
            inbox.close();
            agent.close();
        } finally {
            closed.countDown();
        }
    }

    /** The demo store page at {@code /}; everything else (the widget's script and API) goes to the widget. */
    static WebhookHandler storePage(WebhookHandler widget) throws IOException {
        byte[] page = StoreAgent.readResource("web/index.html").getBytes(StandardCharsets.UTF_8);
        return request -> {
            if (request.method().equals("GET")
                    && (request.path().equals("/") || request.path().equals("/index.html"))) {
                return WebResponse.of(200, "text/html; charset=utf-8", page)
                        .withHeader("Cache-Control", "no-cache")
                        .withHeader("X-Content-Type-Options", "nosniff");
            }
            return widget.handle(request);
        };
    }

    /** A random secret kept in a file of the data folder (created at the first start, readable by its owner only). */
    private static String secretFile(Path file, int length) throws IOException {
        if (!Files.exists(file)) {
            String alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
            SecureRandom random = new SecureRandom();
            StringBuilder sb = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            Files.writeString(file, sb.toString());
            try {
                Files.setPosixFilePermissions(
                        file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system
            }
        }
        return Files.readString(file).strip();
    }
}
