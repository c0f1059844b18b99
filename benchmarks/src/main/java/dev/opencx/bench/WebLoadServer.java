package dev.opencx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.OpenCx;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.conversation.SessionState;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.SessionQuery;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of {@link WebLoad}: an OpenCx with the web channel on the embedded Jetty server,
 * the built-in team inbox as helpdesk and the embedded responder over a small generated help
 * center held in memory, plus a few benchmark-only endpoints under {@code /bench} (on loopback):
 *
 * <ul>
 *   <li>{@code POST /bench/agent/reply {"ticket","agent","text"}}: an agent answers through {@link
 *       InboxHelpdesk#reply}, as the inbox UI does; answers the {@link System#nanoTime()} read just
 *       before the call ({@code calledAtNanos}), 409 while the ticket is not in the inbox yet;
 *   <li>{@code POST /bench/agent/resolve {"ticket","agent"}}: {@link InboxHelpdesk#resolve};
 *   <li>{@code GET /bench/clock}: this JVM's {@link System#nanoTime()}, to check that the load
 *       generator's clock is the same (one monotonic clock per machine on Linux);
 *   <li>{@code GET /bench/stats[?gc=true]}: heap (now, peak, after each GC, after a full GC on
 *       request), process CPU time, threads, open event streams;
 *   <li>{@code POST /bench/close-streams}: {@link WebChannel#closeStreams()}, as before taking a
 *       server out of a load balancer (every browser resumes);
 *   <li>{@code POST /bench/shutdown}.
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/opencx-benchmarks.jar dev.opencx.bench.WebLoadServer --port 8090
 * </pre>
 *
 * <p>Options: {@code --port} (0 picks one; the line {@code WEBLOAD-SERVER port=N} on stdout says
 * which), {@code --store memory|sqlite|sqlite-normal|h2} with {@code --data-dir} (default memory; {@code
 * sqlite} is the crash-safe embedded default), {@code --embeddings hashing|minilm},
 * {@code --articles N} (generated help-center articles, default 50), {@code --heartbeat-ms}.
 * With {@code --embeddings hashing} (the default) the responder's confidence model is set to
 * always answer (as the channel's tests do): handoffs then come from the visitors' explicit
 * requests for a person only. With {@code minilm}, the SDK's default confidence model decides.
 */
public final class WebLoadServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebLoadServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SECRET = "web-load-benchmark-secret-0123456789abcdef";

    private final ConversationStore store;
    private final LuceneKnowledgeStore knowledge;
    private final EmbeddingModel model;
    private final InboxHelpdesk inbox;
    private final WebChannel web;
    private final OpenCx cx;
    private final WebServer server;
    private final HeapWatch heap = new HeapWatch();
    private final CountDownLatch shutdown = new CountDownLatch(1);
    private final Map<String, Object> config = new LinkedHashMap<>();

    private WebLoadServer(Map<String, String> o) throws IOException {
        String embeddings = o.getOrDefault("embeddings", "hashing");
        this.model = switch (embeddings) {
            case "hashing" -> new HashingEmbeddingModel();
            case "minilm" -> MiniLmEmbeddingModel.builder().build();
            default -> throw new IllegalArgumentException(
                    "--embeddings must be hashing or minilm, was '" + embeddings + "'");
        };
        int articles = Integer.parseInt(o.getOrDefault("articles", "50"));
        this.knowledge =
                LuceneKnowledgeStore.builder().inMemory().embeddingModel(model).build();
        knowledge.upsertAll(HelpCenterGenerator.articles(articles, 42));
        String storeKind = o.getOrDefault("store", "memory");
        this.store = PipelineLoad.store(
                storeKind,
                Path.of(o.getOrDefault("data-dir", "target/web-load"), storeKind + "-" + System.currentTimeMillis()));
        this.inbox = InboxHelpdesk.builder().store(store).build();
        WebChannel.Builder wb = WebChannel.builder().secret(SECRET);
        if (o.containsKey("heartbeat-ms")) {
            wb.heartbeat(Duration.ofMillis(Long.parseLong(o.get("heartbeat-ms"))));
        }
        this.web = wb.build();
        OpenCx.Builder cb = OpenCx.builder()
                .store(store)
                .channel(web)
                .helpdesk(inbox)
                .knowledge(knowledge)
                .embeddingModel(model)
                .scenarios(PipelineLoad.scenarios())
                .topics(PipelineLoad.topics())
                .prohibitedTopics(List.of("medical advice", "legal advice", "investment advice"));
        if (embeddings.equals("hashing")) {
            // the fitted model reads MiniLM similarities; with hashed words it would hand off everything
            cb.confidenceModel(new EmbeddedResponder.ConfidenceModel(20, 0, 0, 0, 0));
        }
        this.cx = cb.build();
        WebServer.Builder sb = WebServer.builder()
                .host(o.getOrDefault("host", "127.0.0.1"))
                .port(Integer.parseInt(o.getOrDefault("port", "0")))
                // the load generator's visitors all come from one loopback address
                .maxConnectionsPerAddress(10_000)
                .mount(web)
                .mount("/bench", new Endpoints());
        if (o.containsKey("max-threads")) {
            sb.maxThreads(Integer.parseInt(o.get("max-threads")));
        }
        this.server = sb.build().start();
        config.put("store", storeKind);
        config.put("embeddings", embeddings);
        config.put("articles", articles);
        config.put("documents", knowledge.documentCount());
        config.put(
                "confidence_model",
                embeddings.equals("hashing") ? "always answers (bias 20)" : "EmbeddedResponder defaults");
        config.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        config.put(
                "jvm_args",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        config.put("cores", Runtime.getRuntime().availableProcessors());
        config.put("heartbeat_ms", o.getOrDefault("heartbeat-ms", "15000 (the channel's default)"));
    }

    /** Builds and starts a server; see the class comment for the options. */
    public static WebLoadServer start(Map<String, String> options) throws IOException {
        return new WebLoadServer(options);
    }

    public static void main(String[] args) throws Exception {
        try (WebLoadServer s = start(options(args))) {
            Runtime.getRuntime().addShutdownHook(new Thread(s.shutdown::countDown, "web-load-server-stop"));
            System.out.println("WEBLOAD-SERVER port=" + s.port());
            System.out.flush();
            s.shutdown.await();
        }
    }

    /** {@code --name value} pairs. */
    static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got '" + args[i] + "'");
            }
            o.put(args[i].substring(2), args[++i]);
        }
        return o;
    }

    public int port() {
        return server.port();
    }

    /** What the server runs with, for the report. */
    public Map<String, Object> config() {
        return config;
    }

    /** Blocks until {@code POST /bench/shutdown}. */
    public void awaitShutdown() throws InterruptedException {
        shutdown.await();
    }

    @Override
    public void close() {
        server.close();
        cx.close();
        heap.close();
        try {
            knowledge.close();
            store.close();
        } catch (Exception e) {
            LOG.warn("closing the store failed: {}", e.toString());
        }
        if (model instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing the model failed: {}", e.toString());
            }
        }
    }

    /** The {@code /bench} endpoints. */
    private final class Endpoints implements WebhookHandler {
        @Override
        public WebResponse handle(WebRequest r) {
            try {
                return switch (r.method() + " " + r.path()) {
                    case "GET /clock" -> json(200, JSON.createObjectNode().put("nanos", System.nanoTime()));
                    case "POST /agent/reply" -> agentReply(JSON.readTree(r.body()));
                    case "POST /agent/resolve" -> agentResolve(JSON.readTree(r.body()));
                    case "GET /stats" -> json(200, stats(r.queryParam("gc").isPresent()));
                    case "POST /close-streams" -> {
                        int open = web.openStreams();
                        web.closeStreams();
                        yield json(200, JSON.createObjectNode().put("closed", open));
                    }
                    case "POST /shutdown" -> {
                        shutdown.countDown();
                        yield WebResponse.empty(204);
                    }
                    default -> WebResponse.error(404, "not_found", "no bench endpoint " + r.method() + " " + r.path());
                };
            } catch (IOException e) {
                return WebResponse.error(400, "invalid_json", e.getMessage());
            }
        }

        private WebResponse agentReply(JsonNode body) {
            TicketNumber ticket = TicketNumber.parse(body.path("ticket").asText());
            String agent = body.path("agent").asText("agent-1");
            String text = body.path("text").asText();
            long calledAt = System.nanoTime();
            try {
                inbox.reply(ticket, agent, text);
            } catch (IllegalArgumentException | IllegalStateException e) {
                // the handoff reached the visitor before the ticket reached the inbox: the agent cannot see it yet
                return WebResponse.error(409, "not_in_inbox", e.getMessage());
            }
            long micros = (System.nanoTime() - calledAt) / 1000;
            return json(
                    200, JSON.createObjectNode().put("calledAtNanos", calledAt).put("micros", micros));
        }

        private WebResponse agentResolve(JsonNode body) {
            TicketNumber ticket = TicketNumber.parse(body.path("ticket").asText());
            long calledAt = System.nanoTime();
            try {
                inbox.resolve(ticket, body.path("agent").asText("agent-1"));
            } catch (IllegalArgumentException e) {
                return WebResponse.error(409, "not_in_inbox", e.getMessage());
            }
            return json(200, JSON.createObjectNode().put("calledAtNanos", calledAt));
        }
    }

    private ObjectNode stats(boolean fullGc) {
        ObjectNode o = JSON.createObjectNode();
        if (fullGc) { // the end of a run: why sessions were handed off, then the heap that stays
            ObjectNode reasons = o.putObject("handoff_reasons");
            for (var s : store.sessions(new SessionQuery(java.util.Set.of(), false, 10_000_000))) {
                for (var e : store.events(s.id())) {
                    if (e.payload() instanceof dev.opencx.event.HandoffRequested h) {
                        String k = h.reason().name();
                        reasons.put(k, reasons.path(k).asLong() + 1);
                    }
                }
            }
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            o.put(
                    "heap_used_after_full_gc_bytes",
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        MemoryUsage h = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        o.put("heap_used_bytes", h.getUsed());
        o.put("heap_committed_bytes", h.getCommitted());
        o.put("heap_max_bytes", h.getMax());
        o.put("heap_peak_used_bytes", heap.peakUsed());
        o.put("heap_max_after_gc_bytes", heap.maxAfterGc.get());
        o.put("heap_last_after_gc_bytes", heap.lastAfterGc.get());
        long gcCount = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcCount += Math.max(0, gc.getCollectionCount());
            gcMillis += Math.max(0, gc.getCollectionTime());
        }
        o.put("gc_count", gcCount);
        o.put("gc_millis", gcMillis);
        o.put("heap_max_gc_pause_ms", heap.maxPauseMillis.get());
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            o.put("process_cpu_nanos", os.getProcessCpuTime());
        }
        o.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        o.put("peak_threads", ManagementFactory.getThreadMXBean().getPeakThreadCount());
        o.put("open_streams", web.openStreams());
        o.put(
                "open_sessions",
                store.sessions(new SessionQuery(
                                java.util.Set.of(
                                        SessionState.AI_ACTIVE, SessionState.HANDED_OFF, SessionState.AGENT_ACTIVE),
                                false,
                                1_000_000))
                        .size());
        o.put("inbox_waiting", inbox.queue().size());
        o.put("pid", ProcessHandle.current().pid());
        o.set("config", JSON.valueToTree(config));
        o.put("nanos", System.nanoTime());
        return o;
    }

    private static WebResponse json(int status, JsonNode body) {
        try {
            return WebResponse.json(status, JSON.writeValueAsString(body));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The heap's high-water marks: the used heap just before each collection (the true peak: the
     * heap only grows between collections), sampled every 100 ms as well, and the used heap right
     * after each collection (with G1, young collections leave old garbage: an upper bound of the
     * live data).
     */
    private static final class HeapWatch implements AutoCloseable {
        final AtomicLong peakSampled = new AtomicLong();
        final AtomicLong maxBeforeGc = new AtomicLong();
        final AtomicLong maxAfterGc = new AtomicLong();
        final AtomicLong lastAfterGc = new AtomicLong();
        final AtomicLong maxPauseMillis = new AtomicLong();
        private final Thread sampler;
        private final List<Runnable> unsubscribe = new ArrayList<>();
        private volatile boolean running = true;

        HeapWatch() {
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    javax.management.NotificationListener l = (n, handback) -> {
                        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
                            return;
                        }
                        GarbageCollectionNotificationInfo info =
                                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                        long before = heapOf(info.getGcInfo().getMemoryUsageBeforeGc());
                        long after = heapOf(info.getGcInfo().getMemoryUsageAfterGc());
                        maxBeforeGc.accumulateAndGet(before, Math::max);
                        maxAfterGc.accumulateAndGet(after, Math::max);
                        lastAfterGc.set(after);
                        if (!info.getGcAction().contains("concurrent")) {
                            maxPauseMillis.accumulateAndGet(info.getGcInfo().getDuration(), Math::max);
                        }
                    };
                    emitter.addNotificationListener(l, null, null);
                    unsubscribe.add(() -> {
                        try {
                            emitter.removeNotificationListener(l);
                        } catch (javax.management.ListenerNotFoundException e) {
                            // already gone
                        }
                    });
                }
            }
            sampler = new Thread(
                    () -> {
                        while (running) {
                            peakSampled.accumulateAndGet(
                                    ManagementFactory.getMemoryMXBean()
                                            .getHeapMemoryUsage()
                                            .getUsed(),
                                    Math::max);
                            try {
                                Thread.sleep(100);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "web-load-heap-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        long peakUsed() {
            return Math.max(peakSampled.get(), maxBeforeGc.get());
        }

        private static long heapOf(Map<String, MemoryUsage> pools) {
            long sum = 0;
            for (var p : ManagementFactory.getMemoryPoolMXBeans()) {
                if (p.getType() == java.lang.management.MemoryType.HEAP) {
                    MemoryUsage u = pools.get(p.getName());
                    if (u != null) {
                        sum += u.getUsed();
                    }
                }
            }
            return sum;
        }

        @Override
        public void close() {
            running = false;
            sampler.interrupt();
            unsubscribe.forEach(Runnable::run);
        }
    }
}
