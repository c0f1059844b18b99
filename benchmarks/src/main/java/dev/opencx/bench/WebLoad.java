package dev.opencx.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The web channel under load: {@code --sessions} widget visitors, each with its own anonymous
 * token, session and server-sent event stream, chatting with the embedded responder through the
 * widget's HTTP API on loopback; some ask for a person, and an agent answers them through the
 * team inbox ({@code InboxHelpdesk.reply}) and resolves, after which the visitor starts a new
 * session. The server ({@link WebLoadServer}) runs in its own JVM by default.
 *
 * <pre>
 * java -cp benchmarks/target/opencx-benchmarks.jar dev.opencx.bench.WebLoad \
 *     --sessions 1000 --duration 120 --warmup 30 --rate 50
 * </pre>
 *
 * <p>What it measures, in the measured window only (after {@code --warmup} seconds of traffic):
 * reply latency, from the start of the customer's {@code POST .../messages} to the AI reply
 * arriving on that session's stream; handoff-notice latency, the same for a request for a person;
 * agent latency, from the call of {@code InboxHelpdesk.reply} in the server (its {@link
 * System#nanoTime()}, the same monotonic clock as the load generator's on one Linux machine,
 * checked at start) and from the agent's HTTP request, to the message's arrival on the visitor's
 * stream. Errors over the whole run: failed POSTs (after three retries with the same {@code
 * clientMessageId}, as the widget retries), replies that never came ({@code --timeout}), events
 * seen twice or out of order, messages and handoff notices without text, events missing from the
 * stream (each session's stream is compared with its {@code GET .../messages} at the end, which
 * also shows what a reloaded widget would get), streams that dropped and did not come back within
 * the timeout. Server heap: peak used, the largest used-after-GC, and used after a full GC at the
 * end with every stream still open.
 *
 * <p>Each visitor sends its next message 0.5 to 1.5 times the mean think time after the previous
 * answer, the mean being {@code sessions / rate} (a person reads and types; the arrivals of a
 * thousand visitors add up to about {@code --rate} messages per second). A message asks for a
 * person with probability {@code --handoff-share}; the agent then writes {@code --agent-messages}
 * messages, each {@code --agent-think-ms} (0.5 to 1.5 times) after the previous one arrived, and
 * resolves.
 *
 * <p>The client is {@link HttpClient} (HTTP/1.1) driven asynchronously: one selector thread and
 * {@code --client-threads} (2) callback threads serve every connection, so a thousand streams do
 * not need a thousand threads on a 2-core machine. Progress goes to stderr; the last stdout line
 * is the JSON report.
 *
 * <p>Options (defaults): {@code --sessions 1000 --duration 120 --warmup 30 --rate 50
 * --handoff-share 0.05 --agent-messages 3 --agent-think-ms 2000 --timeout 30 --ramp 100}
 * (sessions connected per second) {@code --client-threads 2 --reconnect-ms 2000}; {@code
 * --drops-per-s N} (visitors whose stream drops, each second, on average) and {@code
 * --close-streams-every S} (the server closes every stream) test resumption; {@code --histogram
 * FILE} writes the server's class histogram at the end; the server:
 * {@code --server spawn|in-process|external} ({@code spawn}: a child JVM with {@code
 * --server-jvm "-Xmx1g"}; {@code external}: one already running on {@code --port}), {@code
 * --port 0 --store memory|sqlite|sqlite-normal|h2 --data-dir --embeddings hashing|minilm --articles 50
 * --heartbeat-ms --max-threads}.
 */
public final class WebLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] HUMAN = {
        "I want to talk to a person, please.",
        "Can I speak to a human agent?",
        "Please connect me with a real person.",
        "I would like to chat with someone from customer service.",
        "Agent please"
    };
    /** The counters that are errors (the target is 0 of each). */
    private static final List<String> ERRORS = List.of(
            "post_failures",
            "reply_timeouts",
            "agent_failures",
            "agent_timeouts",
            "resolve_failures",
            "resolved_timeouts",
            "connect_failures",
            "duplicate_events",
            "dropped_events",
            "phantom_events",
            "unexpected_events",
            "blank_events",
            "blank_on_reread",
            "sse_unrecovered",
            "verify_failures");

    private static final List<String> SERVER_OPTIONS =
            List.of("port", "host", "store", "data-dir", "embeddings", "articles", "heartbeat-ms", "max-threads");

    enum Phase {
        CONNECT,
        WARMUP,
        MEASURE,
        DRAIN,
        DONE;

        boolean sending() {
            return this == CONNECT || this == WARMUP || this == MEASURE;
        }
    }

    private final Map<String, String> opts;
    private final int sessions;
    private final long durationS;
    private final long warmupS;
    private final double rate;
    private final double handoffShare;
    private final int agentMessages;
    private final long agentThinkMs;
    private final long timeoutNanos;
    private final long reconnectMs;
    private final double dropsPerSec;
    private final long closeStreamsEveryS;
    private final double thinkMeanMs;
    private final List<String> questions;
    private final AtomicInteger nextQuestion = new AtomicInteger();
    private final AtomicLong agentSeq = new AtomicLong();

    private final ExecutorService clientPool;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor timer;
    private URI base;
    private volatile Phase phase = Phase.CONNECT;
    private boolean clockShared;
    private JsonNode heapAtStart;
    private final List<Visitor> visitors = new ArrayList<>();
    private final ConcurrentLinkedQueue<SessionLog> sessionLogs = new ConcurrentLinkedQueue<>();

    // ---- figures ----
    private final Lat reply = new Lat();
    private final Lat handoffNotice = new Lat();
    private final Lat agentFromReplyCall = new Lat();
    private final Lat agentFromRequest = new Lat();
    private final Lat resolvedLat = new Lat();
    private final Lat postAccepted = new Lat();
    private final Lat echo = new Lat();
    private final Map<String, AtomicLong> counts = new LinkedHashMap<>();
    private final AtomicInteger openStreams = new AtomicInteger();
    private final AtomicInteger connectedVisitors = new AtomicInteger();
    private final AtomicInteger peakStreams = new AtomicInteger();
    private final List<String> errorSamples = java.util.Collections.synchronizedList(new ArrayList<>());

    private WebLoad(Map<String, String> o) {
        this.opts = o;
        this.sessions = Integer.parseInt(o.getOrDefault("sessions", "1000"));
        this.durationS = Long.parseLong(o.getOrDefault("duration", "120"));
        this.warmupS = Long.parseLong(o.getOrDefault("warmup", "30"));
        this.rate = Double.parseDouble(o.getOrDefault("rate", "50"));
        this.handoffShare = Double.parseDouble(o.getOrDefault("handoff-share", "0.05"));
        this.agentMessages = Integer.parseInt(o.getOrDefault("agent-messages", "3"));
        this.agentThinkMs = Long.parseLong(o.getOrDefault("agent-think-ms", "2000"));
        this.timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(o.getOrDefault("timeout", "30")));
        this.reconnectMs = Long.parseLong(o.getOrDefault("reconnect-ms", "2000"));
        this.dropsPerSec = Double.parseDouble(o.getOrDefault("drops-per-s", "0"));
        this.closeStreamsEveryS = Long.parseLong(o.getOrDefault("close-streams-every", "0"));
        if (sessions < 1 || rate <= 0 || durationS < 1 || handoffShare < 0 || handoffShare > 1) {
            throw new IllegalArgumentException("need --sessions >= 1, --rate > 0, --duration >= 1 and --handoff-share"
                    + " from 0 to 1, were " + sessions + ", " + rate + ", " + durationS + ", " + handoffShare);
        }
        this.thinkMeanMs = 1000.0 * sessions / rate;
        long ramp = sessions / Math.max(1, Integer.parseInt(o.getOrDefault("ramp", "100")));
        int needed = (int) Math.min(2_000_000, rate * (durationS + warmupS + ramp + 60) * 1.3 + 1000);
        this.questions = HelpCenterGenerator.questions(needed, 7);
        int threads = Integer.parseInt(o.getOrDefault("client-threads", "2"));
        // like a browser, drop idle connections before the server does (its idle timeout is 60 s), so
        // that a POST never goes out on a connection the server is closing
        if (System.getProperty("jdk.httpclient.keepalive.timeout") == null) {
            System.setProperty("jdk.httpclient.keepalive.timeout", "30");
        }
        AtomicInteger tn = new AtomicInteger();
        this.clientPool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "web-load-http-" + tn.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(clientPool)
                .build();
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "web-load-timer");
            t.setDaemon(true);
            return t;
        });
        for (String c : List.of(
                "posts",
                "posts_accepted",
                "post_retries",
                "post_failures",
                "ai_replies",
                "handoffs",
                "handoffs_without_request",
                "human_requests_answered_by_ai",
                "agent_requests",
                "agent_not_in_inbox_yet",
                "agent_failures",
                "agent_messages",
                "agent_joined_events",
                "resolves",
                "resolve_failures",
                "resolved_events",
                "transient_events",
                "sessions_opened",
                "connect_failures",
                "streams_opened",
                "sse_disconnects",
                "sse_drops_injected",
                "server_stream_closes",
                "sse_reconnects",
                "sse_refusals",
                "sse_unrecovered",
                "reply_timeouts",
                "agent_timeouts",
                "resolved_timeouts",
                "duplicate_events",
                "unexpected_events",
                "blank_events",
                "blank_on_reread",
                "dropped_events",
                "phantom_events",
                "verify_failures")) {
            counts.put(c, new AtomicLong());
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> result = new WebLoad(WebLoadServer.options(args)).run();
        System.out.println(JSON.writeValueAsString(result));
    }

    /** Runs the whole benchmark and returns the report. */
    static Map<String, Object> run(Map<String, String> options) throws Exception {
        return new WebLoad(options).run();
    }

    private Map<String, Object> run() throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("load_average_at_start", loadAverage());
        String mode = opts.getOrDefault("server", "spawn");
        Process child = null;
        WebLoadServer inProcess = null;
        try {
            int port;
            switch (mode) {
                case "spawn" -> {
                    child = spawnServer();
                    port = awaitPort(child);
                }
                case "in-process" -> {
                    inProcess = WebLoadServer.start(serverOptions());
                    port = inProcess.port();
                }
                case "external" -> port = Integer.parseInt(opts.getOrDefault("port", "8090"));
                default -> throw new IllegalArgumentException(
                        "--server must be spawn, in-process or external, was '" + mode + "'");
            }
            base = URI.create("http://127.0.0.1:" + port + "/");
            clockShared = checkClock();
            report.put("config", config(mode));
            timer.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
            if (dropsPerSec > 0) {
                timer.scheduleWithFixedDelay(this::dropSome, 1, 1, TimeUnit.SECONDS);
            }
            if (closeStreamsEveryS > 0) {
                timer.scheduleWithFixedDelay(
                        this::closeAllStreams, closeStreamsEveryS, closeStreamsEveryS, TimeUnit.SECONDS);
            }
            report.putAll(drive());
        } finally {
            phase = Phase.DONE;
            for (Visitor v : visitors) {
                v.close();
            }
            if (child != null) {
                try {
                    send("POST", "/bench/shutdown", "{}").get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.err.println("shutdown request failed: " + e);
                }
                if (!child.waitFor(20, TimeUnit.SECONDS)) {
                    child.destroy();
                    child.waitFor(10, TimeUnit.SECONDS);
                }
            }
            if (inProcess != null) {
                inProcess.close();
            }
            timer.shutdownNow();
            clientPool.shutdownNow();
        }
        report.put("load_average_at_end", loadAverage());
        return report;
    }

    private Map<String, String> serverOptions() {
        Map<String, String> s = new LinkedHashMap<>();
        for (String k : SERVER_OPTIONS) {
            if (opts.containsKey(k)) {
                s.put(k, opts.get(k));
            }
        }
        return s;
    }

    private Process spawnServer() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : opts.getOrDefault("server-jvm", "-Xmx1g").split("\\s+")) {
            if (!a.isBlank()) {
                cmd.add(a);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WebLoadServer.class.getName());
        serverOptions().forEach((k, v) -> {
            cmd.add("--" + k);
            cmd.add(v);
        });
        System.err.println("starting the server: " + String.join(" ", cmd.subList(0, cmd.indexOf("-cp"))) + " ... "
                + String.join(" ", cmd.subList(cmd.indexOf("-cp") + 2, cmd.size())));
        return new ProcessBuilder(cmd)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** Reads the child's stdout until it names its port; then echoes the rest to stderr. */
    private static int awaitPort(Process child) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            if (!port.isDone() && line.startsWith("WEBLOAD-SERVER port=")) {
                                port.complete(Integer.parseInt(line.substring("WEBLOAD-SERVER port=".length())));
                            } else {
                                System.err.println("[server] " + line);
                            }
                        }
                    } catch (IOException e) {
                        // the child ended
                    }
                    port.completeExceptionally(new IllegalStateException("the server exited without naming its port"));
                },
                "web-load-server-out");
        reader.setDaemon(true);
        reader.start();
        return port.get(120, TimeUnit.SECONDS);
    }

    /**
     * The agent figure "from the InboxHelpdesk.reply call" compares the server's nanoTime with
     * ours: valid when both read one clock (CLOCK_MONOTONIC, per machine on Linux). Checked by
     * bracketing the server's reading between two of ours, twenty times.
     */
    private boolean checkClock() throws Exception {
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = send("GET", "/bench/clock", null).get(10, TimeUnit.SECONDS);
            long t1 = System.nanoTime();
            long server = JSON.readTree(r.body()).path("nanos").asLong();
            if (server < t0 || server > t1) {
                System.err.printf(
                        Locale.ROOT,
                        "the server's clock is not ours (%d not in [%d, %d]): agent latency from the request only%n",
                        server,
                        t0,
                        t1);
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> config(String mode) throws Exception {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("sessions", sessions);
        c.put("duration_s", durationS);
        c.put("warmup_s", warmupS);
        c.put("rate_target_msgs_per_s", rate);
        c.put("think_mean_s", round(thinkMeanMs / 1000));
        c.put("handoff_share", handoffShare);
        c.put("agent_messages", agentMessages);
        c.put("agent_think_ms", agentThinkMs);
        c.put("timeout_s", TimeUnit.NANOSECONDS.toSeconds(timeoutNanos));
        c.put("server", mode);
        if (mode.equals("spawn")) {
            c.put("server_jvm", opts.getOrDefault("server-jvm", "-Xmx1g"));
        }
        c.put("server_options", serverOptions());
        c.put(
                "client",
                "java.net.http.HttpClient, HTTP/1.1, async, " + opts.getOrDefault("client-threads", "2")
                        + " callback threads");
        c.put("client_max_heap_bytes", Runtime.getRuntime().maxMemory());
        c.put("cores", Runtime.getRuntime().availableProcessors());
        c.put("java", System.getProperty("java.vm.version"));
        c.put("clock_shared_with_server", clockShared);
        heapAtStart = stats(true);
        c.put("server_open_sessions_at_start", heapAtStart.path("open_sessions").asLong());
        c.put("server_config", heapAtStart.path("config"));
        return c;
    }

    // ---- the run ----

    private Map<String, Object> drive() throws Exception {
        long t0 = System.nanoTime();
        int ramp = Math.max(1, Integer.parseInt(opts.getOrDefault("ramp", "100")));
        System.err.printf(
                Locale.ROOT,
                "connecting %d visitors (%d/s), then %d s warm-up and %d s measured at ~%.0f msgs/s (think %.1f s)%n",
                sessions,
                ramp,
                warmupS,
                durationS,
                rate,
                thinkMeanMs / 1000);
        for (int i = 0; i < sessions; i++) {
            Visitor v = new Visitor(i);
            visitors.add(v);
            timer.schedule(v::connect, i * 1000L / ramp, TimeUnit.MILLISECONDS);
        }
        long connectDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(sessions / ramp + 60);
        while (connectedVisitors.get() < sessions && System.nanoTime() < connectDeadline) {
            progress(t0, 1000);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("connect_s", round((System.nanoTime() - t0) / 1e9));
        out.put("visitors_connected", connectedVisitors.get());
        phase = Phase.WARMUP;
        long warmEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupS);
        while (System.nanoTime() < warmEnd) {
            progress(t0, Math.min(10_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(warmEnd - System.nanoTime()))));
        }
        JsonNode before = stats(false);
        long clientCpu0 = processCpuNanos();
        Map<String, Long> counts0 = snapshot();
        reset();
        phase = Phase.MEASURE;
        long m0 = System.nanoTime();
        long measureEnd = m0 + TimeUnit.SECONDS.toNanos(durationS);
        while (System.nanoTime() < measureEnd) {
            progress(t0, Math.min(10_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureEnd - System.nanoTime()))));
        }
        double measuredS = (System.nanoTime() - m0) / 1e9;
        Map<String, Long> counts1 = snapshot();
        long clientCpu1 = processCpuNanos();
        JsonNode after = stats(false);
        phase = Phase.DRAIN;
        System.err.println("measured window over; waiting for outstanding replies, agents and resolutions");
        long drainEnd = System.nanoTime() + timeoutNanos + TimeUnit.SECONDS.toNanos(5);
        while (busyVisitors() > 0 && System.nanoTime() < drainEnd) {
            Thread.sleep(200);
        }
        out.put("busy_visitors_after_drain", busyVisitors());
        // a stream the server just closed (close-streams-every) or a drop cut is back within the reconnect
        // delay: let those reconnects land before counting the streams open at the end
        long settleEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (openStreams.get() < connectedVisitors.get() && System.nanoTime() < settleEnd) {
            Thread.sleep(50);
        }
        int streamsOpenAtEnd = openStreams.get();
        System.err.println("verifying every session's stream against its messages");
        verify();
        JsonNode end = stats(true);
        if (opts.containsKey("histogram")) {
            classHistogram(end.path("pid").asLong(), Path.of(opts.get("histogram")));
        }
        out.put("streams_open_at_end", streamsOpenAtEnd);
        out.put("server_open_streams_at_end", end.path("open_streams").asLong());
        out.put("peak_streams_open", peakStreams.get());

        Map<String, Object> traffic = new LinkedHashMap<>();
        traffic.put("measured_s", round(measuredS));
        traffic.put("customer_msgs_per_s", round((counts1.get("posts") - counts0.get("posts")) / measuredS));
        for (String k : List.of(
                "posts",
                "ai_replies",
                "handoffs",
                "handoffs_without_request",
                "human_requests_answered_by_ai",
                "agent_messages",
                "resolved_events",
                "sessions_opened")) {
            traffic.put(k, counts1.get(k) - counts0.get(k));
        }
        out.put("measured", traffic);
        out.put("reply_latency_ms", reply.summary());
        out.put("handoff_notice_latency_ms", handoffNotice.summary());
        Map<String, Object> agent = new LinkedHashMap<>();
        agent.put(
                "from_inbox_reply_call",
                clockShared ? agentFromReplyCall.summary() : "not measured: the clocks differ");
        agent.put("from_agent_request", agentFromRequest.summary());
        out.put("agent_latency_ms", agent);
        out.put("resolved_latency_ms", resolvedLat.summary());
        out.put("customer_echo_latency_ms", echo.summary());
        out.put("post_accepted_latency_ms", postAccepted.summary());

        Map<String, Object> errors = new LinkedHashMap<>();
        long total = 0;
        for (String k : ERRORS) {
            long n = counts.get(k).get();
            errors.put(k, n);
            total += n;
        }
        errors.put("total", total);
        if (!errorSamples.isEmpty()) {
            errors.put("samples", List.copyOf(errorSamples.subList(0, Math.min(10, errorSamples.size()))));
        }
        out.put("errors", errors);
        Map<String, Object> recovered = new LinkedHashMap<>();
        for (String k : List.of(
                "post_retries",
                "agent_not_in_inbox_yet",
                "sse_drops_injected",
                "server_stream_closes",
                "sse_disconnects",
                "sse_reconnects",
                "sse_refusals")) {
            recovered.put(k, counts.get(k).get());
        }
        out.put("recovered", recovered);

        Map<String, Object> server = new LinkedHashMap<>();
        long startHeap = heapAtStart.path("heap_used_after_full_gc_bytes").asLong();
        long endHeap = end.path("heap_used_after_full_gc_bytes").asLong();
        server.put("heap_used_after_full_gc_at_start_mb", mb(startHeap));
        server.put("heap_used_after_full_gc_mb", mb(endHeap));
        server.put("heap_growth_per_visitor_kb", round((endHeap - startHeap) / 1024.0 / sessions));
        server.put("heap_peak_used_mb", mb(end.path("heap_peak_used_bytes")));
        server.put("heap_max_used_after_gc_mb", mb(end.path("heap_max_after_gc_bytes")));
        server.put("heap_committed_mb", mb(end.path("heap_committed_bytes")));
        server.put("heap_max_mb", mb(end.path("heap_max_bytes")));
        server.put("gc_count", end.path("gc_count").asLong());
        server.put("gc_ms", end.path("gc_millis").asLong());
        server.put("gc_max_pause_ms", end.path("heap_max_gc_pause_ms").asLong());
        server.put("threads", end.path("threads").asLong());
        server.put("peak_threads", end.path("peak_threads").asLong());
        server.put("open_sessions", end.path("open_sessions").asLong());
        server.put("handoff_reasons_whole_run", end.path("handoff_reasons"));
        if (after.has("process_cpu_nanos")
                && !opts.getOrDefault("server", "spawn").equals("in-process")) {
            double cpu = (after.path("process_cpu_nanos").asLong()
                            - before.path("process_cpu_nanos").asLong())
                    / 1e9;
            server.put("cpu_cores_used_measured", round(cpu / measuredS));
        }
        out.put("server", server);
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("cpu_cores_used_measured", round((clientCpu1 - clientCpu0) / 1e9 / measuredS));
        client.put("threads", ManagementFactory.getThreadMXBean().getThreadCount());
        client.put("peak_threads", ManagementFactory.getThreadMXBean().getPeakThreadCount());
        out.put("client", client);
        out.put("wall_s", round((System.nanoTime() - t0) / 1e9));
        System.err.println("errors: " + errors);
        return out;
    }

    /** The server's live objects by class (jcmd GC.class_histogram), to explain its heap. */
    private static void classHistogram(long pid, Path file) {
        try {
            Process p = new ProcessBuilder(
                            Path.of(System.getProperty("java.home"), "bin", "jcmd")
                                    .toString(),
                            Long.toString(pid),
                            "GC.class_histogram")
                    .redirectErrorStream(true)
                    .redirectOutput(file.toFile())
                    .start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroy();
            }
            System.err.println("server class histogram written to " + file);
        } catch (IOException e) {
            System.err.println("no class histogram: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int busyVisitors() {
        int n = 0;
        for (Visitor v : visitors) {
            if (v.busy()) {
                n++;
            }
        }
        return n;
    }

    private long lastProgress;
    private Map<String, Long> lastCounts;

    /** Sleeps up to {@code sleepMs}, printing a line every 10 s. */
    private void progress(long t0, long sleepMs) throws Exception {
        Thread.sleep(sleepMs);
        long now = System.nanoTime();
        if (now - lastProgress < TimeUnit.SECONDS.toNanos(10) - TimeUnit.MILLISECONDS.toNanos(50)) {
            return;
        }
        double secs = lastProgress == 0 ? (now - t0) / 1e9 : (now - lastProgress) / 1e9;
        lastProgress = now;
        Map<String, Long> c = snapshot();
        Map<String, Long> p = lastCounts == null ? Map.of() : lastCounts;
        lastCounts = c;
        Histogram iv = reply.interval();
        JsonNode s = stats(false);
        System.err.printf(
                Locale.ROOT,
                "%5.0f s %-7s streams %4d (server %d) | %.1f msgs/s, replies p50 %.1f p99 %.1f ms (%d) | "
                        + "handoffs %d, agent msgs %d | errors %d, disconnects %d | server heap %d MB, cpu %.2f s%n",
                (now - t0) / 1e9,
                phase,
                openStreams.get(),
                s.path("open_streams").asLong(),
                (c.get("posts") - p.getOrDefault("posts", 0L)) / secs,
                iv.getValueAtPercentile(50) / 1000.0,
                iv.getValueAtPercentile(99) / 1000.0,
                iv.getTotalCount(),
                c.get("handoffs") - p.getOrDefault("handoffs", 0L),
                c.get("agent_messages") - p.getOrDefault("agent_messages", 0L),
                errorCount(),
                c.get("sse_disconnects"),
                s.path("heap_used_bytes").asLong() >> 20,
                s.path("process_cpu_nanos").asLong() / 1e9);
    }

    private long errorCount() {
        long n = 0;
        for (String k : ERRORS) {
            n += counts.get(k).get();
        }
        return n;
    }

    private Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        counts.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    private void reset() {
        for (Lat l :
                List.of(reply, handoffNotice, agentFromReplyCall, agentFromRequest, resolvedLat, postAccepted, echo)) {
            l.reset();
        }
    }

    private JsonNode stats(boolean fullGc) throws Exception {
        HttpResponse<String> r =
                send("GET", "/bench/stats" + (fullGc ? "?gc=true" : ""), null).get(60, TimeUnit.SECONDS);
        return JSON.readTree(r.body());
    }

    /**
     * Once a second, {@code --drops-per-s} visitors (on average) lose their stream, as on a flaky
     * network or a page reload, and come back {@code --reconnect-ms} later with {@code Last-Event-ID}.
     */
    private void dropSome() {
        if (!phase.sending()) {
            return;
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int n = (int) dropsPerSec + (r.nextDouble() < dropsPerSec - (int) dropsPerSec ? 1 : 0);
        for (int i = 0; i < n; i++) {
            visitors.get(r.nextInt(visitors.size())).drop();
        }
    }

    /** Every {@code --close-streams-every} seconds the server ends every stream; all of them resume. */
    private void closeAllStreams() {
        if (!phase.sending()) {
            return;
        }
        try {
            HttpResponse<String> r = send("POST", "/bench/close-streams", "{}").get(30, TimeUnit.SECONDS);
            long closed = JSON.readTree(r.body()).path("closed").asLong();
            counts.get("server_stream_closes").addAndGet(closed);
            System.err.printf(Locale.ROOT, "the server closed %d streams%n", closed);
        } catch (Exception e) {
            error("close-streams", e.toString());
        }
    }

    /** Once a second: replies, agent messages and resolutions that never came; streams that stay down. */
    private void sweep() {
        long now = System.nanoTime();
        for (Visitor v : visitors) {
            try {
                v.sweep(now);
            } catch (RuntimeException e) {
                error("sweep", e.toString());
            }
        }
    }

    // ---- verification ----

    /**
     * Every session's visible items ({@code GET .../messages}, paged) must be exactly the durable
     * events its stream delivered: a missing one is dropped, an extra one a phantom.
     */
    private void verify() throws Exception {
        List<SessionLog> all = List.copyOf(sessionLogs);
        Semaphore inFlight = new Semaphore(16);
        List<CompletableFuture<Void>> checks = new ArrayList<>();
        List<SessionLog> suspicious = java.util.Collections.synchronizedList(new ArrayList<>());
        for (SessionLog s : all) {
            inFlight.acquire();
            List<Long> blank = java.util.Collections.synchronizedList(new ArrayList<>());
            checks.add(serverIds(s, 0, new ArrayList<>(), blank).handle((ids, err) -> {
                inFlight.release();
                if (err != null) {
                    count("verify_failures");
                    error("verify", s.id + ": " + err);
                    return null;
                }
                if (!blank.isEmpty()) {
                    counts.get("blank_on_reread").addAndGet(blank.size());
                    error("blank", "session " + s.id + ": items " + blank + " have no text when read again");
                }
                if (!s.matches(ids)) {
                    suspicious.add(s);
                }
                return null;
            }));
        }
        CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        if (!suspicious.isEmpty()) {
            Thread.sleep(3000); // events still on their way
        }
        for (SessionLog s : suspicious) {
            List<Long> ids =
                    serverIds(s, 0, new ArrayList<>(), new ArrayList<>()).get(60, TimeUnit.SECONDS);
            List<Long> missing = s.missing(ids);
            List<Long> extra = s.extra(ids);
            counts.get("dropped_events").addAndGet(missing.size());
            counts.get("phantom_events").addAndGet(extra.size());
            if (!missing.isEmpty() || !extra.isEmpty()) {
                error("verify", "session " + s.id + ": missing " + missing + ", extra " + extra + ", server " + ids);
            }
        }
        System.err.printf(
                Locale.ROOT,
                "verified %d sessions: %d dropped, %d phantom%n",
                all.size(),
                counts.get("dropped_events").get(),
                counts.get("phantom_events").get());
    }

    /**
     * The ids of a session's visible items, read page by page; {@code blank} gets those of messages
     * and handoff notices without text (what a visitor who reloads the page would see empty).
     */
    private CompletableFuture<List<Long>> serverIds(SessionLog s, long after, List<Long> acc, List<Long> blank) {
        return send(
                        "GET",
                        "/widget/v1/sessions/" + s.id + "/messages?after=" + after + "&limit=500",
                        null,
                        "Authorization",
                        "Bearer " + s.token)
                .thenCompose(r -> {
                    if (r.statusCode() != 200) {
                        throw new IllegalStateException("GET messages: " + r.statusCode() + " " + r.body());
                    }
                    JsonNode page;
                    try {
                        page = JSON.readTree(r.body());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                    for (JsonNode item : page.path("items")) {
                        acc.add(item.path("id").asLong());
                        if (isBlank(item.path("type").asText(), item)) {
                            blank.add(item.path("id").asLong());
                        }
                    }
                    if (page.path("more").asBoolean()) {
                        return serverIds(s, page.path("lastEventId").asLong(), acc, blank);
                    }
                    return CompletableFuture.completedFuture(acc);
                });
    }

    /** A message or handoff notice without text. */
    private static boolean isBlank(String type, JsonNode item) {
        return (type.equals("message") || type.equals("handoff"))
                && item.path("text").asText().isBlank();
    }

    // ---- HTTP ----

    private CompletableFuture<HttpResponse<String>> send(String method, String path, String json, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (json != null) {
            b.method(method, HttpRequest.BodyPublishers.ofString(json)).header("Content-Type", "application/json");
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private static String body(Map<String, String> fields) {
        ObjectNode o = JSON.createObjectNode();
        fields.forEach(o::put);
        return o.toString();
    }

    private void count(String name) {
        counts.get(name).incrementAndGet();
    }

    private final AtomicInteger printed = new AtomicInteger();

    /** An error: the first 50 go in the report; printed like {@link #note}. */
    private void error(String what, String detail) {
        if (errorSamples.size() < 50) {
            errorSamples.add(what + ": " + detail);
        }
        note(what, detail);
    }

    /** Something recovered from (a dropped stream, a retried POST): the first 200 are printed. */
    private void note(String what, String detail) {
        int n = printed.incrementAndGet();
        if (n <= 200) {
            System.err.println("problem: " + what + ": " + detail);
        } else if (n == 201) {
            System.err.println("(more problems are counted, not printed)");
        }
    }

    private long think() {
        return (long) (thinkMeanMs * (0.5 + ThreadLocalRandom.current().nextDouble()));
    }

    private String nextQuestion() {
        int i = nextQuestion.getAndIncrement();
        return questions.get(i % questions.size());
    }

    private void later(long millis, Runnable task) {
        if (phase == Phase.DONE) {
            return;
        }
        try {
            timer.schedule(
                    () -> {
                        try {
                            task.run();
                        } catch (RuntimeException e) {
                            error("task", e.toString());
                        }
                    },
                    millis,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the run is over
        }
    }

    // ---- one visitor ----

    /** What one session's stream delivered, for the final comparison with the server. */
    private static final class SessionLog {
        final String id;
        final String ticket;
        final String token;
        final List<Long> ids = new ArrayList<>();
        long lastId;
        /** The visitor moved on (resolved): only items up to what it saw count. */
        boolean left;

        SessionLog(String id, String ticket, String token) {
            this.id = id;
            this.ticket = ticket;
            this.token = token;
        }

        synchronized boolean matches(List<Long> server) {
            return missing(server).isEmpty() && extra(server).isEmpty();
        }

        synchronized List<Long> missing(List<Long> server) {
            List<Long> out = new ArrayList<>();
            java.util.Set<Long> seen = new java.util.HashSet<>(ids);
            for (long id : server) {
                if ((!left || id <= lastId) && !seen.contains(id)) {
                    out.add(id);
                }
            }
            return out;
        }

        synchronized List<Long> extra(List<Long> server) {
            java.util.Set<Long> known = new java.util.HashSet<>(server);
            List<Long> out = new ArrayList<>();
            for (long id : ids) {
                if (!known.contains(id)) {
                    out.add(id);
                }
            }
            return out;
        }
    }

    private enum Mode {
        CONNECTING,
        CHATTING,
        HANDED_OFF,
        RESOLVING
    }

    /** A customer message waiting for its answer. */
    private static final class Pending {
        final String clientId;
        final boolean human;
        final boolean measured;
        long sentAt;
        long echoAt;

        Pending(String clientId, boolean human, boolean measured) {
            this.clientId = clientId;
            this.human = human;
            this.measured = measured;
        }
    }

    /** An agent message on its way. */
    private static final class AgentMsg {
        final long id;
        final boolean measured;
        long sentAt;
        long calledAt;
        long arrivedAt;

        AgentMsg(long id, boolean measured) {
            this.id = id;
            this.measured = measured;
        }
    }

    /** One widget visitor: token, session, stream; every method runs under its lock. */
    private final class Visitor {
        final int n;
        String token;
        SessionLog session;
        SseConnection stream;
        int generation;
        boolean streamOpen;
        long downSince;
        boolean unrecoveredCounted;
        Mode mode = Mode.CONNECTING;
        Pending pending;
        AgentMsg agentPending;
        int agentCount;
        long resolveSentAt;
        boolean resolveMeasured;
        int messageSeq;
        int connectAttempts;
        boolean connectedOnce;

        Visitor(int n) {
            this.n = n;
        }

        synchronized boolean busy() {
            return pending != null || agentPending != null || mode == Mode.RESOLVING || mode == Mode.CONNECTING;
        }

        /** New visitor: a token, then a session, then its stream. */
        synchronized void connect() {
            send("POST", "/widget/v1/auth", "{}")
                    .thenCompose(r -> {
                        expect(r, 200, "auth");
                        synchronized (this) {
                            token = json(r).path("token").asText();
                        }
                        return openSession();
                    })
                    .whenComplete((r, e) -> {
                        if (e != null) {
                            connectFailed(e);
                        }
                    });
        }

        private synchronized void connectFailed(Throwable e) {
            count("connect_failures");
            error("connect", "visitor " + n + ": " + e);
            if (++connectAttempts < 5 && phase != Phase.DONE) {
                later(1000, () -> {
                    synchronized (this) {
                        if (token == null) {
                            connect();
                        } else {
                            openSession().whenComplete((r, e2) -> {
                                if (e2 != null) {
                                    connectFailed(e2);
                                }
                            });
                        }
                    }
                });
            }
        }

        /** POST /widget/v1/sessions: the visitor's open session, or a new one. */
        private CompletableFuture<Void> openSession() {
            String t;
            synchronized (this) {
                t = token;
            }
            return send("POST", "/widget/v1/sessions", "{}", "Authorization", "Bearer " + t)
                    .thenAccept(r -> {
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException("POST /widget/v1/sessions answered " + r.statusCode()
                                    + ", not 201 (a new session)");
                        }
                        JsonNode s = json(r);
                        synchronized (this) {
                            session = new SessionLog(
                                    s.path("id").asText(), s.path("ticket").asText(), t);
                            sessionLogs.add(session);
                            count("sessions_opened");
                            mode = Mode.CONNECTING;
                            openStream();
                        }
                    });
        }

        private synchronized void openStream() {
            if (phase == Phase.DONE) {
                return;
            }
            int gen = ++generation;
            SessionLog s = session;
            URI uri = base.resolve("/widget/v1/sessions/" + s.id + "/events");
            stream = SseConnection.open(http, uri, token, s.lastId, new SseConnection.Listener() {
                @Override
                public void opened() {
                    // counts connections, whether or not the visitor still wants this one
                    peakStreams.accumulateAndGet(openStreams.incrementAndGet(), Math::max);
                    streamOpened(gen);
                }

                @Override
                public void refused(int status, Throwable error) {
                    streamRefused(gen, status, error);
                }

                @Override
                public void event(String id, String type, String data) {
                    Visitor.this.event(gen, id, type, data);
                }

                @Override
                public void ended(Throwable error) {
                    openStreams.decrementAndGet();
                    streamEnded(gen, error);
                }
            });
        }

        private synchronized void streamOpened(int gen) {
            if (gen != generation) {
                return;
            }
            count("streams_opened");
            streamOpen = true;
            if (downSince != 0) {
                count("sse_reconnects");
                downSince = 0;
            }
            if (mode == Mode.CONNECTING) {
                if (!connectedOnce) {
                    connectedOnce = true;
                    connectedVisitors.incrementAndGet();
                }
                mode = Mode.CHATTING;
                // the first message of a new visitor comes at a random time, not with everyone else's
                later((long) (ThreadLocalRandom.current().nextDouble() * thinkMeanMs), () -> sendMessage());
            }
        }

        private synchronized void streamRefused(int gen, int status, Throwable error) {
            if (gen != generation || phase == Phase.DONE) {
                return;
            }
            count("sse_refusals");
            note("stream refused", "visitor " + n + " session " + session.id + ": " + status + " " + error);
            if (downSince == 0) {
                downSince = System.nanoTime();
            }
            reconnectLater();
        }

        private synchronized void streamEnded(int gen, Throwable error) {
            if (gen != generation || phase == Phase.DONE) {
                return; // our own cancel (a new session) or the end of the run
            }
            streamOpen = false;
            count("sse_disconnects");
            note(
                    "disconnect",
                    "visitor " + n + " session " + session.id + ": " + (error == null ? "end of stream" : error));
            downSince = System.nanoTime();
            reconnectLater();
        }

        private synchronized void event(int gen, String id, String type, String data) {
            if (gen != generation) {
                return;
            }
            long now = System.nanoTime();
            SessionLog s = session;
            if (!id.isEmpty()) {
                long seq = Long.parseLong(id);
                synchronized (s) {
                    if (seq <= s.lastId) {
                        count("duplicate_events");
                        error("duplicate", "session " + s.id + ": event " + seq + " after " + s.lastId);
                        return;
                    }
                    s.lastId = seq;
                    s.ids.add(seq);
                }
            } else {
                count("transient_events");
                return;
            }
            JsonNode d;
            try {
                d = JSON.readTree(data);
            } catch (IOException e) {
                unexpected("unreadable " + type + " event: " + data);
                return;
            }
            if (isBlank(type, d)) {
                count("blank_events");
                error("blank", "session " + s.id + ": " + type + " event " + id + " has no text: " + data);
            }
            switch (type) {
                case "message" -> message(d, now);
                case "handoff" -> {
                    Pending p = pending;
                    if (p == null || p.echoAt == 0) {
                        unexpected("handoff without a question");
                        return;
                    }
                    count("handoffs");
                    if (!p.human) {
                        count("handoffs_without_request");
                    }
                    if (p.measured) {
                        handoffNotice.record(now - p.sentAt);
                    }
                    pending = null;
                    mode = Mode.HANDED_OFF;
                    agentCount = 0;
                    later(agentThink(), this::agentReply);
                }
                case "agent_joined" -> count("agent_joined_events");
                case "resolved" -> {
                    if (mode != Mode.RESOLVING) {
                        unexpected("resolved while " + mode);
                        return;
                    }
                    count("resolved_events");
                    if (resolveMeasured) {
                        resolvedLat.record(now - resolveSentAt);
                    }
                    renew();
                }
                default -> unexpected(type + " event");
            }
        }

        private void message(JsonNode d, long now) {
            String author = d.path("author").asText();
            switch (author) {
                case "customer" -> {
                    Pending p = pending;
                    if (p == null
                            || !p.clientId.equals(d.path("clientMessageId").asText())) {
                        unexpected("customer message " + d.path("clientMessageId") + " not pending");
                        return;
                    }
                    p.echoAt = now;
                    if (p.measured) {
                        echo.record(now - p.sentAt);
                    }
                }
                case "ai" -> {
                    Pending p = pending;
                    if (p == null || p.echoAt == 0) {
                        unexpected("AI message without a question");
                        return;
                    }
                    count("ai_replies");
                    if (p.human) {
                        count("human_requests_answered_by_ai");
                    }
                    if (p.measured) {
                        reply.record(now - p.sentAt);
                    }
                    pending = null;
                    later(think(), this::sendMessage);
                }
                case "agent" -> {
                    AgentMsg a = agentPending;
                    String text = d.path("text").asText();
                    if (a == null || !text.endsWith("[m" + a.id + "]")) {
                        unexpected("agent message '" + text + "' not pending");
                        return;
                    }
                    count("agent_messages");
                    a.arrivedAt = now;
                    if (a.measured) {
                        agentFromRequest.record(now - a.sentAt);
                        if (a.calledAt != 0 && clockShared) {
                            agentFromReplyCall.record(now - a.calledAt);
                        }
                    }
                    agentPending = null;
                    later(agentThink(), agentCount < agentMessages ? this::agentReply : this::resolve);
                }
                default -> unexpected("message by '" + author + "'");
            }
        }

        private void unexpected(String what) {
            count("unexpected_events");
            error("unexpected", "visitor " + n + " session " + session.id + ": " + what);
        }

        /** The visitor writes the next question (or asks for a person). */
        synchronized void sendMessage() {
            if (!phase.sending() || mode != Mode.CHATTING || pending != null) {
                return;
            }
            boolean human = ThreadLocalRandom.current().nextDouble() < handoffShare;
            String text = human ? HUMAN[ThreadLocalRandom.current().nextInt(HUMAN.length)] : nextQuestion();
            Pending p = new Pending("v" + n + "-" + (++messageSeq), human, phase == Phase.MEASURE);
            pending = p;
            post(p, session, text, 1);
        }

        private void post(Pending p, SessionLog s, String text, int attempt) {
            long start = System.nanoTime();
            if (attempt == 1) {
                p.sentAt = start;
                count("posts");
            }
            send(
                            "POST",
                            "/widget/v1/sessions/" + s.id + "/messages",
                            body(Map.of("text", text, "clientMessageId", p.clientId)),
                            "Authorization",
                            "Bearer " + s.token)
                    .whenComplete((r, e) -> {
                        if (e == null && r.statusCode() == 202) {
                            count("posts_accepted");
                            if (p.measured) {
                                postAccepted.record(System.nanoTime() - start);
                            }
                            return;
                        }
                        boolean retriable = e != null || r.statusCode() >= 500;
                        String why = e != null ? e.toString() : r.statusCode() + " " + r.body();
                        if (retriable && attempt < 4 && phase != Phase.DONE) {
                            count("post_retries");
                            note("post retry", "visitor " + n + ": " + why);
                            later(250L << (attempt - 1), () -> post(p, s, text, attempt + 1));
                            return;
                        }
                        count("post_failures");
                        error("post", "visitor " + n + " session " + s.id + ": " + why);
                        synchronized (this) {
                            if (pending == p) {
                                pending = null;
                                later(think(), this::sendMessage);
                            }
                        }
                    });
        }

        private long agentThink() {
            return (long) (agentThinkMs * (0.5 + ThreadLocalRandom.current().nextDouble()));
        }

        /** The agent answers through the inbox (claiming the ticket on the first reply). */
        synchronized void agentReply() {
            if (mode != Mode.HANDED_OFF || agentPending != null || phase == Phase.DONE) {
                return;
            }
            if (phase == Phase.DRAIN) {
                return; // no new work: the session stays with the team
            }
            AgentMsg a = new AgentMsg(agentSeq.incrementAndGet(), phase == Phase.MEASURE);
            agentPending = a;
            agentCount++;
            String text = "Agent reply " + agentCount + " for ticket " + session.ticket + " [m" + a.id + "]";
            postAgent(a, session, text, System.nanoTime());
        }

        private void postAgent(AgentMsg a, SessionLog s, String text, long firstTry) {
            count("agent_requests");
            a.sentAt = System.nanoTime();
            send(
                            "POST",
                            "/bench/agent/reply",
                            body(Map.of("ticket", s.ticket, "agent", "agent-" + (n % 20), "text", text)))
                    .whenComplete((r, e) -> {
                        if (e == null && r.statusCode() == 200) {
                            long calledAt = json(r).path("calledAtNanos").asLong();
                            synchronized (this) {
                                a.calledAt = calledAt;
                                if (a.arrivedAt != 0 && a.measured && clockShared) {
                                    agentFromReplyCall.record(a.arrivedAt - calledAt);
                                }
                            }
                            return;
                        }
                        if (e == null
                                && r.statusCode() == 409
                                && System.nanoTime() - firstTry < timeoutNanos
                                && phase != Phase.DONE) {
                            // the visitor saw the notice before the outbox opened the ticket in the inbox
                            count("agent_not_in_inbox_yet");
                            later(100, () -> postAgent(a, s, text, firstTry));
                            return;
                        }
                        count("agent_failures");
                        error("agent", "ticket " + s.ticket + ": " + (e != null ? e : r.statusCode() + " " + r.body()));
                        synchronized (this) {
                            if (agentPending == a) {
                                agentPending = null;
                            }
                        }
                    });
        }

        /** The agent resolves; the visitor waits for the "resolved" event, then opens a new session. */
        synchronized void resolve() {
            if (mode != Mode.HANDED_OFF || phase == Phase.DONE) {
                return;
            }
            mode = Mode.RESOLVING;
            resolveSentAt = System.nanoTime();
            resolveMeasured = phase == Phase.MEASURE;
            count("resolves");
            SessionLog s = session;
            send("POST", "/bench/agent/resolve", body(Map.of("ticket", s.ticket, "agent", "agent-" + (n % 20))))
                    .whenComplete((r, e) -> {
                        if (e != null || r.statusCode() != 200) {
                            count("resolve_failures");
                            error(
                                    "resolve",
                                    "ticket " + s.ticket + ": " + (e != null ? e : r.statusCode() + " " + r.body()));
                        }
                    });
        }

        /** After a resolution: the old stream closes, a new session opens with its own stream. */
        private synchronized void renew() {
            SessionLog old = session;
            synchronized (old) {
                old.left = true;
            }
            generation++; // the old stream's callbacks are ignored from now on
            if (streamOpen) {
                streamOpen = false;
            }
            SseConnection s = stream;
            if (s != null) {
                s.cancel();
            }
            mode = Mode.CONNECTING;
            if (phase == Phase.DONE) {
                return;
            }
            openSession().whenComplete((r, e) -> {
                if (e != null) {
                    connectFailed(e);
                }
            });
        }

        synchronized void sweep(long now) {
            Pending p = pending;
            if (p != null && now - p.sentAt > timeoutNanos) {
                count("reply_timeouts");
                error(
                        "timeout",
                        "visitor " + n + " session " + session.id + ": no " + (p.echoAt == 0 ? "echo" : "reply")
                                + " to " + p.clientId + " in " + TimeUnit.NANOSECONDS.toSeconds(timeoutNanos) + " s");
                pending = null;
                later(think(), this::sendMessage);
            }
            AgentMsg a = agentPending;
            if (a != null && a.sentAt != 0 && now - a.sentAt > timeoutNanos) {
                count("agent_timeouts");
                error(
                        "timeout",
                        "visitor " + n + " ticket " + session.ticket + ": agent message m" + a.id + " never came");
                agentPending = null;
                later(agentThink(), agentCount < agentMessages ? this::agentReply : this::resolve);
            }
            if (mode == Mode.RESOLVING && now - resolveSentAt > timeoutNanos) {
                count("resolved_timeouts");
                error("timeout", "visitor " + n + " ticket " + session.ticket + ": no resolved event");
                renew();
            }
            if (downSince != 0 && !unrecoveredCounted && now - downSince > timeoutNanos) {
                unrecoveredCounted = true;
                count("sse_unrecovered");
                error("stream", "visitor " + n + " session " + session.id + " down for over the timeout");
            }
        }

        /** Opens the stream of the current session again after {@code --reconnect-ms}, from its last event. */
        private void reconnectLater() {
            SessionLog s = session;
            later(reconnectMs, () -> {
                synchronized (this) {
                    if (session == s && !streamOpen) { // not when a new session opened meanwhile
                        openStream();
                    }
                }
            });
        }

        /** The connection drops; the visitor reconnects after {@code --reconnect-ms} from its last event. */
        synchronized void drop() {
            if (!streamOpen || mode == Mode.CONNECTING) {
                return;
            }
            generation++; // the dropped stream's end is expected
            streamOpen = false;
            stream.cancel();
            count("sse_drops_injected");
            downSince = System.nanoTime();
            reconnectLater();
        }

        synchronized void close() {
            generation++;
            SseConnection s = stream;
            if (s != null) {
                s.cancel();
            }
        }
    }

    private static void expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(what + " answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + r.body(), e);
        }
    }

    // ---- latency figures ----

    /** A latency distribution (recorded in microseconds) with an interval view for progress lines. */
    private static final class Lat {
        private final ConcurrentHistogram all = new ConcurrentHistogram(TimeUnit.MINUTES.toMicros(10), 3);
        private final Recorder interval = new Recorder(TimeUnit.MINUTES.toMicros(10), 3);

        void record(long nanos) {
            long micros = Math.max(1, Math.min(TimeUnit.MINUTES.toMicros(10), nanos / 1000));
            all.recordValue(micros);
            interval.recordValue(micros);
        }

        void reset() {
            all.reset();
            interval.reset();
        }

        Histogram interval() {
            return interval.getIntervalHistogram();
        }

        Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("count", all.getTotalCount());
            if (all.getTotalCount() > 0) {
                m.put("p50", round(all.getValueAtPercentile(50) / 1000.0));
                m.put("p90", round(all.getValueAtPercentile(90) / 1000.0));
                m.put("p99", round(all.getValueAtPercentile(99) / 1000.0));
                m.put("p999", round(all.getValueAtPercentile(99.9) / 1000.0));
                m.put("max", round(all.getMaxValue() / 1000.0));
            }
            return m;
        }
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double mb(JsonNode bytes) {
        return mb(bytes.asLong());
    }

    private static double mb(long bytes) {
        return round(bytes / (1024.0 * 1024.0));
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime()
                : 0;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
