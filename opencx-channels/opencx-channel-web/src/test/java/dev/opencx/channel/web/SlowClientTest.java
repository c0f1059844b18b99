package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.http.testing.RawHttp;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Slow clients cannot stall the server: bodies are read without holding a thread, heads and bodies
 * have deadlines however steadily they trickle, and connections are capped per address and in
 * total. The attack is the one a chaos tester ran against the quickstart (connections that promise
 * a body and send a byte every few seconds, connections that never finish their head), at 20
 * times its size, from 30 loopback addresses so that the per-address cap is not what saves us.
 */
class SlowClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private final List<RawHttp> attackers = Collections.synchronizedList(new ArrayList<>());
    private Rig rig;

    @AfterEach
    void stop() {
        synchronized (attackers) {
            attackers.forEach(SlowClientTest::closeQuietly);
            attackers.clear();
        }
        if (rig != null) {
            rig.close();
        }
    }

    @Test
    void health_and_a_widget_conversation_keep_answering_while_1500_slow_connections_are_held_open() throws Exception {
        // deadlines longer than the attack, so that every slow connection is held for all of it
        rig = Rig.start().serving(b -> b.headerTimeout(Duration.ofSeconds(60)).bodyTimeout(Duration.ofSeconds(60)));
        int port = rig.server.port();
        int slowBodies = 500;
        int slowHeads = 1000;
        int addresses = 30;
        int before = rig.server.openConnections();

        long openStart = System.nanoTime();
        for (int i = 0; i < slowBodies + slowHeads; i++) {
            RawHttp c = RawHttp.connect(RawHttp.loopback(2 + i % addresses), port);
            attackers.add(c);
            if (i < slowBodies) {
                String path = i % 2 == 0 ? "/widget/v1/auth" : "/api/v1/sessions";
                c.write("POST " + path + " HTTP/1.1\r\nHost: shop.example\r\nContent-Type: application/json\r\n"
                        + "Authorization: Bearer " + Rig.API_KEY + "\r\nContent-Length: 60000\r\n\r\n{");
            } else {
                c.write("GET /health HTTP/1.1\r\nHost: shop.example\r\nX-Slow: ");
            }
        }
        await().atMost(Duration.ofSeconds(30))
                .until(() -> rig.server.openConnections() >= before + slowBodies + slowHeads);
        double openSeconds = (System.nanoTime() - openStart) / 1e9;

        // every attacker sends one more byte every 2 s (the tester's sent one every 5 s)
        AtomicInteger writeFailures = new AtomicInteger();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger round = new AtomicInteger();
        trickle.scheduleAtFixedRate(
                () -> {
                    int r = round.getAndIncrement();
                    synchronized (attackers) {
                        for (int i = r % 2; i < attackers.size(); i += 2) {
                            try {
                                attackers.get(i).socket.getOutputStream().write('a');
                            } catch (IOException e) {
                                writeFailures.incrementAndGet();
                            }
                        }
                    }
                },
                0,
                1,
                TimeUnit.SECONDS);

        CompletableFuture<Duration> conversation = CompletableFuture.supplyAsync(this::widgetConversation);
        List<Long> healthMicros = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end || !conversation.isDone()) {
            long t0 = System.nanoTime();
            try (RawHttp h = RawHttp.connect(port)) {
                RawHttp.Response r = h.write("GET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                        .read(WAIT);
                if (r.status() != 200) {
                    failures.add("status " + r.status());
                }
            } catch (UncheckedIOException e) {
                failures.add(e.getCause().toString());
            }
            healthMicros.add((System.nanoTime() - t0) / 1000);
            Thread.sleep(20);
            if (System.nanoTime() > end + TimeUnit.SECONDS.toNanos(20)) {
                break;
            }
        }
        Duration conversationTook = conversation.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        int stillOpen = rig.server.openConnections() - before;
        trickle.shutdownNow();

        Collections.sort(healthMicros);
        long p50 = percentile(healthMicros, 50);
        long p99 = percentile(healthMicros, 99);
        long max = healthMicros.get(healthMicros.size() - 1);
        System.out.printf(
                Locale.ROOT,
                "slow-client attack: %d slow bodies + %d slow heads from %d addresses, opened in %.1f s;"
                        + " /health on a new connection each: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms;"
                        + " widget conversation (auth, session, post, AI reply read back) %d ms;"
                        + " attack connections still open at the end: %d%n",
                slowBodies,
                slowHeads,
                addresses,
                openSeconds,
                healthMicros.size(),
                p50 / 1000.0,
                p99 / 1000.0,
                max / 1000.0,
                conversationTook.toMillis(),
                stillOpen);

        assertThat(failures).as("every /health answers 200").isEmpty();
        assertThat(healthMicros).hasSizeGreaterThan(100);
        assertThat(p99)
                .as("p99 of /health in µs (target under 100 ms on loopback)")
                .isLessThan(1_000_000);
        assertThat(writeFailures)
                .as("the attack's connections stay open: the deadlines are longer here")
                .hasValue(0);
        assertThat(stillOpen).isGreaterThanOrEqualTo(slowBodies + slowHeads);
    }

    /** A visitor signs in, opens a session, asks, and reads the AI's answer through the widget's API. */
    private Duration widgetConversation() {
        long t0 = System.nanoTime();
        String token = rig.visitor();
        String session = rig.session(token);
        Rig.Resp posted = rig.postJson(
                "/widget/v1/sessions/" + session + "/messages",
                "{\"text\":\"do you ship to canada\",\"clientMessageId\":\"slow-1\"}",
                "Authorization",
                "Bearer " + token);
        assertThat(posted.status()).isEqualTo(202);
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonNode items = rig.get("/widget/v1/sessions/" + session + "/messages", "Authorization", "Bearer " + token)
                    .json()
                    .get("items");
            for (JsonNode i : items) {
                if (i.path("author").asText().equals("ai")
                        && i.path("text").asText().contains("Canada")) {
                    return true;
                }
            }
            return false;
        });
        return Duration.ofNanos(System.nanoTime() - t0);
    }

    @Test
    void a_head_or_body_that_keeps_trickling_is_cut_off_at_its_deadline_but_a_quiet_kept_alive_connection_is_not()
            throws Exception {
        rig = Rig.start().serving(b -> b.headerTimeout(Duration.ofSeconds(1)).bodyTimeout(Duration.ofSeconds(2)));
        int port = rig.server.port();
        List<RawHttp> heads = new ArrayList<>();
        List<RawHttp> bodies = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawHttp head = RawHttp.connect(RawHttp.loopback(40 + i % 2), port)
                    .write("GET /health HTTP/1.1\r\nHost: a\r\nX-Slow: ");
            RawHttp body = RawHttp.connect(RawHttp.loopback(40 + i % 2), port)
                    .write("POST /widget/v1/auth HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 60000\r\n\r\n{");
            heads.add(head);
            bodies.add(body);
            attackers.add(head);
            attackers.add(body);
        }
        try (RawHttp keptAlive = RawHttp.connect(port)) {
            assertThat(keptAlive
                            .write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                            .read(WAIT)
                            .status())
                    .isEqualTo(200);
            long start = System.nanoTime();
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(
                    () -> {
                        synchronized (attackers) {
                            for (RawHttp c : attackers) {
                                try {
                                    c.socket.getOutputStream().write('a');
                                } catch (IOException e) {
                                    // closed by the server: what we wait for
                                }
                            }
                        }
                    },
                    200,
                    200,
                    TimeUnit.MILLISECONDS);
            try {
                for (RawHttp head : heads) {
                    assertThat(head.closedWithin(WAIT))
                            .as("a head still incomplete after 1 s")
                            .isTrue();
                }
                double headsClosed = (System.nanoTime() - start) / 1e9;
                for (RawHttp body : bodies) {
                    RawHttp.Response r = body.read(WAIT);
                    assertThat(r.status()).isEqualTo(408);
                    assertThat(r.body()).contains("request_timeout");
                    assertThat(body.closedWithin(WAIT)).isTrue();
                }
                double bodiesClosed = (System.nanoTime() - start) / 1e9;
                System.out.printf(
                        Locale.ROOT,
                        "trickling heads closed after %.1f s (headerTimeout 1 s), bodies answered 408 after %.1f s"
                                + " (bodyTimeout 2 s)%n",
                        headsClosed,
                        bodiesClosed);
                assertThat(bodiesClosed).isGreaterThan(1.5);
            } finally {
                trickle.shutdownNow();
            }
            Thread.sleep(Math.max(0, 2600 - (System.nanoTime() - start) / 1_000_000));
            assertThat(keptAlive
                            .write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                            .read(WAIT)
                            .status())
                    .as("a kept-alive connection silent for longer than the header timeout still serves")
                    .isEqualTo(200);
        }
    }

    @Test
    void the_per_address_cap_refuses_the_excess_from_one_address_and_no_other() {
        rig = Rig.start().serving(b -> b.maxConnectionsPerAddress(20));
        int port = rig.server.port();
        InetAddress greedy = RawHttp.loopback(50);
        List<RawHttp> first = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            RawHttp c = RawHttp.connect(greedy, port);
            attackers.add(c);
            first.add(c);
            assertThat(c.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                            .read(WAIT)
                            .status())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            RawHttp excess = RawHttp.connect(greedy, port);
            attackers.add(excess);
            assertThat(excess.closedWithin(WAIT))
                    .as("the 21st and later from one address")
                    .isTrue();
        }
        try (RawHttp other = RawHttp.connect(RawHttp.loopback(51), port)) {
            assertThat(other.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                            .read(WAIT)
                            .status())
                    .isEqualTo(200);
        }
        assertThat(first.get(0)
                        .write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                        .read(WAIT)
                        .status())
                .as("the first 20 are served on")
                .isEqualTo(200);
        first.subList(0, 5).forEach(RawHttp::close);
        await().atMost(WAIT).untilAsserted(() -> {
            try (RawHttp again = RawHttp.connect(greedy, port)) {
                assertThat(again.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n")
                                .read(Duration.ofSeconds(2))
                                .status())
                        .isEqualTo(200);
            }
        });
    }

    @Test
    void at_the_global_cap_new_connections_wait_until_one_closes() throws Exception {
        rig = Rig.start().serving(b -> b.maxConnections(16).maxConnectionsPerAddress(16));
        int port = rig.server.port();
        List<RawHttp> idle = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            RawHttp c = RawHttp.connect(RawHttp.loopback(60 + i % 4), port);
            attackers.add(c);
            idle.add(c);
        }
        await().atMost(WAIT).until(() -> rig.server.openConnections() >= 16);
        try (RawHttp waiting = RawHttp.connect(RawHttp.loopback(70), port)) {
            waiting.write("GET /health HTTP/1.1\r\nHost: a\r\n\r\n");
            Thread.sleep(500);
            assertThat(waiting.socket.getInputStream().available())
                    .as("not accepted while 16 are open")
                    .isZero();
            idle.subList(0, 4).forEach(RawHttp::close);
            assertThat(waiting.read(WAIT).status()).isEqualTo(200);
        }
    }

    private static long percentile(List<Long> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static void closeQuietly(RawHttp c) {
        try {
            c.close();
        } catch (UncheckedIOException e) {
            // already gone
        }
    }
}
