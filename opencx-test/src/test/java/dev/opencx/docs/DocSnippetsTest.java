package dev.opencx.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.event.HandoffRequested;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.pipeline.Step;
import dev.opencx.responder.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/**
 * The code snippets of README.md and opencx-core/README.md, compiled and run. Keep them in sync: a
 * snippet changed in a README is changed here too.
 */
class DocSnippetsTest {

    /** A stand-in for the kiosk screen of the README's adapter example. */
    static final class Screen {
        BiConsumer<String, String> input;
        final List<String> shown = new CopyOnWriteArrayList<>();

        void onInput(BiConsumer<String, String> handler) {
            this.input = handler;
        }

        void show(String visitorId, String text) {
            shown.add(visitorId + ": " + text);
        }
    }

    // README.md, "Writing an adapter"
    static final class KioskChannel implements Channel {
        private final Screen screen;

        KioskChannel(Screen screen) {
            this.screen = screen;
        }

        @Override
        public ChannelId id() {
            return ChannelId.of("kiosk");
        }

        @Override
        public ChannelCapabilities capabilities() {
            return ChannelCapabilities.plainText();
        }

        @Override
        public void start(InboundSink sink) { // called once by OpenCx.build()
            screen.onInput((visitorId, text) -> sink.receive(InboundMessage.builder(id())
                    .from(Identity.custom(visitorId))
                    .text(text)
                    .build()));
        }

        @Override
        public DeliveryReceipt send(OutboundMessage m) { // called by the outbox, with retries
            screen.show(m.recipient().value(), m.text()); // throw OpenCxException.retriable(...) to be retried
            return DeliveryReceipt.none();
        }
    }

    @Test
    void the_readme_kiosk_channel_receives_and_answers() {
        Screen screen = new Screen();
        try (OpenCx cx = OpenCx.builder()
                .channel(new KioskChannel(screen))
                .responder(req -> Reply.answer("Hello!", 0.9, List.of(), "always hello", Map.of()))
                .build()) {
            screen.input.accept("visitor-7", "hi");
            cx.awaitIdle(Duration.ofSeconds(10));
        }
        assertThat(screen.shown).containsExactly("visitor-7: Hello!");
    }

    @Test
    void the_readme_business_hours_interceptor_hands_off() {
        BusinessHours businessHours = () -> false;
        List<String> replies = new CopyOnWriteArrayList<>();
        ApiChannel api = ApiChannel.create().onReply(r -> replies.add(r.kind().name()));
        OpenCx.Builder builder =
                OpenCx.builder().channel(api).responder(req -> Reply.answer("Hello!", 0.9, List.of(), "", Map.of()));
        // README.md, "How a message flows"
        builder.interceptor(Step.AUTOPILOT, chain -> {
            if (!businessHours.isOpen()) {
                chain.turn().handOff(HandoffReason.CUSTOM, "outside business hours", Map.of());
            }
            return chain.proceed();
        });
        try (OpenCx cx = builder.build()) {
            var receipt = api.receive(Identity.email("ana@example.com"), "hi").join();
            cx.awaitIdle(Duration.ofSeconds(10));
            List<HandoffRequested> handoffs = new ArrayList<>();
            cx.events(receipt.sessionId()).forEach(e -> {
                if (e.payload() instanceof HandoffRequested h) {
                    handoffs.add(h);
                }
            });
            assertThat(handoffs).extracting(HandoffRequested::detail).containsExactly("outside business hours");
        }
        assertThat(replies).containsExactly("HANDOFF_NOTICE");
    }

    @Test
    void the_core_readme_example_replies() {
        List<String> printed = new CopyOnWriteArrayList<>();
        // opencx-core/README.md
        ApiChannel api = ApiChannel.create();
        try (OpenCx cx = OpenCx.builder()
                .channel(api)
                .responder(req -> Reply.answer("Hello!", 0.9, List.of(), "always hello", Map.of()))
                .build()) {
            api.onReply(reply -> printed.add(reply.text()));
            api.receive(Identity.email("ana@example.com"), "hi").join(); // returns once stored
            cx.awaitIdle(Duration.ofSeconds(5)); // the turn runs asynchronously
        }
        assertThat(printed).containsExactly("Hello!");
    }

    /** The README's business-hours service. */
    interface BusinessHours {
        boolean isOpen();
    }
}
