package dev.opencx.examples.quickstart;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.TurnCompleted;
import dev.opencx.store.ConversationStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
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
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Kills the quickstart's web mode with {@code kill -9} ({@link Process#destroyForcibly()}) at random
 * moments while visitors write to it through the widget API, restarts it on the same data folder,
 * and checks the server's promises against the visitors' own record:
 *
 * <ul>
 *   <li>every session answered {@code 201} and every message answered {@code 202} is still there,
 *       once, under the ids the server handed out (nothing acknowledged is lost);
 *   <li>every item a visitor read (its event id, type and text) reads the same after every restart
 *       (no event id is handed to something else);
 *   <li>every stored message gets exactly one turn, and no turn sends two replies (no reply twice).
 * </ul>
 *
 * <p>A message whose request failed because the server died is sent again with the same {@code
 * clientMessageId} after the restart, as the widget does: it must be stored once, whichever attempt
 * got through. Some kills hit the server while it starts (schema migration, index loading).
 */
final class CrashHarness {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READY = "Store page with the chat widget: ";
    private static final List<String> QUESTIONS = List.of(
            "how long does a refund take?",
            "do you ship to canada?",
            "what is your return policy",
            "how do I track my parcel",
            "do you have gift cards",
            "how much is shipping to Germany",
            "my jacket has a broken zip",
            "when will my money be back on my card",
            "how do I start a return",
            "what payment methods do you accept",
            "how long does delivery take",
            "can I change my delivery address");
    /** A visitor becomes a new one (a new contact and session) after this many messages. */
    private static final int MESSAGES_PER_VISITOR = 40;

    /** What to run. */
    record Config(
            Path jar,
            Path dataDir,
            int kills,
            int minMessages,
            int visitors,
            long seed,
            Duration maxLoadBeforeKill,
            double startupKillShare,
            PrintStream log) {}

    /** What was checked, and every violation found (empty when the promises held). */
    record Report(
            int kills,
            int startupKills,
            int sessions,
            int acknowledged,
            int resent,
            int itemsSeen,
            int turns,
            int replies,
            int redeliveries,
            List<String> lost,
            List<String> reusedIds,
            List<String> duplicateReplies,
            List<String> unanswered,
            List<String> errors,
            Duration elapsed) {
        String summary() {
            return String.format(
                    Locale.ROOT,
                    "%d kills (%d during start-up), %d sessions, %d messages acknowledged (%d sent again after a kill),"
                            + " %d items read back; %d turns, %d replies, %d re-deliveries to the channel; lost %d,"
                            + " reused ids %d, duplicate replies %d, unanswered %d, unexpected answers %d; %.0f s",
                    kills,
                    startupKills,
                    sessions,
                    acknowledged,
                    resent,
                    itemsSeen,
                    turns,
                    replies,
                    redeliveries,
                    lost.size(),
                    reusedIds.size(),
                    duplicateReplies.size(),
                    unanswered.size(),
                    errors.size(),
                    elapsed.toMillis() / 1000.0);
        }
    }

    private final Config config;
    private final Random random;
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    private final List<Visitor> visitors = new ArrayList<>();
    private final AtomicInteger acknowledged = new AtomicInteger();
    private final AtomicInteger resent = new AtomicInteger();
    private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile URI base;
    private volatile Process child;
    private Path childLog;

    CrashHarness(Config config) {
        this.config = config;
        this.random = new Random(config.seed());
        for (int i = 0; i < config.visitors(); i++) {
            visitors.add(new Visitor(i, new Random(config.seed() * 31 + i)));
        }
    }

    /** Runs the kills, then restarts once more, lets every turn finish and checks the store. */
    Report run(Function<Path, ConversationStore> openStore) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(config.dataDir());
        childLog = config.dataDir().resolveSibling("child.log");
        int kills = 0;
        int startupKills = 0;
        while (kills < config.kills() || acknowledged.get() < config.minMessages()) {
            boolean duringStartup = kills > 0 && random.nextDouble() < config.startupKillShare();
            if (duringStartup) {
                startChild();
                Thread.sleep(random.nextInt(2500));
                startupKills++;
            } else {
                startAndAwaitReady();
                List<Thread> load = startLoad();
                Thread.sleep(100
                        + (long) (random.nextDouble()
                                * config.maxLoadBeforeKill().toMillis()));
                killChild();
                for (Thread t : load) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
            killChild();
            kills++;
            if (kills % 10 == 0 || kills == config.kills()) {
                config.log()
                        .printf(
                                Locale.ROOT,
                                "crash harness: %d kills, %d messages acknowledged, %.0f s%n",
                                kills,
                                acknowledged.get(),
                                (System.nanoTime() - t0) / 1e9);
            }
        }
        // the last run: visitors send what a kill interrupted, read everything back, then a normal stop
        startAndAwaitReady();
        for (Visitor v : visitors) {
            v.finish();
        }
        Map<String, Map<Long, String>> itemsAfter = new HashMap<>();
        for (Visitor v : visitors) {
            for (String session : v.sessions) {
                itemsAfter.put(session, v.readAll(session));
            }
        }
        stopChild();
        // turns that a stop interrupted run at the next start: start until none is left
        for (int round = 0; round < 5 && pendingTurns(openStore) > 0; round++) {
            startAndAwaitReady();
            Thread.sleep(3000);
            stopChild();
        }
        return check(openStore, itemsAfter, kills, startupKills, Duration.ofNanos(System.nanoTime() - t0));
    }

    /** Deletes a folder and everything in it; nothing when it does not exist. */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    // ---- the child process ----

    private void startChild() throws IOException {
        base = null;
        ProcessBuilder pb = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        config.jar().toString(),
                        "--data-dir",
                        config.dataDir().toString(),
                        "--port",
                        "0")
                .redirectErrorStream(true);
        pb.environment().remove("OPENCX_INBOX_PASSWORD");
        Process p = pb.start();
        child = p;
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader in =
                            new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = in.readLine()) != null) {
                            Files.writeString(
                                    childLog,
                                    line + "\n",
                                    StandardCharsets.UTF_8,
                                    java.nio.file.StandardOpenOption.CREATE,
                                    java.nio.file.StandardOpenOption.APPEND);
                            if (line.startsWith(READY)) {
                                base = URI.create(line.substring(READY.length()).strip());
                            }
                        }
                    } catch (IOException e) {
                        // the process died; its output ends here
                    }
                },
                "crash-harness-child-output");
        reader.setDaemon(true);
        reader.start();
    }

    private void startAndAwaitReady() throws Exception {
        startChild();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (base == null) {
            if (!child.isAlive()) {
                throw new IllegalStateException("the quickstart exited with " + child.exitValue()
                        + " before it was ready; its output: " + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the quickstart was not ready within 3 minutes: " + tail());
            }
            Thread.sleep(20);
        }
    }

    private void killChild() throws InterruptedException {
        Process p = child;
        if (p != null && p.isAlive()) {
            p.destroyForcibly();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the killed quickstart did not exit");
            }
        }
    }

    private void stopChild() throws InterruptedException {
        Process p = child;
        p.destroy(); // SIGTERM: a normal stop
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("the quickstart did not stop within 60 s of SIGTERM: " + tail());
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(childLog, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e + ")";
        }
    }

    private List<Thread> startLoad() {
        List<Thread> threads = new ArrayList<>();
        CountDownLatch started = new CountDownLatch(visitors.size());
        for (Visitor v : visitors) {
            Thread t = new Thread(
                    () -> {
                        started.countDown();
                        v.writeUntilTheServerDies();
                    },
                    "crash-harness-visitor-" + v.index);
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
        return threads;
    }

    // ---- the visitors: the client's record of acknowledgements ----

    /** A message the server acknowledged: what it said about it. */
    record Ack(String sessionId, String clientId, String text, String messageId, long eventId) {}

    /** The server went away under a request. */
    private static final class ServerGone extends Exception {
        private static final long serialVersionUID = 1L;

        ServerGone(Throwable cause) {
            super(cause);
        }
    }

    private final class Visitor {
        final int index;
        final Random rnd;
        final List<String> sessions = new ArrayList<>();
        /** The token each session was opened with (a visitor becomes a new one now and then). */
        final Map<String, String> tokens = new HashMap<>();

        final Map<String, Ack> acks = new LinkedHashMap<>();
        /** Per session: every item read, by event id: "type|text". */
        final Map<String, Map<Long, String>> seen = new HashMap<>();

        String token;
        String session;
        String pendingClientId;
        String pendingText;
        int counter;

        Visitor(int index, Random rnd) {
            this.index = index;
            this.rnd = rnd;
        }

        void writeUntilTheServerDies() {
            try {
                while (true) {
                    step();
                    Thread.sleep(rnd.nextInt(25));
                }
            } catch (ServerGone | InterruptedException e) {
                // the kill: the next run carries on
            } catch (IOException | RuntimeException e) {
                // an answer the server should never give (a 5xx, a malformed body): a finding, not a kill
                errors.add("visitor " + index + ": " + e);
            }
        }

        /** In the last run: sends what a kill interrupted, then stops. */
        void finish() throws IOException, InterruptedException {
            try {
                if (pendingClientId != null) {
                    step();
                }
            } catch (ServerGone e) {
                throw new IllegalStateException("the server went away in the final run: " + tail(), e);
            }
        }

        private void step() throws ServerGone, IOException, InterruptedException {
            if (token == null) {
                ObjectNode body = JSON.createObjectNode();
                JsonNode r = call("POST", "/widget/v1/auth", body, 200);
                token = r.get("token").asText();
            }
            if (session == null) {
                JsonNode r = call("POST", "/widget/v1/sessions", JSON.createObjectNode(), 0);
                session = r.get("id").asText();
                if (!sessions.contains(session)) {
                    sessions.add(session);
                    tokens.put(session, token);
                }
            }
            boolean again = pendingClientId != null;
            if (!again) {
                pendingClientId = "v" + index + "-" + (++counter);
                pendingText = QUESTIONS.get(rnd.nextInt(QUESTIONS.size()));
            }
            ObjectNode body = JSON.createObjectNode().put("text", pendingText).put("clientMessageId", pendingClientId);
            HttpResponse<String> resp = send("POST", "/widget/v1/sessions/" + session + "/messages", body, token);
            if (resp.statusCode() == 409) {
                JsonNode err = JSON.readTree(resp.body());
                if (err.path("error").asText().equals("session_closed")) {
                    session = null; // a new session for the next message; this one is sent again there
                    pendingClientId = null;
                    return;
                }
                throw new IllegalStateException("409 for " + pendingClientId + ": " + resp.body());
            }
            if (resp.statusCode() != 202) {
                throw new IllegalStateException(
                        "message " + pendingClientId + " answered " + resp.statusCode() + ": " + resp.body());
            }
            JsonNode r = JSON.readTree(resp.body());
            Ack ack = new Ack(
                    session,
                    pendingClientId,
                    pendingText,
                    r.path("messageId").asText(""),
                    Long.parseLong(r.path("eventId").asText("0")));
            synchronized (this) {
                acks.put(session + ":" + pendingClientId, ack);
            }
            acknowledged.incrementAndGet();
            if (again) {
                resent.incrementAndGet();
            }
            pendingClientId = null;
            if (counter % 5 == 0) {
                seen.computeIfAbsent(session, s -> new HashMap<>()).putAll(readAll(session));
            }
            if (counter % MESSAGES_PER_VISITOR == 0) {
                token = null; // a handed-off session stays with the team: a new visitor keeps the AI busy
                session = null;
            }
        }

        /** Every visible item of the session: event id to "type|text". */
        Map<Long, String> readAll(String sessionId) {
            Map<Long, String> out = new HashMap<>();
            long after = 0;
            try {
                while (true) {
                    HttpResponse<String> resp = send(
                            "GET",
                            "/widget/v1/sessions/" + sessionId + "/messages?after=" + after + "&limit=500",
                            null,
                            tokens.get(sessionId));
                    if (resp.statusCode() != 200) {
                        throw new IllegalStateException(
                                "reading session " + sessionId + " answered " + resp.statusCode() + ": " + resp.body());
                    }
                    JsonNode page = JSON.readTree(resp.body());
                    for (JsonNode item : page.path("items")) {
                        long id = Long.parseLong(item.path("id").asText());
                        out.put(
                                id,
                                item.path("type").asText() + "|"
                                        + item.path("text").asText());
                        after = Math.max(after, id);
                    }
                    if (!page.path("more").asBoolean()) {
                        return out;
                    }
                }
            } catch (ServerGone e) {
                return out; // a partial read is still what the visitor saw
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private JsonNode call(String method, String path, ObjectNode body, int expected)
                throws ServerGone, IOException {
            HttpResponse<String> resp = send(method, path, body, token);
            boolean ok = expected == 0 ? resp.statusCode() / 100 == 2 : resp.statusCode() == expected;
            if (!ok) {
                throw new IllegalStateException(
                        method + " " + path + " answered " + resp.statusCode() + ": " + resp.body());
            }
            return JSON.readTree(resp.body());
        }

        private HttpResponse<String> send(String method, String path, ObjectNode body, String token) throws ServerGone {
            URI b = base;
            if (b == null) {
                throw new ServerGone(null);
            }
            HttpRequest.Builder rb = HttpRequest.newBuilder(b.resolve(path))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/json");
            if (token != null) {
                rb.header("Authorization", "Bearer " + token);
            }
            rb.method(
                    method,
                    body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body.toString()));
            try {
                return http.send(rb.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new ServerGone(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServerGone(e);
            }
        }
    }

    // ---- the checks ----

    private int pendingTurns(Function<Path, ConversationStore> openStore) throws Exception {
        int pending = 0;
        try (AutoCloseable store = (AutoCloseable) openStore.apply(config.dataDir())) {
            ConversationStore s = (ConversationStore) store;
            for (Visitor v : visitors) {
                for (String session : v.sessions) {
                    pending += unansweredMessages(s.events(session, 0, Integer.MAX_VALUE))
                            .size();
                }
            }
        }
        return pending;
    }

    private static List<Long> unansweredMessages(List<SessionEvent> log) {
        Map<Long, Integer> turns = new HashMap<>();
        for (SessionEvent e : log) {
            if (e.payload() instanceof TurnCompleted tc) {
                turns.merge(tc.messageSeq(), 1, Integer::sum);
            }
        }
        List<Long> out = new ArrayList<>();
        for (SessionEvent e : log) {
            if (e.payload() instanceof MessageReceived && !turns.containsKey(e.seq())) {
                out.add(e.seq());
            }
        }
        return out;
    }

    private Report check(
            Function<Path, ConversationStore> openStore,
            Map<String, Map<Long, String>> itemsAfter,
            int kills,
            int startupKills,
            Duration elapsed)
            throws Exception {
        List<String> lost = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<String> unanswered = new ArrayList<>();
        int sessions = 0;
        int items = 0;
        int turns = 0;
        int replies = 0;
        int redeliveries = 0;
        try (AutoCloseable closeable = (AutoCloseable) openStore.apply(config.dataDir())) {
            ConversationStore store = (ConversationStore) closeable;
            for (Visitor v : visitors) {
                for (String session : v.sessions) {
                    sessions++;
                    if (store.session(session).isEmpty()) {
                        lost.add("session " + session + " (acknowledged with its id) is gone");
                        continue;
                    }
                    List<SessionEvent> log = store.events(session, 0, Integer.MAX_VALUE);
                    Map<String, SessionEvent> byExternalId = new HashMap<>();
                    Map<Long, Integer> turnsByMessage = new HashMap<>();
                    Map<String, Integer> deliveries = new HashMap<>();
                    int repliesInTurn = 0;
                    for (SessionEvent e : log) {
                        if (e.payload() instanceof MessageReceived mr) {
                            SessionEvent before = byExternalId.put(mr.message().externalId(), e);
                            if (before != null && !mr.message().externalId().isEmpty()) {
                                duplicates.add("message " + mr.message().externalId() + " stored twice, at "
                                        + before.seq() + " and " + e.seq());
                            }
                        } else if (e.payload() instanceof ReplySent) {
                            replies++;
                            if (++repliesInTurn > 1) {
                                duplicates.add(
                                        "two replies in one turn of session " + session + " (at " + e.seq() + ")");
                            }
                        } else if (e.payload() instanceof TurnCompleted tc) {
                            turns++;
                            repliesInTurn = 0;
                            if (turnsByMessage.merge(tc.messageSeq(), 1, Integer::sum) > 1) {
                                duplicates.add(
                                        "message " + tc.messageSeq() + " of session " + session + " had two turns");
                            }
                        } else if (e.payload() instanceof dev.opencx.event.MessageDelivered md) {
                            if (deliveries.merge(md.messageId(), 1, Integer::sum) > 1) {
                                redeliveries++;
                            }
                        }
                    }
                    for (Long seq : unansweredMessages(log)) {
                        unanswered.add("message " + seq + " of session " + session + " has no turn");
                    }
                    for (Ack a : v.acks.values()) {
                        if (!a.sessionId().equals(session)) {
                            continue;
                        }
                        SessionEvent e = byExternalId.get(session + ":" + a.clientId());
                        if (e == null) {
                            lost.add("message " + a.clientId() + " acknowledged as event " + a.eventId()
                                    + " of session " + session + " is missing");
                            continue;
                        }
                        MessageReceived mr = (MessageReceived) e.payload();
                        if (!mr.message().text().equals(a.text())) {
                            lost.add("message " + a.clientId() + " was stored with another text: "
                                    + mr.message().text());
                        }
                        if (a.eventId() != 0 && a.eventId() != e.seq()) {
                            reused.add("message " + a.clientId() + " was acknowledged as event " + a.eventId()
                                    + " but is event " + e.seq());
                        }
                        if (!a.messageId().isEmpty()
                                && !a.messageId().equals(mr.message().id())) {
                            reused.add("message " + a.clientId() + " was acknowledged as " + a.messageId()
                                    + " but is stored as " + mr.message().id());
                        }
                    }
                    Map<Long, String> now = itemsAfter.getOrDefault(session, Map.of());
                    for (Map.Entry<Long, String> seenItem :
                            v.seen.getOrDefault(session, Map.of()).entrySet()) {
                        items++;
                        String after = now.get(seenItem.getKey());
                        if (!seenItem.getValue().equals(after)) {
                            reused.add("event " + seenItem.getKey() + " of session " + session + " was '"
                                    + seenItem.getValue() + "' and is now '" + after + "'");
                        }
                    }
                }
            }
        }
        return new Report(
                kills,
                startupKills,
                sessions,
                acknowledged.get(),
                resent.get(),
                items,
                turns,
                replies,
                redeliveries,
                lost,
                reused,
                duplicates,
                unanswered,
                List.copyOf(errors),
                elapsed);
    }
}
