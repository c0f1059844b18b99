package dev.opencx.pipeline;

import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.handoff.Helpdesk;
import dev.opencx.handoff.HelpdeskListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Small fakes for pipeline tests. */
final class PipelineFixtures {
    private PipelineFixtures() {}

    /** A channel that records what it sends, can fail the first N sends, and drops repeated idempotency keys. */
    static class RecordingChannel implements Channel {
        final ChannelId id;
        final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
        final Map<String, Boolean> keys = new ConcurrentHashMap<>();
        final AtomicInteger attempts = new AtomicInteger();
        volatile int failFirst;
        volatile boolean permanentFailure;
        volatile InboundSink sink;

        RecordingChannel(ChannelId id) {
            this.id = id;
        }

        @Override
        public ChannelId id() {
            return id;
        }

        @Override
        public ChannelCapabilities capabilities() {
            return ChannelCapabilities.rich();
        }

        @Override
        public void start(InboundSink sink) {
            this.sink = sink;
        }

        @Override
        public DeliveryReceipt send(OutboundMessage message) {
            int n = attempts.incrementAndGet();
            if (permanentFailure) {
                throw OpenCxException.permanent("recipient blocked", null);
            }
            if (n <= failFirst) {
                throw OpenCxException.retriable("provider down (attempt " + n + ")", null);
            }
            if (keys.putIfAbsent(message.idempotencyKey(), true) == null) {
                sent.add(message);
            }
            return new DeliveryReceipt("ext-" + n);
        }

        List<String> texts() {
            return sent.stream().map(OutboundMessage::text).toList();
        }
    }

    /** A helpdesk that records tickets and appended messages. */
    static final class RecordingHelpdesk implements Helpdesk {
        final Map<TicketNumber, HandoffTicket> opened = new ConcurrentHashMap<>();
        final List<Message> appended = new CopyOnWriteArrayList<>();
        volatile HelpdeskListener listener;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public void start(HelpdeskListener listener) {
            this.listener = listener;
        }

        @Override
        public String openTicket(HandoffTicket ticket) {
            opened.putIfAbsent(ticket.ticket(), ticket);
            return "T-" + ticket.ticket().value();
        }

        @Override
        public void appendMessage(String ticketRef, TicketNumber ticket, Message message) {
            if (appended.stream().noneMatch(m -> m.id().equals(message.id()))) {
                appended.add(message);
            }
        }
    }

    /** A clock tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
