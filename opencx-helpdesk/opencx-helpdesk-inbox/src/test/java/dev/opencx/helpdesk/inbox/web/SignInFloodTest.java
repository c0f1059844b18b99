package dev.opencx.helpdesk.inbox.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.store.InMemoryConversationStore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A sign-in flood over real sockets against the embedded server: {@value #WORKERS} workers on four
 * source addresses ({@code 127.0.0.2} to {@code .5}) sign in without pause, half with made-up names
 * and half with wrong passwords for the real account, ignoring {@code Retry-After}; meanwhile the
 * real agent signs in every two seconds from its own address ({@code 127.0.0.9}) and a prober asks
 * {@code /health} from {@code 127.0.0.1}. The agent must get in every time and {@code /health} must
 * keep answering. Passwords are hashed with the production cost (600,000 PBKDF2 rounds). Figures
 * are printed; {@code -Dopencx.floodSeconds=30} makes the flood longer.
 */
class SignInFloodTest {
    static final int WORKERS = 48;
    private static final Duration FLOOD = Duration.ofSeconds(Long.getLong("opencx.floodSeconds", 15));
    private static final String[] FLOODERS = {"127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"};
    private static final String AGENT_ADDRESS = "127.0.0.9";
    private static final String PROBE_ADDRESS = "127.0.0.1";

    private InMemoryConversationStore store;
    private OpenCx cx;
    private InboxWeb inboxWeb;
    private WebServer server;

    @BeforeEach
    void start() {
        store = new InMemoryConversationStore();
        InboxHelpdesk inbox = InboxHelpdesk.builder().store(store).build();
        cx = OpenCx.builder()
                .store(store)
                .channel(ApiChannel.create())
                .knowledge(new InMemoryKnowledgeStore())
                .helpdesk(inbox)
                .build();
        inboxWeb = InboxWeb.builder(cx, inbox)
                .agent(AgentAccount.of("maria", "Maria Silva", InboxRig.MARIA_HASH))
                .build();
        server = WebServer.builder()
                .port(0)
                .mount("/inbox", inboxWeb.handler())
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (inboxWeb != null) {
            inboxWeb.close();
        }
        if (cx != null) {
            cx.close();
        }
    }

    @Test
    void the_real_agent_signs_in_from_its_own_address_during_a_flood_and_health_keeps_answering() throws Exception {
        int port = server.port();
        long end = System.nanoTime() + FLOOD.toNanos();
        Map<Integer, AtomicInteger> floodStatuses = new ConcurrentHashMap<>();
        AtomicInteger floodErrors = new AtomicInteger();
        List<Long> healthMicros = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger healthFailures = new AtomicInteger();
        List<String> agentOutcomes = new CopyOnWriteArrayList<>();
        List<Long> agentMillis = new CopyOnWriteArrayList<>();
        AtomicLong agentRetries = new AtomicLong();

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS + 2);
        for (int w = 0; w < WORKERS; w++) {
            String from = FLOODERS[w % FLOODERS.length];
            boolean madeUpNames = w % 2 == 0;
            int worker = w;
            pool.submit(() -> {
                Form form = null;
                int n = 0;
                while (System.nanoTime() < end) {
                    try {
                        if (form == null) {
                            form = Form.get(from, port);
                        }
                        String login = madeUpNames ? "user" + worker + "x" + n : "maria";
                        Resp r = form.post(from, port, login, "guess-" + worker + "-" + n++);
                        floodStatuses
                                .computeIfAbsent(r.status, k -> new AtomicInteger())
                                .incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        floodErrors.incrementAndGet();
                        form = null;
                    }
                }
                return null;
            });
        }
        pool.submit(() -> {
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                try {
                    Resp r = Resp.send(PROBE_ADDRESS, port, "GET", "/health", "", "", "");
                    if (r.status != 200) {
                        healthFailures.incrementAndGet();
                    }
                } catch (IOException e) {
                    healthFailures.incrementAndGet();
                }
                healthMicros.add((System.nanoTime() - t0) / 1_000);
                Thread.sleep(20);
            }
            return null;
        });
        pool.submit(() -> {
            Thread.sleep(1_500); // the flood is under way
            while (System.nanoTime() < end - TimeUnit.SECONDS.toNanos(1)) {
                long t0 = System.nanoTime();
                String outcome = "";
                for (int attempt = 0; attempt < 3; attempt++) {
                    Resp r = Form.get(AGENT_ADDRESS, port).post(AGENT_ADDRESS, port, "maria", InboxRig.PASSWORD);
                    outcome = String.valueOf(r.status);
                    if (r.status == 303) {
                        Resp state = Resp.send(AGENT_ADDRESS, port, "GET", "/inbox/api/state", r.cookie(), "", "");
                        outcome = state.status == 200 ? "signed in" : "state " + state.status;
                        break;
                    }
                    if (r.status != 429) {
                        break;
                    }
                    agentRetries.incrementAndGet();
                    Thread.sleep(1_000L * Long.parseLong(r.headers.getOrDefault("retry-after", "1")));
                }
                agentOutcomes.add(outcome);
                agentMillis.add((System.nanoTime() - t0) / 1_000_000);
                Thread.sleep(2_000);
            }
            return null;
        });
        pool.shutdown();
        assertThat(pool.awaitTermination(FLOOD.toSeconds() + 60, TimeUnit.SECONDS))
                .isTrue();

        List<Long> health = new ArrayList<>(healthMicros);
        Collections.sort(health);
        Map<Integer, Integer> statuses = new TreeMap<>();
        floodStatuses.forEach((k, v) -> statuses.put(k, v.get()));
        int floodTotal = statuses.values().stream().mapToInt(Integer::intValue).sum();
        System.out.printf(
                Locale.ROOT,
                "SignInFloodTest: %d s, %d workers on %d addresses: %d sign-in attempts %s (%d transport errors);"
                        + " /health %d probes, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed;"
                        + " agent sign-ins %s in %s ms (%d retries after 429)%n",
                FLOOD.toSeconds(),
                WORKERS,
                FLOODERS.length,
                floodTotal,
                statuses,
                floodErrors.get(),
                health.size(),
                percentile(health, 50) / 1000.0,
                percentile(health, 99) / 1000.0,
                health.isEmpty() ? 0 : health.get(health.size() - 1) / 1000.0,
                healthFailures.get(),
                agentOutcomes,
                agentMillis,
                agentRetries.get());

        assertThat(floodTotal).as("the flood ran").isGreaterThan(WORKERS);
        assertThat(statuses.keySet())
                .as("wrong passwords, then slowed down; never a 5xx")
                .isSubsetOf(401, 429);
        assertThat(agentOutcomes).as("the agent's sign-ins").isNotEmpty().containsOnly("signed in");
        assertThat(healthFailures.get()).as("/health failures").isZero();
        assertThat(health).as("/health probes").hasSizeGreaterThan(20);
        assertThat(percentile(health, 99))
                .as("/health p99 (µs), generous for a loaded 2-core machine")
                .isLessThan(2_000_000L);
    }

    private static long percentile(List<Long> sorted, int p) {
        if (sorted.isEmpty()) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    /** A sign-in form as a browser holds it: the cookie and the token. */
    record Form(String cookie, String token) {
        static Form get(String from, int port) throws IOException {
            Resp page = Resp.send(from, port, "GET", "/inbox/login", "", "", "");
            if (page.status != 200) {
                throw new IOException("login form: " + page.status);
            }
            return new Form(page.cookie(), InboxRig.csrfOf(page.body));
        }

        Resp post(String from, int port, String login, String password) throws IOException {
            return Resp.send(
                    from,
                    port,
                    "POST",
                    "/inbox/login",
                    cookie,
                    "application/x-www-form-urlencoded",
                    "csrf=" + InboxRig.enc(token) + "&login=" + InboxRig.enc(login) + "&password="
                            + InboxRig.enc(password));
        }
    }

    /** One HTTP/1.1 exchange on its own connection from a chosen loopback source address. */
    record Resp(int status, Map<String, String> headers, String body) {
        private static final Pattern STATUS = Pattern.compile("HTTP/1\\.1 (\\d{3}) .*");

        String cookie() {
            String c = headers.getOrDefault("set-cookie", "");
            return c.contains(";") ? c.substring(0, c.indexOf(';')) : c;
        }

        static Resp send(String from, int port, String method, String path, String cookie, String type, String body)
                throws IOException {
            byte[] content = body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder()
                    .append(method)
                    .append(' ')
                    .append(path)
                    .append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(port)
                    .append("\r\nConnection: close\r\n");
            if (!cookie.isEmpty()) {
                head.append("Cookie: ").append(cookie).append("\r\n");
            }
            if (!type.isEmpty()) {
                head.append("Content-Type: ").append(type).append("\r\n");
            }
            if (method.equals("POST")) {
                head.append("Content-Length: ").append(content.length).append("\r\n");
            }
            head.append("\r\n");
            try (Socket s = new Socket()) {
                s.setSoTimeout(30_000);
                s.bind(new InetSocketAddress(from, 0));
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                OutputStream out = s.getOutputStream();
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(content);
                out.flush();
                InputStream in = s.getInputStream();
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                in.transferTo(all);
                String text = all.toString(StandardCharsets.UTF_8);
                int split = text.indexOf("\r\n\r\n");
                if (split < 0) {
                    throw new IOException("no complete response");
                }
                String[] lines = text.substring(0, split).split("\r\n");
                Matcher m = STATUS.matcher(lines[0]);
                if (!m.matches()) {
                    throw new IOException("not an HTTP/1.1 response: " + lines[0]);
                }
                Map<String, String> headers = new TreeMap<>();
                for (int i = 1; i < lines.length; i++) {
                    int colon = lines[i].indexOf(':');
                    if (colon > 0) {
                        headers.putIfAbsent(
                                lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                                lines[i].substring(colon + 1).strip());
                    }
                }
                return new Resp(Integer.parseInt(m.group(1)), headers, text.substring(split + 4));
            }
        }
    }
}
