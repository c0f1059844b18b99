package dev.opencx.channel.slack;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.conversation.Identity;
import dev.opencx.http.WebServer;
import dev.opencx.test.channel.ChannelFixture;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Slack channel and Slack for {@link dev.opencx.test.channel.ChannelContract}: signed Events API
 * webhooks through the embedded server, {@link FakeSlack} as the Web API. In the support channel a
 * customer's first message is top-level and the next ones are replies in its thread (as people
 * answer in Slack); in the DM mode every message is written in the customer's DM with the app.
 */
final class SlackContractFixture implements ChannelFixture {
    enum Mode {
        SUPPORT_CHANNEL_THREADS,
        DIRECT_MESSAGES
    }

    private final Mode mode;
    private final FakeSlack slack = new FakeSlack();
    private final SlackChannel channel;
    private final Map<String, String> tsOfMessage = new ConcurrentHashMap<>();
    private final Map<Integer, String> rootOfCustomer = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private long lastTs = Instant.now().getEpochSecond() * 1_000_000L;
    private volatile WebServer server;

    SlackContractFixture(Mode mode) {
        this.mode = mode;
        this.channel = SlackChannel.builder()
                .botToken(FakeSlack.TOKEN)
                .signingSecret(SlackRig.SECRET)
                .botUserId(FakeSlack.BOT_USER)
                .supportChannel(SlackRig.SUPPORT)
                .directMessages(true)
                .apiBaseUrl(slack.baseUrl())
                .build();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Identity customer(int n) {
        return SlackRig.identity(user(n));
    }

    private static String user(int n) {
        return String.format("U0CUST%03d", n);
    }

    private static String dm(int n) {
        return String.format("D0CUST%03d", n);
    }

    @Override
    public void started(OpenCx cx) {
        server = WebServer.builder().port(0).mount(channel).build().start();
    }

    private synchronized String newTs() {
        lastTs += 1000;
        return (lastTs / 1_000_000) + "." + String.format("%06d", lastTs % 1_000_000);
    }

    private String payload(int customer, String providerMessageId, String text) {
        String ts = tsOfMessage.computeIfAbsent(providerMessageId, id -> newTs());
        if (mode == Mode.DIRECT_MESSAGES) {
            return SlackRig.message(user(customer), dm(customer), "im", ts, null, text);
        }
        String root = rootOfCustomer.computeIfAbsent(customer, c -> ts);
        return SlackRig.message(user(customer), SlackRig.SUPPORT, "channel", ts, root.equals(ts) ? null : root, text);
    }

    @Override
    public int deliver(int customer, String providerMessageId, String text) throws Exception {
        return post(SlackRig.SECRET, payload(customer, providerMessageId, text));
    }

    @Override
    public OptionalInt deliverForged(int customer, String providerMessageId, String text) throws Exception {
        return OptionalInt.of(post("a-forger-guessing-the-secret-000", payload(customer, providerMessageId, text)));
    }

    @Override
    public OptionalInt deliverMalformed() throws Exception {
        return OptionalInt.of(post(SlackRig.SECRET, "{\"type\":\"event_callback\",\"event\":{\"type\":\"message\""));
    }

    private int post(String secret, String body) throws IOException, InterruptedException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(server.uri() + channel.mountPath().substring(1)))
                .timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json")
                .header("X-Slack-Request-Timestamp", ts)
                .header("X-Slack-Signature", SlackSignature.sign(secret, ts, bytes))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Each post mapped back to the customer of its conversation: a DM's user, a thread's first writer. */
    @Override
    public List<Sent> sent() {
        List<Sent> out = new ArrayList<>();
        for (FakeSlack.Post p : slack.posts()) {
            Integer customer = null;
            if (p.channel().startsWith("D0CUST")) {
                customer = Integer.parseInt(p.channel().substring(6));
            } else {
                for (Map.Entry<Integer, String> e : rootOfCustomer.entrySet()) {
                    if (e.getValue().equals(p.threadTs())) {
                        customer = e.getKey();
                    }
                }
            }
            if (customer == null) {
                throw new AssertionError("Slack received a message in no customer's conversation: " + p.channel()
                        + " thread " + p.threadTs());
            }
            out.add(new Sent(customer(customer), SlackMrkdwn.toPlainText(p.text())));
        }
        return out;
    }

    /** Slack answers 429 with {@code Retry-After: 1}, then 503, alternately. */
    @Override
    public boolean failNextSends(int n) {
        for (int i = 0; i < n; i++) {
            if (i % 2 == 0) {
                slack.rateLimitNext(1);
            } else {
                slack.failNextWithStatus(503);
            }
        }
        return true;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        channel.close();
        slack.close();
    }
}
