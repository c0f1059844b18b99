package dev.opencx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.OpenCxException;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.responder.Reply;
import dev.opencx.test.RecordingChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A session's replies reach the customer in order even when the first one waits for a retry in
 * another batch of the outbox than the later ones (found by the Slack channel's outage test).
 */
class OutboxOrderTest {
    private static final Identity ANA = Identity.email("ana@example.com");

    @Test
    void a_later_reply_waits_for_an_earlier_one_that_waits_for_its_retry() {
        AtomicInteger calls = new AtomicInteger();
        RecordingChannel limited = new RecordingChannel(ChannelId.SMS) {
            @Override
            public DeliveryReceipt send(OutboundMessage m) {
                if (calls.incrementAndGet() == 1) {
                    throw OpenCxException.retryAfter("provider answered 429", Duration.ofMillis(1200), null);
                }
                return super.send(m);
            }
        };
        try (OpenCx cx = OpenCx.builder()
                .channel(limited)
                .responder(req -> Reply.answer("answer: " + req.message().text(), 0.9, List.of(), "", Map.of()))
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50))
                .build()) {
            cx.receive(InboundMessage.builder(ChannelId.SMS)
                            .from(ANA)
                            .text("first")
                            .build())
                    .join();
            await().atMost(Duration.ofSeconds(10)).until(() -> calls.get() >= 1); // the first reply failed
            cx.receive(InboundMessage.builder(ChannelId.SMS)
                            .from(ANA)
                            .text("second")
                            .build())
                    .join();

            await().atMost(Duration.ofSeconds(20)).until(() -> limited.texts().size() == 2);
            assertThat(limited.texts()).containsExactly("answer: first", "answer: second");
        }
    }
}
