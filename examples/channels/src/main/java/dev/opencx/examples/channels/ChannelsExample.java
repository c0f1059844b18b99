package dev.opencx.examples.channels;

import dev.opencx.channel.Channel;
import dev.opencx.examples.quickstart.StoreAgent;
import dev.opencx.helpdesk.inbox.web.AgentAccount;
import dev.opencx.helpdesk.inbox.web.InboxWeb;
import dev.opencx.http.WebServer;
import dev.opencx.webhook.Endpoint;
import java.io.PrintStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * The quickstart's outdoor store answering on every messaging channel you give credentials for:
 * e-mail, SMS, WhatsApp (Twilio or Meta's Cloud API), phone calls and Slack. Channels without
 * their environment variables are listed with what is missing; handed-off conversations land in
 * the team inbox.
 *
 * <pre>
 * java -jar examples/channels/target/opencx-example-channels.jar [--port 8080] [--data-dir DIR]
 * </pre>
 */
public final class ChannelsExample {
    private ChannelsExample() {}

    public static void main(String[] args) throws Exception {
        int port = 8080;
        Path dataDir = Path.of("opencx-channels-data");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, "--port"));
                case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                default -> {
                    System.err.println("unknown option " + args[i] + "; use --port N and --data-dir DIR");
                    System.exit(2);
                }
            }
        }
        Map<String, String> env = System.getenv();
        List<ChannelsFromEnvironment.Outcome> outcomes = ChannelsFromEnvironment.read(env, dataDir);
        report(outcomes, System.out);
        List<Channel> channels = new ArrayList<>();
        outcomes.stream().filter(ChannelsFromEnvironment.Outcome::configured).forEach(o -> channels.add(o.channel()));
        if (channels.isEmpty()) {
            System.out.println("No channel is configured: set the variables above and run again.");
            return;
        }
        String password = env.getOrDefault("OPENCX_INBOX_PASSWORD", "");
        if (password.isBlank()) {
            byte[] random = new byte[12];
            new SecureRandom().nextBytes(random);
            password = HexFormat.of().formatHex(random);
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (StoreAgent agent = StoreAgent.start(dataDir, channels, List.of());
                InboxWeb inbox = InboxWeb.builder(agent.cx(), agent.inbox())
                        .agent(AgentAccount.withPassword("maria", "Maria (demo agent)", password.toCharArray()))
                        .topics(agent.topicNames())
                        .build()) {
            WebServer.Builder server = WebServer.builder().port(port).mount(inbox.path(), inbox.handler());
            for (Channel c : channels) {
                if (c instanceof Endpoint endpoint) {
                    server.mount(endpoint);
                }
            }
            try (WebServer running = server.build().start()) {
                String base = env.getOrDefault("PUBLIC_BASE_URL", running.uri().toString())
                        .replaceAll("/$", "");
                for (Channel c : channels) {
                    if (c instanceof Endpoint endpoint) {
                        System.out.println("  " + c.id() + " webhooks: " + base + endpoint.mountPath());
                    }
                }
                System.out.println("Team inbox: " + running.uri().resolve(inbox.path() + "/")
                        + " (agent \"maria\", password "
                        + (env.containsKey("OPENCX_INBOX_PASSWORD") ? "from OPENCX_INBOX_PASSWORD" : password) + ")");
                System.out.println("Ctrl+C stops.");
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "opencx-example-stop"));
                stop.await();
            }
        }
    }

    /** One line per channel: on, or the variables it still needs. */
    static void report(List<ChannelsFromEnvironment.Outcome> outcomes, PrintStream out) {
        for (ChannelsFromEnvironment.Outcome o : outcomes) {
            out.println(
                    o.configured()
                            ? "  on   " + o.name()
                            : "  off  " + o.name() + ": set " + String.join(", ", o.missing()));
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return args[i];
    }
}
