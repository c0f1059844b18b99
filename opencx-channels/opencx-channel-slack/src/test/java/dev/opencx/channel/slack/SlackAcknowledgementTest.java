package dev.opencx.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCxException;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the webhook answers Slack: once the message is stored (200), or 503 so that Slack retries
 * when storing is slow or fails for now, or a 4xx without retry when it never can be stored. The
 * store is replaced by a context whose {@code receive} the test controls.
 */
class SlackAcknowledgementTest {
    private final List<InboundMessage> received = new CopyOnWriteArrayList<>();
    private final SlackChannel channel = SlackChannel.builder()
            .botToken(FakeSlack.TOKEN)
            .signingSecret(SlackRig.SECRET)
            .botUserId(FakeSlack.BOT_USER)
            .supportChannel(SlackRig.SUPPORT)
            .apiBaseUrl("http://127.0.0.1:9/api") // never called here
            .ackTimeout(Duration.ofMillis(300))
            .build();

    @AfterEach
    void close() {
        channel.close();
    }

    /** Starts the channel with a context whose receive answers with {@code store}. */
    private void startWith(Function<InboundMessage, CompletableFuture<ReceiveReceipt>> store) {
        ChannelContext ctx = (ChannelContext) Proxy.newProxyInstance(
                ChannelContext.class.getClassLoader(), new Class<?>[] {ChannelContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "receive":
                            received.add((InboundMessage) args[0]);
                            return store.apply((InboundMessage) args[0]);
                        case "channelId":
                            return ChannelId.SLACK;
                        case "toString":
                            return "test context";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
        channel.start(ctx);
    }

    private WebResponse deliver(String text) {
        byte[] body = SlackRig.message("U0ANA0001", SlackRig.SUPPORT, "channel", "1760000000.000100", null, text)
                .getBytes(StandardCharsets.UTF_8);
        String ts = Long.toString(Instant.now().getEpochSecond());
        return channel.handler()
                .handle(WebRequest.builder("POST", "/")
                        .header("Content-Type", "application/json")
                        .header("X-Slack-Request-Timestamp", ts)
                        .header("X-Slack-Signature", SlackSignature.sign(SlackRig.SECRET, ts, body))
                        .body(body)
                        .build());
    }

    private static final ReceiveReceipt STORED = new ReceiveReceipt("s-1", new TicketNumber(1000), "m-1", 2, false);

    @Test
    void answers_slack_only_once_the_message_is_stored() {
        CompletableFuture<ReceiveReceipt> storing = new CompletableFuture<>();
        startWith(m -> storing);

        WebResponse answer = deliver("Where is my parcel?");

        assertThat(answer.isDeferred()).isTrue();
        assertThat(answer.completion().toCompletableFuture()).isNotDone();
        storing.complete(STORED);
        assertThat(answer.await(Duration.ofSeconds(5)).status()).isEqualTo(200);
        assertThat(received).hasSize(1);
        assertThat(received.get(0).externalId()).isEqualTo(SlackRig.SUPPORT + ":1760000000.000100");
    }

    @Test
    void answers_503_before_slacks_deadline_when_storing_is_too_slow_so_that_slack_retries() {
        startWith(m -> new CompletableFuture<>()); // never stored

        long started = System.nanoTime();
        WebResponse answer = deliver("Where is my parcel?").await(Duration.ofSeconds(10));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("X-Slack-No-Retry")).isNull();
        assertThat(millis).as("answered after the ack timeout").isGreaterThanOrEqualTo(300);
        System.out.printf(
                "slack ack: a store that never answers was answered 503 after %d ms (ackTimeout 300 ms)%n", millis);
    }

    @Test
    void a_store_that_is_down_for_now_gets_503_so_that_slack_retries() {
        startWith(m -> CompletableFuture.failedFuture(OpenCxException.retriable("database unreachable", null)));

        WebResponse answer = deliver("hello").await(Duration.ofSeconds(5));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.header("X-Slack-No-Retry")).isNull();
    }

    @Test
    void a_message_that_can_never_be_stored_gets_a_4xx_and_no_retry() {
        startWith(
                m -> CompletableFuture.failedFuture(new IllegalArgumentException("the session has too many messages")));
        WebResponse refused = deliver("hello").await(Duration.ofSeconds(5));

        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.header("X-Slack-No-Retry")).isEqualTo("1");
        assertThat(refused.bodyText()).contains("too many messages");
    }

    @Test
    void a_different_message_under_a_used_id_is_a_conflict_without_retry() {
        startWith(m -> CompletableFuture.failedFuture(
                new MessageIdConflictException(ChannelId.SLACK, SlackRig.SUPPORT + ":1760000000.000100")));

        WebResponse refused = deliver("hello").await(Duration.ofSeconds(5));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.header("X-Slack-No-Retry")).isEqualTo("1");
    }

    @Test
    void a_channel_not_started_yet_answers_503() {
        WebResponse answer = deliver("hello").await(Duration.ofSeconds(5));

        assertThat(answer.status()).isEqualTo(503);
        assertThat(received).isEmpty();
    }
}
