package dev.opencx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A session's replies reach the customer in order, even when the first waits for a provider's Retry-After. */
class OutboxOrderTest {
    private static final Identity ANA = Identity.email("ana@example.com");

    @Test
    void a_later_reply_waits_for_an_earlier_one_that_waits_for_retry_after() {
        AtomicBoolean throttled = new AtomicBoolean(true);
        RecordingChannel api = new RecordingChannel(ChannelId.API) {
            @Override
            public DeliveryReceipt send(OutboundMessage message) {
                if (throttled.getAndSet(false)) {
                    throw OpenCxException.retryAfter("429 (simulated)", Duration.ofMillis(400), null);
                }
                return super.send(message);
            }
        };
        try (OpenCx cx = OpenCx.builder()
                .channel(api)
                .responder(req -> Reply.answer("answer: " + req.message().text(), 0.9, List.of(), "", Map.of()))
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50))
                .build()) {
            cx.receive(InboundMessage.builder(ChannelId.API)
                            .from(ANA)
                            .text("one")
                            .build())
                    .join();
            cx.receive(InboundMessage.builder(ChannelId.API)
                            .from(ANA)
                            .text("two")
                            .build())
                    .join();

            assertThat(cx.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(api.texts()).containsExactly("answer: one", "answer: two");
        }
    }
}
