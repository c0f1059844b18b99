package dev.opencx.bench;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.opencx.OpenCx;
import dev.opencx.autopilot.Topic;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.TurnCompleted;
import dev.opencx.knowledge.CachingEmbeddingModel;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.TrainingScenario;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.knowledge.lucene.OfflineRuntime;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The pipeline load driver: a generated help center in a Lucene index, the embedded responder on
 * the in-process quantized MiniLM (cached and shared by the knowledge store and OpenCx, as in a real
 * wiring), and the JDBC store on the embedded SQLite file ({@code --store sqlite}, the default:
 * synchronous=FULL, crash-safe; {@code sqlite-normal}: synchronous=NORMAL; {@code h2}: the H2 file
 * of earlier versions; {@code memory}). Closed-loop virtual customers each send their next
 * message when the previous reply has arrived on the {@link ApiChannel}; every message is a distinct
 * text. Prints progress on stderr and one JSON line with the figures on stdout.
 *
 * <pre>
 * java -cp benchmarks/target/opencx-benchmarks.jar dev.opencx.bench.PipelineLoad \
 *     --articles 10000 --sessions 32 --turns 4000 --warmup 14000 --bound 1000 --idle-sessions 0 \
 *     --index-dir /tmp/cx-index --data-dir /tmp/cx-data
 * </pre>
 *
 * <p>{@code --turns} is the number of measured turns per concurrency level (after {@code --warmup}
 * turns; on 2 cores the JIT compiler needs several thousand turns before it stops competing with
 * them). {@code --bound} messages are embedded one per call on the bare model for the embedding-only
 * bound. {@code --idle-sessions} sessions with one turn each measure heap per idle session in the
 * in-memory store ({@code 0} skips it). {@code --index-only} builds the index and exits. {@code
 * --think-ms N} makes each customer pause 0.5N to 1.5N ms after a reply before the next message (a
 * person reading and typing; 0, the default, is a saturating closed loop). {@code --candidates N}
 * sets the knowledge store's candidates per retriever. {@code --embeddings onnx-default} uses
 * LangChain4j's model with ONNX Runtime's default threading instead of {@link MiniLmEmbeddingModel}
 * ({@code --intra-op-threads N}, default 1).
 */
public final class PipelineLoad {
    private static final long SEED = 42;

    private final Map<String, String> opts;
    private final long thinkMs;
    private final int turnThreads;
    private final List<String> questions;
    private final AtomicInteger nextQuestion = new AtomicInteger();

    private PipelineLoad(Map<String, String> opts, List<String> questions) {
        this.opts = opts;
        this.thinkMs = Long.parseLong(opts.getOrDefault("think-ms", "0"));
        // the same default as OpenCx's own turn pool: max(2, cores)
        this.turnThreads = Integer.parseInt(opts.getOrDefault(
                "turn-threads", String.valueOf(Math.max(2, Runtime.getRuntime().availableProcessors()))));
        this.questions = questions;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("articles", "10000");
        o.put("sessions", "1,32");
        o.put("turns", "2000");
        o.put("warmup", "200");
        o.put("bound", "1000");
        o.put("idle-sessions", "2000");
        o.put("index-dir", "target/bench-index");
        o.put("data-dir", "target/bench-data");
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
            String k = args[i].substring(2);
            if (k.equals("index-only")) {
                o.put(k, "true");
            } else {
                o.put(k, args[++i]);
            }
        }
        int articles = Integer.parseInt(o.get("articles"));
        List<Integer> levels = Stream.of(o.get("sessions").split(","))
                .map(String::strip)
                .map(Integer::parseInt)
                .toList();
        int turns = Integer.parseInt(o.get("turns"));
        int warmup = Integer.parseInt(o.get("warmup"));
        int bound = Integer.parseInt(o.get("bound"));
        int idle = Integer.parseInt(o.get("idle-sessions"));
        int needed = 2 * bound + levels.size() * (turns + warmup + 64) + idle + warmup + 64;
        List<String> questions = HelpCenterGenerator.questions(needed, SEED);
        new PipelineLoad(o, questions).run(articles, levels, turns, warmup, bound, idle);
    }

    private void run(int articles, List<Integer> levels, int turns, int warmup, int bound, int idle) throws Exception {
        long t0 = System.nanoTime();
        Map<String, Object> result = new LinkedHashMap<>();
        OfflineRuntime.apply(); // before LangChain4j's model below: no DJL telemetry
        // "onnx-default": LangChain4j's model with ONNX Runtime's default threading (spinning workers)
        EmbeddingModel raw = opts.getOrDefault("embeddings", "minilm").equals("onnx-default")
                ? new AllMiniLmL6V2QuantizedEmbeddingModel()
                : MiniLmEmbeddingModel.builder()
                        .intraOpThreads(Integer.parseInt(opts.getOrDefault("intra-op-threads", "1")))
                        .build();
        result.put(
                "embeddings",
                opts.getOrDefault("embeddings", "minilm")
                        + (raw instanceof MiniLmEmbeddingModel
                                ? " (intra-op " + opts.getOrDefault("intra-op-threads", "1") + ")"
                                : ""));
        CachingEmbeddingModel model = CachingEmbeddingModel.wrap(counting(raw), 4096);
        result.put("machine_cores", Runtime.getRuntime().availableProcessors());
        result.put("articles", articles);
        LuceneKnowledgeStore.Builder kb = LuceneKnowledgeStore.builder()
                .directory(Path.of(opts.get("index-dir")))
                .embeddingModel(model);
        if (opts.containsKey("candidates")) {
            kb.candidates(Integer.parseInt(opts.get("candidates")));
        }
        try (LuceneKnowledgeStore knowledge = kb.build()) {
            ensureIndexed(knowledge, articles);
            int segments = knowledge.segmentCount();
            if (segments > 1) {
                long c0 = System.nanoTime();
                System.err.printf("compacting the index (%d segments) ...%n", segments);
                knowledge.compact();
                System.err.printf("compacted in %.1f s%n", (System.nanoTime() - c0) / 1e9);
            }
            result.put(
                    "passages_note",
                    "index " + opts.get("index-dir") + " holds " + knowledge.documentCount() + " articles");
            if (opts.containsKey("index-only")) {
                System.out.println(json(result));
                return;
            }
            // the embedding-only bound: the bare model, one message per call, the same kind of texts
            double oneCaller = embeddingBound(raw, bound, 1);
            double concurrent = embeddingBound(raw, bound, turnThreads);
            double boundPerSec = Math.max(oneCaller, concurrent);
            result.put("embedding_bound_one_caller_msgs_per_s", round(oneCaller));
            result.put("embedding_bound_" + turnThreads + "_callers_msgs_per_s", round(concurrent));
            result.put("embedding_bound_msgs_per_s", round(boundPerSec));
            result.put("embedding_cpu_ms_per_msg", round(boundCpuMs));
            for (int c : levels) {
                Map<String, Object> r = pipeline(model, knowledge, c, turns, warmup);
                r.put("pct_of_embedding_bound", round(100 * (Double) r.get("turns_per_s") / boundPerSec));
                // the same ratio in CPU time, steadier on a machine whose speed drifts between runs
                r.put("embedding_share_of_turn_cpu_pct", round(100 * boundCpuMs / (Double) r.get("cpu_ms_per_turn")));
                result.put("sessions_" + c, r);
            }
            if (idle > 0) {
                result.put("heap_bytes_per_idle_session_in_memory", idleSessionHeap(model, knowledge, idle));
            }
        }
        result.put("wall_s", round((System.nanoTime() - t0) / 1e9));
        System.out.println(json(result));
    }

    /** Texts the model really embedded (behind the cache), to check one embedding per turn. */
    private final AtomicLong modelTexts = new AtomicLong();

    /** CPU time the model's calls took on their threads, to split a turn's CPU into embedding and the rest. */
    private final AtomicLong modelCpuNanos = new AtomicLong();

    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private EmbeddingModel counting(EmbeddingModel raw) {
        return new EmbeddingModel() {
            @Override
            public dev.langchain4j.model.output.Response<List<dev.langchain4j.data.embedding.Embedding>> embedAll(
                    List<TextSegment> segments) {
                modelTexts.addAndGet(segments.size());
                long c0 = THREADS.getCurrentThreadCpuTime();
                try {
                    return raw.embedAll(segments);
                } finally {
                    modelCpuNanos.addAndGet(THREADS.getCurrentThreadCpuTime() - c0);
                }
            }

            @Override
            public int dimension() {
                return raw.dimension();
            }

            @Override
            public String modelName() {
                // the index manifest names the model: the counter must not hide it
                return CachingEmbeddingModel.wrap(raw, 1).modelName();
            }
        };
    }

    // ---- index ----

    private static void ensureIndexed(LuceneKnowledgeStore knowledge, int articles) {
        int have = knowledge.documentCount();
        if (have >= articles) {
            System.err.printf(Locale.ROOT, "index: %d articles already indexed%n", have);
            return;
        }
        List<KnowledgeDocument> docs = HelpCenterGenerator.articles(articles, SEED);
        long start = System.nanoTime();
        int batch = 100;
        // upserts of unchanged documents do not re-embed, so an interrupted build resumes cheaply
        for (int from = 0; from < docs.size(); from += batch) {
            int to = Math.min(docs.size(), from + batch);
            knowledge.upsertAll(docs.subList(from, to));
            double s = (System.nanoTime() - start) / 1e9;
            System.err.printf(
                    Locale.ROOT,
                    "index: %d/%d articles, %.0f s elapsed, ~%.0f s left%n",
                    to,
                    docs.size(),
                    s,
                    s / to * (docs.size() - to));
        }
    }

    // ---- embedding-only bound ----

    /**
     * Messages per second the bare model embeds, one message per call, from {@code callers} threads
     * at once (the pipeline embeds from its turn threads).
     */
    /** The process's CPU time per embedding in the bound run with the better throughput. */
    private double boundCpuMs;

    private double boundPerSecSeen;

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private double embeddingBound(EmbeddingModel raw, int n, int callers) throws Exception {
        List<String> texts = take(n);
        for (int i = 0; i < Math.min(100, n); i++) {
            raw.embed(texts.get(i)); // warm-up
        }
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            long start = System.nanoTime();
            long cpu0 = processCpuNanos();
            List<Future<?>> parts = new ArrayList<>();
            for (int c = 0; c < callers; c++) {
                int from = c;
                parts.add(pool.submit(() -> {
                    for (int i = from; i < texts.size(); i += callers) {
                        raw.embed(TextSegment.from(texts.get(i)));
                    }
                }));
            }
            for (Future<?> f : parts) {
                f.get();
            }
            double perSec = n / ((System.nanoTime() - start) / 1e9);
            double cpuMs = (processCpuNanos() - cpu0) / 1e6 / n;
            if (perSec > boundPerSecSeen) { // the CPU cost of the run that sets the bound
                boundPerSecSeen = perSec;
                boundCpuMs = cpuMs;
            }
            System.err.printf(
                    Locale.ROOT,
                    "embedding bound: %d messages, one per call, %d caller(s): %.1f msgs/s (%.2f ms each, %.2f ms"
                            + " of CPU)%n",
                    n,
                    callers,
                    perSec,
                    1000 / perSec,
                    cpuMs);
            return perSec;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * The conversation store of a benchmark: {@code sqlite} (the embedded default, synchronous=FULL),
     * {@code sqlite-normal}, {@code h2} (a file in {@code dir}) or {@code memory}.
     */
    static ConversationStore store(String kind, Path dir) {
        return switch (kind) {
            case "sqlite" -> JdbcConversationStore.sqlite(dir);
            case "sqlite-normal" -> JdbcConversationStore.builder()
                    .sqlite(dir)
                    .sqliteSynchronous(JdbcConversationStore.SqliteSynchronous.NORMAL)
                    .build();
            case "h2" -> JdbcConversationStore.h2(dir);
            case "memory" -> new InMemoryConversationStore();
            default -> throw new IllegalArgumentException(
                    "--store must be sqlite, sqlite-normal, h2 or memory, was '" + kind + "'");
        };
    }

    // ---- pipeline ----

    private Map<String, Object> pipeline(
            EmbeddingModel model, KnowledgeStore knowledge, int sessions, int turns, int warmup) throws Exception {
        String kind = opts.getOrDefault("store", "sqlite");
        Path dir = Path.of(opts.get("data-dir"), kind + "-sessions-" + sessions + "-" + System.currentTimeMillis());
        try (ConversationStore store = store(kind, dir)) {
            Driver d = new Driver(store, model, knowledge);
            try {
                System.err.printf(Locale.ROOT, "pipeline, %d session(s): %d warm-up turns%n", sessions, warmup);
                d.runTurns(sessions, warmup, "w" + sessions);
                Histogram h = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
                d.latencies = h;
                long start = System.nanoTime();
                java.time.Instant measuredFrom = java.time.Instant.now();
                long texts0 = modelTexts.get();
                long cpu0 = processCpuNanos();
                long modelCpu0 = modelCpuNanos.get();
                d.runTurns(sessions, turns, "m" + sessions);
                long cpu = processCpuNanos() - cpu0;
                long modelCpu = modelCpuNanos.get() - modelCpu0;
                long embedded = modelTexts.get() - texts0;
                double secs = (System.nanoTime() - start) / 1e9;
                d.latencies = null;
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("sessions", sessions);
                r.put("turns", turns);
                r.put("turns_per_s", round(turns / secs));
                // the process's CPU time (all threads: turns, outbox, GC, JIT) per measured turn
                r.put("cpu_ms_per_turn", round(cpu / 1e6 / turns));
                // of which the embedding model's calls (in a turn, among other work, vs in the bound)
                r.put("embedding_cpu_ms_per_turn", round(modelCpu / 1e6 / turns));
                r.put("p50_ms", round(h.getValueAtPercentile(50) / 1000.0));
                r.put("p99_ms", round(h.getValueAtPercentile(99) / 1000.0));
                r.put("max_ms", round(h.getMaxValue() / 1000.0));
                r.put("handoff_share", round((double) d.handoffs.get() / (turns + warmup)));
                r.put("model_embeddings_per_turn", round((double) embedded / turns));
                Histogram tm = d.turnMicros(measuredFrom);
                r.put("turn_micros_p50", tm.getValueAtPercentile(50));
                r.put("turn_micros_p99", tm.getValueAtPercentile(99));
                Histogram[] phases = d.phases(measuredFrom);
                r.put("queue_wait_ms_p50", round(phases[0].getValueAtPercentile(50) / 1000.0));
                r.put("queue_wait_ms_p99", round(phases[0].getValueAtPercentile(99) / 1000.0));
                r.put("delivery_ms_p50", round(phases[1].getValueAtPercentile(50) / 1000.0));
                r.put("delivery_ms_p99", round(phases[1].getValueAtPercentile(99) / 1000.0));
                System.err.printf(Locale.ROOT, "pipeline, %d session(s): %s%n", sessions, r);
                return r;
            } finally {
                d.close();
            }
        }
    }

    /** One OpenCx over a store, with closed-loop virtual customers. */
    private final class Driver implements AutoCloseable {
        final ConversationStore store;
        final ApiChannel api = ApiChannel.create();
        final OpenCx cx;
        final Map<String, CompletableFuture<Long>> waiting = new ConcurrentHashMap<>();
        final AtomicInteger handoffs = new AtomicInteger();
        final Histogram turnMicros = new Histogram(TimeUnit.SECONDS.toMicros(60), 3);
        volatile Histogram latencies;

        final java.util.concurrent.ExecutorService turnPool =
                java.util.concurrent.Executors.newFixedThreadPool(turnThreads, r -> {
                    Thread t = new Thread(r, "bench-turn");
                    t.setDaemon(true);
                    return t;
                });

        Driver(ConversationStore store, EmbeddingModel model, KnowledgeStore knowledge) {
            this.store = store;
            api.onReply(this::delivered);
            this.cx = OpenCx.builder()
                    .store(store)
                    .channel(api)
                    .knowledge(knowledge)
                    .embeddingModel(model)
                    .scenarios(scenarios())
                    .topics(topics())
                    .prohibitedTopics(List.of("medical advice", "legal advice", "investment advice"))
                    .executor(turnPool)
                    .build();
        }

        private void delivered(OutboundMessage m) {
            long now = System.nanoTime();
            if (m.kind() == OutboundMessage.Kind.HANDOFF_NOTICE) {
                handoffs.incrementAndGet();
            }
            CompletableFuture<Long> f = waiting.remove(m.recipient().value() + "\0" + m.threadId());
            if (f != null) {
                f.complete(m.kind() == OutboundMessage.Kind.HANDOFF_NOTICE ? -now : now);
            }
        }

        /** {@code sessions} virtual customers share {@code turns} turns, each waiting for its reply. */
        void runTurns(int sessions, int turns, String tag) throws InterruptedException {
            AtomicInteger left = new AtomicInteger(turns);
            CountDownLatch done = new CountDownLatch(sessions);
            AtomicLong failures = new AtomicLong();
            for (int u = 0; u < sessions; u++) {
                String email = "customer-" + tag + "-" + u + "@example.com";
                Thread t = new Thread(
                        () -> {
                            int conversation = 0;
                            try {
                                if (thinkMs > 0) { // customers arrive at random times, not all at once
                                    Thread.sleep(java.util.concurrent.ThreadLocalRandom.current()
                                            .nextLong(thinkMs * 3 / 2 + 1));
                                }
                                while (left.getAndDecrement() > 0) {
                                    String thread = "c" + conversation;
                                    CompletableFuture<Long> reply = new CompletableFuture<>();
                                    waiting.put(email + "\0" + thread, reply);
                                    InboundMessage in = InboundMessage.builder(ChannelId.API)
                                            .from(Identity.email(email))
                                            .threadId(thread)
                                            .text(nextQuestion())
                                            .build();
                                    long start = System.nanoTime();
                                    api.receive(in).join();
                                    long end = reply.get(60, TimeUnit.SECONDS);
                                    if (end < 0) { // handed off: the session now belongs to the team; start a new
                                        // conversation
                                        end = -end;
                                        conversation++;
                                    }
                                    Histogram h = latencies;
                                    if (h != null) {
                                        synchronized (h) {
                                            h.recordValue(Math.max(1, (end - start) / 1000));
                                        }
                                    }
                                    if (thinkMs > 0) { // a person reads the answer and types the next message
                                        Thread.sleep(thinkMs / 2
                                                + java.util.concurrent.ThreadLocalRandom.current()
                                                        .nextLong(thinkMs + 1));
                                    }
                                }
                            } catch (Exception e) {
                                failures.incrementAndGet();
                                e.printStackTrace();
                            } finally {
                                done.countDown();
                            }
                        },
                        "customer-" + u);
                t.setDaemon(true);
                t.start();
            }
            done.await();
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " virtual customer(s) failed");
            }
        }

        /**
         * From the session logs: [0] the wait between storing a message and its turn starting, [1]
         * the time between a turn's end and the reply's delivery, in microseconds.
         */
        Histogram[] phases(java.time.Instant since) {
            Histogram wait = new Histogram(3);
            Histogram delivery = new Histogram(3);
            for (var s : store.sessions(new dev.opencx.store.SessionQuery(java.util.Set.of(), false, 100_000))) {
                java.time.Instant received = null;
                java.time.Instant completed = null;
                for (SessionEvent e : store.events(s.id())) {
                    if (e.at().isBefore(since)) {
                        continue; // warm-up
                    }
                    if (e.payload() instanceof dev.opencx.event.MessageReceived) {
                        received = e.at();
                    } else if (e.payload() instanceof TurnCompleted tc && received != null) {
                        completed = e.at();
                        long startMicros =
                                java.time.Duration.between(received, e.at()).toNanos() / 1000 - tc.micros();
                        wait.recordValue(Math.max(1, startMicros));
                    } else if (e.payload() instanceof dev.opencx.event.MessageDelivered && completed != null) {
                        delivery.recordValue(Math.max(
                                1, java.time.Duration.between(completed, e.at()).toNanos() / 1000));
                        completed = null;
                    }
                }
            }
            return new Histogram[] {wait, delivery};
        }

        /** The pipeline's own per-turn times (TurnCompleted micros) of the turns completed since then. */
        Histogram turnMicros(java.time.Instant since) {
            Histogram h = new Histogram(3);
            for (var s : store.sessions(new dev.opencx.store.SessionQuery(java.util.Set.of(), false, 100_000))) {
                for (SessionEvent e : store.events(s.id())) {
                    if (e.payload() instanceof TurnCompleted tc && !e.at().isBefore(since)) {
                        h.recordValue(Math.max(1, tc.micros()));
                    }
                }
            }
            return h;
        }

        @Override
        public void close() {
            cx.awaitIdle(Duration.ofSeconds(30));
            cx.close();
            turnPool.shutdown();
        }
    }

    String nextQuestion() {
        int i = nextQuestion.getAndIncrement();
        if (i >= questions.size()) {
            throw new IllegalStateException("ran out of distinct questions");
        }
        return questions.get(i);
    }

    private List<String> take(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(nextQuestion());
        }
        return out;
    }

    // ---- heap per idle session ----

    private long idleSessionHeap(EmbeddingModel model, KnowledgeStore knowledge, int n) throws Exception {
        // warm the shared parts first (caches, classes), outside the measured delta
        Driver warm = new Driver(new InMemoryConversationStore(), model, knowledge);
        warm.runTurns(32, 200, "hw");
        warm.close();
        warm = null;
        long base = usedHeapAfterGc();
        InMemoryConversationStore store = new InMemoryConversationStore();
        Driver d = new Driver(store, model, knowledge);
        // n customers, one turn each: n sessions, each then idle
        d.runTurns(32, 0, "unused");
        runOneTurnEach(d, n);
        d.cx.awaitIdle(Duration.ofSeconds(30));
        long with = usedHeapAfterGc();
        d.close();
        store.close();
        d = null;
        store = null;
        long without = usedHeapAfterGc();
        long perSession = (with - without) / n;
        System.err.printf(
                Locale.ROOT,
                "heap: %d sessions with one turn each: base %d, with %d, after dropping the client and store %d -> %d bytes/session%n",
                n,
                base,
                with,
                without,
                perSession);
        return perSession;
    }

    private void runOneTurnEach(Driver d, int n) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        Thread[] ts = new Thread[32];
        for (int u = 0; u < ts.length; u++) {
            ts[u] = new Thread(() -> {
                for (int i = next.getAndIncrement(); i < n; i = next.getAndIncrement()) {
                    String email = "idle-" + i + "@example.com";
                    CompletableFuture<Long> reply = new CompletableFuture<>();
                    d.waiting.put(email + "\0", reply);
                    d.api.receive(InboundMessage.builder(ChannelId.API)
                                    .from(Identity.email(email))
                                    .text(nextQuestion())
                                    .build())
                            .join();
                    try {
                        reply.get(60, TimeUnit.SECONDS);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            ts[u].start();
        }
        for (Thread t : ts) {
            t.join();
        }
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    // ---- configuration like a real deployment's ----

    public static List<Topic> topics() {
        List<Topic> out = new ArrayList<>();
        for (HelpCenterGenerator.Domain d : HelpCenterGenerator.DOMAINS) {
            List<String> examples = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                examples.add("how do I " + d.actions()[i % d.actions().length] + " my "
                        + d.objects()[i % d.objects().length]);
            }
            examples.add("my " + d.objects()[0] + " " + d.problems()[0]);
            out.add(new Topic(d.id(), d.name(), examples));
        }
        return out;
    }

    public static List<TrainingScenario> scenarios() {
        return List.of(
                TrainingScenario.exactAnswer(
                        "opening-hours",
                        "Our support team is available Monday to Friday, 8 am to 8 pm.",
                        "when is customer support open",
                        "what are your support hours"),
                TrainingScenario.exactAnswer(
                        "gift-wrap",
                        "Gift wrapping is free: tick the box at checkout.",
                        "do you offer gift wrapping",
                        "can you wrap my order as a present"),
                TrainingScenario.exactAnswer(
                        "discount-code",
                        "Enter the code in the Discount field on the payment page.",
                        "where do I enter my discount code",
                        "how do I use a promo code"));
    }

    // ---- output ----

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static String json(Map<String, Object> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(k).append("\":");
            if (v instanceof Map<?, ?> inner) {
                @SuppressWarnings("unchecked")
                Map<String, Object> im = (Map<String, Object>) inner;
                sb.append(json(im));
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                sb.append('"')
                        .append(String.valueOf(v).replace("\\", "\\\\").replace("\"", "\\\""))
                        .append('"');
            }
        });
        return sb.append('}').toString();
    }

    @SuppressWarnings("unused")
    private static void deleteQuietly(Path p) throws IOException {
        if (Files.exists(p)) {
            try (Stream<Path> s = Files.walk(p)) {
                s.sorted(Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
            }
        }
    }
}
