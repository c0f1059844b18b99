package dev.opencx.bench;

import dev.opencx.OpenCx;
import dev.opencx.channel.twilio.TwilioConfig;
import dev.opencx.channel.twilio.TwilioIdempotency;
import dev.opencx.channel.twilio.TwilioSignature;
import dev.opencx.channel.twilio.TwilioSmsChannel;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.Identity;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.http.WebServer;
import dev.opencx.responder.Reply;
import dev.opencx.store.ConversationStore;
import dev.opencx.webhook.WebResponse;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Webhook intake of the Twilio SMS channel: signed Twilio SMS webhooks at a fixed rate over real
 * HTTP to the embedded Jetty {@code WebServer}, into OpenCx with a real store; some webhooks are
 * delivered again as Twilio retries them. At the end the store is read back: every acknowledged
 * {@code MessageSid} must be stored exactly once, and every message answered once.
 *
 * <pre>
 * java -cp benchmarks/target/opencx-benchmarks.jar dev.opencx.bench.TwilioIntakeLoad --rate 300 --duration 60
 * </pre>
 *
 * <p>Open loop: webhook {@code i} is due at {@code start + i / rate} whatever happened to the
 * earlier ones, and its acknowledgement latency runs from that due time (not from when the client
 * got round to sending it) to the end of the {@code 200 <Response/>}, so a stalled server is
 * charged for the queue it builds. The run lasts {@code --warmup} + {@code --duration} seconds;
 * only webhooks due in the last {@code --duration} seconds are in the latency figures; all of them
 * count for lost and duplicates.
 *
 * <p>Each webhook is the form Twilio posts for an incoming SMS (the same parameters, a unique
 * {@code MessageSid}, a random one of {@code --customers} senders), signed with {@link
 * TwilioSignature} over the public URL the channel is configured with, carrying an {@code
 * I-Twilio-Idempotency-Token}. With probability {@code --retry-share} it is delivered again
 * {@code 0..--retry-delay-ms} later, byte for byte (Twilio's retry after a timeout; a short delay
 * lands while the first is still being stored); a share {@code --new-token-share} of those retries
 * carries a fresh token, so that the store's {@code MessageSid} dedupe is exercised as well as the
 * channel's token memory.
 *
 * <p>The server side is in this JVM: OpenCx with the channel, a responder that answers at once
 * (no model: the figure is the intake, not a knowledge search) and the store ({@code --store
 * sqlite}: the crash-safe default, {@code synchronous=FULL}; or {@code memory}); replies go through
 * the outbox to a fake Twilio Messages API on a second embedded server, which counts them. Status
 * callbacks are off. Progress goes to stderr; the last stdout line is the JSON report.
 *
 * <p>Options (defaults): {@code --rate 300 --duration 60 --warmup 10 --customers 2000
 * --retry-share 0.05 --retry-delay-ms 3000 --new-token-share 0.3 --store sqlite --data-dir
 * (a new temporary folder) --client-threads 2 --drain-timeout 120}.
 */
public final class TwilioIntakeLoad {
    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "f3e1d2c4b5a6978877665544332211aa";
    static final String PUBLIC_URL = "https://bench.example.com";
    static final String NUMBER = "+15017122661";

    private final Map<String, String> opts;

    private TwilioIntakeLoad(Map<String, String> opts) {
        this.opts = opts;
    }

    public static void main(String[] args) throws Exception {
        Map<String, Object> report = run(WebLoadServer.options(args));
        System.out.println(PipelineLoad.json(report));
    }

    /** Runs the benchmark with {@code --name value} options (without the dashes) and returns the report. */
    static Map<String, Object> run(Map<String, String> options) throws Exception {
        return new TwilioIntakeLoad(options).run();
    }

    /** One webhook as sent (a retry reuses it). */
    private record Hook(String sid, String phone, String body, String signature, String token, boolean measured) {}

    private Map<String, Object> run() throws Exception {
        double rate = Double.parseDouble(opts.getOrDefault("rate", "300"));
        int durationS = Integer.parseInt(opts.getOrDefault("duration", "60"));
        int warmupS = Integer.parseInt(opts.getOrDefault("warmup", "10"));
        int customers = Integer.parseInt(opts.getOrDefault("customers", "2000"));
        double retryShare = Double.parseDouble(opts.getOrDefault("retry-share", "0.05"));
        long retryDelayMs = Long.parseLong(opts.getOrDefault("retry-delay-ms", "3000"));
        double newTokenShare = Double.parseDouble(opts.getOrDefault("new-token-share", "0.3"));
        String storeKind = opts.getOrDefault("store", "sqlite");
        int clientThreads = Integer.parseInt(opts.getOrDefault("client-threads", "2"));
        long drainTimeoutS = Long.parseLong(opts.getOrDefault("drain-timeout", "120"));
        Path dataDir = opts.containsKey("data-dir")
                ? Path.of(opts.get("data-dir"))
                : Files.createTempDirectory("twilio-intake-");
        Files.createDirectories(dataDir);

        Map<String, Object> report = new LinkedHashMap<>();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("rate", rate);
        config.put("duration_s", durationS);
        config.put("warmup_s", warmupS);
        config.put("customers", customers);
        config.put("retry_share", retryShare);
        config.put("retry_delay_ms", retryDelayMs);
        config.put("new_token_share", newTokenShare);
        config.put("store", storeKind);
        config.put("data_dir", dataDir.toString());
        config.put("cores", Runtime.getRuntime().availableProcessors());
        config.put("java", System.getProperty("java.version"));
        config.put(
                "jvm_args",
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        report.put("config", config);
        report.put("load_average_at_start", loadAverage());

        // ---- the fake Twilio Messages API, counting replies per inbound MessageSid
        Map<String, AtomicInteger> replies = new ConcurrentHashMap<>();
        AtomicLong sentSids = new AtomicLong();
        WebServer fakeTwilio = WebServer.builder()
                .port(0)
                .mount("/2010-04-01", request -> {
                    FormBody form = FormBody.parse(request.body());
                    String body = form.first("Body").orElse("");
                    int at = body.indexOf("[ref ");
                    if (at >= 0) {
                        replies.computeIfAbsent(body.substring(at + 5, body.indexOf(']', at)), k -> new AtomicInteger())
                                .incrementAndGet();
                    }
                    String sid = String.format("SM%032x", sentSids.incrementAndGet());
                    return WebResponse.json(
                            201,
                            "{\"sid\":\"" + sid + "\",\"status\":\"queued\",\"direction\":"
                                    + "\"outbound-api\",\"account_sid\":\"" + ACCOUNT_SID
                                    + "\",\"num_segments\":\"1\"}");
                })
                .build()
                .start();

        // ---- the server under test
        TwilioConfig twilio = TwilioConfig.builder()
                .accountSid(ACCOUNT_SID)
                .authToken(AUTH_TOKEN)
                .publicUrl(PUBLIC_URL)
                .apiBaseUrl(fakeTwilio.uri().toString())
                .build();
        TwilioSmsChannel sms = TwilioSmsChannel.builder(twilio)
                .from(NUMBER)
                .statusCallbacks(false)
                .build();
        ConversationStore store = PipelineLoad.store(storeKind, dataDir);
        OpenCx cx = OpenCx.builder()
                .store(store)
                .channel(sms)
                .responder(req -> Reply.answer(
                        "Thanks, we got it " + ref(req.message().text()), 0.9, List.of(), "bench", Map.of()))
                .build();
        WebServer server = WebServer.builder().port(0).mount(sms).build().start();
        URI target = URI.create("http://127.0.0.1:" + server.port() + sms.mountPath());
        String signedUrl = sms.webhookUrl();
        TwilioSignature signer = TwilioSignature.of(AUTH_TOKEN);

        // ---- the client
        Client client = new Client(target, clientThreads);
        SplittableRandom random = new SplittableRandom(42);

        // every webhook is built and signed before the clock starts: the client only sends
        List<Long> dueOffsets = schedule(rate, warmupS, durationS);
        int total = dueOffsets.size();
        List<Hook> hooks = new ArrayList<>(total);
        long[] retryDelays = new long[total];
        boolean[] retryNewToken = new boolean[total];
        long warmupNanos = TimeUnit.SECONDS.toNanos(warmupS);
        for (int i = 0; i < total; i++) {
            String sid = String.format("SM%032x", 0xB0000000L + i);
            String phone = String.format(Locale.ROOT, "+1555%07d", random.nextInt(customers));
            String body = form(sid, phone, "Where is my order? [ref " + sid + "]");
            hooks.add(new Hook(
                    sid,
                    phone,
                    body,
                    signer.sign(signedUrl, FormBody.parse(body)),
                    UUID.randomUUID().toString(),
                    dueOffsets.get(i) >= warmupNanos));
            boolean retry = random.nextDouble() < retryShare;
            retryDelays[i] = retry ? (long) (random.nextDouble() * retryDelayMs) : -1;
            retryNewToken[i] = retry && random.nextDouble() < newTokenShare;
        }

        long cpuStart = processCpuNanos();
        long gcStart = gcMillis();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        System.err.printf(
                Locale.ROOT,
                "twilio intake: %d webhooks, %.0f/s after a %d s ramp, to %s (store %s)%n",
                total,
                rate,
                warmupS / 2,
                target,
                storeKind);
        long nextReport = start + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < total; i++) {
            long due = start + dueOffsets.get(i);
            Hook hook = hooks.get(i);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            client.send(hook, hook.token, due, hook.measured ? client.ack : null, 0);
            if (retryDelays[i] >= 0) {
                String token = retryNewToken[i] ? UUID.randomUUID().toString() : hook.token;
                client.retryLater(hook, token, retryDelays[i], retryNewToken[i]);
            }
            if (System.nanoTime() >= nextReport) {
                nextReport += TimeUnit.SECONDS.toNanos(10);
                System.err.printf(
                        Locale.ROOT,
                        "  %d s: %d sent, %d in flight, ack p99 so far %.1f ms%n",
                        (System.nanoTime() - start) / 1_000_000_000L,
                        i,
                        client.inFlight.get(),
                        client.ack.getValueAtPercentile(99) / 1000.0);
            }
        }
        long sendEnd = System.nanoTime();
        double measuredS = (sendEnd - start - warmupNanos) / 1e9;
        long drainDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drainTimeoutS);
        while ((client.inFlight.get() > 0 || client.pendingRetries.get() > 0) && System.nanoTime() < drainDeadline) {
            Thread.sleep(20);
        }
        long cpuIntake = processCpuNanos() - cpuStart;
        double wallS = (sendEnd - start) / 1e9;
        boolean idle = cx.awaitIdle(Duration.ofSeconds(drainTimeoutS));
        client.close();

        // ---- what the store holds
        Map<String, Integer> stored = new HashMap<>();
        for (int c = 0; c < customers; c++) {
            String phone = String.format(Locale.ROOT, "+1555%07d", c);
            store.findContact(Identity.phone(phone)).ifPresent(contact -> {
                for (var session : store.sessionsOfContact(contact.id())) {
                    for (SessionEvent e : store.events(session.id())) {
                        if (e.payload() instanceof MessageReceived m) {
                            stored.merge(m.message().externalId(), 1, Integer::sum);
                        }
                    }
                }
            });
        }
        List<String> sids = hooks.stream().map(Hook::sid).toList();
        long acked = client.acknowledged.size();
        long lost = sids.stream()
                .filter(s -> client.acknowledged.containsKey(s) && !stored.containsKey(s))
                .count();
        long unacknowledged =
                sids.stream().filter(s -> !client.acknowledged.containsKey(s)).count();
        long storedTwice = stored.values().stream().filter(n -> n > 1).count();
        long unknownStored =
                stored.keySet().stream().filter(s -> !s.startsWith("SM")).count();
        long answeredTwice = replies.values().stream().filter(n -> n.get() > 1).count();
        long unanswered = sids.stream()
                .filter(s -> stored.containsKey(s) && !replies.containsKey(s))
                .count();

        Map<String, Object> counts = new LinkedHashMap<>();
        counts.put("webhooks", total);
        counts.put("retries", client.retriesSent.get());
        counts.put("retries_with_new_token", client.retriesNewToken.get());
        counts.put("resends_after_connection_failure", client.resends.get());
        counts.put("requests", total + client.retriesSent.get() + client.resends.get());
        counts.put("acknowledged_sids", acked);
        counts.put("statuses", statusesOf(client.statuses));
        counts.put(
                "client_failures",
                client.failures.values().stream().mapToLong(AtomicLong::get).sum());
        Map<String, Object> why = new LinkedHashMap<>();
        client.failures.forEach((k, v) -> why.put(k, v.get()));
        counts.put("client_failure_causes", why);
        counts.put("measured_rate", round(client.ack.getTotalCount() / measuredS));
        report.put("counts", counts);
        Map<String, Object> checks = new LinkedHashMap<>();
        checks.put("lost", lost);
        checks.put("processed_twice", storedTwice);
        checks.put("unacknowledged", unacknowledged);
        checks.put("stored", stored.size());
        checks.put("stored_not_sent", unknownStored);
        checks.put("answered_twice", answeredTwice);
        checks.put("unanswered", unanswered);
        checks.put("outbox_drained", idle);
        report.put("checks", checks);
        report.put("ack_latency_ms", percentiles(client.ack));
        report.put("retry_ack_latency_ms", percentiles(client.retryAck));
        Map<String, Object> cost = new LinkedHashMap<>();
        cost.put("cpu_cores_while_sending", round(cpuIntake / 1e9 / wallS));
        cost.put("gc_ms", gcMillis() - gcStart);
        cost.put(
                "heap_used_mb_at_end",
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        report.put("cost", cost);
        report.put("load_average_at_end", loadAverage());

        server.close();
        cx.close();
        sms.close();
        fakeTwilio.close();
        System.err.printf(
                Locale.ROOT,
                "twilio intake: done, lost %d, processed twice %d, ack p99 %.1f ms%n",
                lost,
                storedTwice,
                client.ack.getValueAtPercentile(99) / 1000.0);
        return report;
    }

    /**
     * Twilio's side of the wire: sends webhooks asynchronously (HTTP/1.1, a few callback threads),
     * records acknowledgements and their latency, and sends a webhook again one second after a
     * connection failure (at most twice), as Twilio retries a failed connection.
     */
    private static final class Client implements AutoCloseable {
        final URI target;
        final ExecutorService callbacks;
        final ScheduledExecutorService timer;
        final HttpClient http;
        final Histogram ack = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        final Histogram retryAck = new ConcurrentHistogram(TimeUnit.SECONDS.toMicros(60), 3);
        final Map<String, Boolean> acknowledged = new ConcurrentHashMap<>();
        final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        final AtomicLong inFlight = new AtomicLong();
        final AtomicLong pendingRetries = new AtomicLong();
        final AtomicLong retriesSent = new AtomicLong();
        final AtomicLong retriesNewToken = new AtomicLong();
        final AtomicLong resends = new AtomicLong();

        Client(URI target, int threads) {
            this.target = target;
            this.callbacks = Executors.newFixedThreadPool(threads, r -> daemon(r, "twilio-load-client"));
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "twilio-load-retry"));
            this.http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5))
                    .executor(callbacks)
                    .build();
        }

        /** A Twilio retry of {@code hook}, {@code delayMs} after its first delivery. */
        void retryLater(Hook hook, String token, long delayMs, boolean newToken) {
            retriesSent.incrementAndGet();
            if (newToken) {
                retriesNewToken.incrementAndGet();
            }
            later(() -> send(hook, token, System.nanoTime(), retryAck, 0), delayMs);
        }

        private void later(Runnable r, long delayMs) {
            pendingRetries.incrementAndGet();
            timer.schedule(
                    () -> {
                        pendingRetries.decrementAndGet();
                        r.run();
                    },
                    delayMs,
                    TimeUnit.MILLISECONDS);
        }

        /**
         * @param due when it was due (its latency counts from then)
         * @param latency where to record the acknowledgement latency, null for none
         */
        void send(Hook hook, String token, long due, Histogram latency, int resent) {
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(Duration.ofSeconds(15)) // Twilio gives up after 15 s
                    .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                    .header("X-Twilio-Signature", hook.signature)
                    .header(TwilioIdempotency.HEADER, token)
                    .header("User-Agent", "TwilioProxy/1.1")
                    .POST(HttpRequest.BodyPublishers.ofString(hook.body))
                    .build();
            inFlight.incrementAndGet();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
                long micros = (System.nanoTime() - due) / 1000;
                inFlight.decrementAndGet();
                if (failure != null) {
                    Throwable t =
                            failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                                    ? failure.getCause()
                                    : failure;
                    String why = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
                    failures.computeIfAbsent(why.length() > 80 ? why.substring(0, 80) : why, k -> new AtomicLong())
                            .incrementAndGet();
                    if (resent < 2) {
                        resends.incrementAndGet();
                        later(() -> send(hook, token, due, latency, resent + 1), 1000);
                    }
                    return;
                }
                statuses.computeIfAbsent(response.statusCode(), k -> new AtomicLong())
                        .incrementAndGet();
                if (response.statusCode() == 200 && response.body().endsWith("<Response/>")) {
                    acknowledged.put(hook.sid, Boolean.TRUE);
                    if (latency != null) {
                        latency.recordValue(Math.min(micros, latency.getHighestTrackableValue()));
                    }
                }
            });
        }

        @Override
        public void close() {
            timer.shutdownNow();
            callbacks.shutdownNow();
        }
    }

    /**
     * When each webhook is due, in nanoseconds from the start: the rate climbs from a tenth of
     * {@code rate} to {@code rate} over the first half of the warm-up (a cold JVM is not thrown 300
     * requests a second before its first has been compiled), then stays.
     */
    static List<Long> schedule(double rate, int warmupS, int durationS) {
        List<Long> due = new ArrayList<>();
        double ramp = warmupS / 2.0;
        double end = warmupS + durationS;
        for (double t = 0; t < end; ) {
            due.add((long) (t * 1e9));
            double r = t < ramp ? rate * (0.1 + 0.9 * t / ramp) : rate;
            t += 1 / r;
        }
        return due;
    }

    /** The form Twilio posts for an incoming SMS. */
    static String form(String sid, String from, String text) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("ToCountry", "US");
        p.put("ToState", "CA");
        p.put("SmsMessageSid", sid);
        p.put("NumMedia", "0");
        p.put("ToCity", "SAN FRANCISCO");
        p.put("FromZip", "94105");
        p.put("SmsSid", sid);
        p.put("FromState", "CA");
        p.put("SmsStatus", "received");
        p.put("FromCity", "SAN FRANCISCO");
        p.put("Body", text);
        p.put("FromCountry", "US");
        p.put("To", NUMBER);
        p.put("ToZip", "94105");
        p.put("NumSegments", "1");
        p.put("MessageSid", sid);
        p.put("AccountSid", ACCOUNT_SID);
        p.put("From", from);
        p.put("ApiVersion", "2010-04-01");
        StringBuilder sb = new StringBuilder();
        p.forEach((k, v) -> {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
        return sb.toString();
    }

    private static String ref(String text) {
        int at = text.indexOf("[ref ");
        return at < 0 ? "" : text.substring(at);
    }

    private static Map<String, Object> statusesOf(Map<Integer, AtomicLong> statuses) {
        Map<String, Object> m = new LinkedHashMap<>();
        statuses.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> m.put(String.valueOf(e.getKey()), e.getValue().get()));
        return m;
    }

    private static Map<String, Object> percentiles(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            m.put("p50", round(h.getValueAtPercentile(50) / 1000.0));
            m.put("p90", round(h.getValueAtPercentile(90) / 1000.0));
            m.put("p99", round(h.getValueAtPercentile(99) / 1000.0));
            m.put("p999", round(h.getValueAtPercentile(99.9) / 1000.0));
            m.put("max", round(h.getMaxValue() / 1000.0));
        }
        return m;
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static long processCpuNanos() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : 0;
    }

    private static long gcMillis() {
        long total = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            total += Math.max(0, gc.getCollectionTime());
        }
        return total;
    }

    private static double loadAverage() {
        return round(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
