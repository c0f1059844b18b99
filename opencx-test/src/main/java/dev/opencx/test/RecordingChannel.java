package dev.opencx.test;

import dev.opencx.OpenCxException;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.PartialReply;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.channel.StreamingChannel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake {@link Channel} for tests: records every message sent to customers, drops a redelivery
 * with an idempotency key it has already sent (as a well-behaved channel must), and can simulate a
 * provider outage. Given capabilities with {@code streaming()} true, it also records the partial
 * replies streamed to it ({@link #partials()}).
 *
 * <pre>{@code
 * RecordingChannel api = new RecordingChannel(ChannelId.API);
 * try (OpenCx cx = OpenCx.builder().channel(api).responder(myResponder).build()) {
 *     api.receive(Identity.email("ana@example.com"), "hello").join();
 *     cx.awaitIdle(Duration.ofSeconds(5));
 *     assertThat(api.texts()).containsExactly("Hi Ana!");
 * }
 * }</pre>
 *
 * Thread-safe.
 */
public class RecordingChannel implements StreamingChannel {
    private final ChannelId id;
    private final ChannelCapabilities capabilities;
    private final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
    private final List<PartialReply> partials = new CopyOnWriteArrayList<>();
    private final Set<String> keys = ConcurrentHashMap.newKeySet();
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile int failNext;
    private volatile boolean permanentFailure;
    private volatile InboundSink sink;

    public RecordingChannel(ChannelId id) {
        this(id, ChannelCapabilities.rich());
    }

    public RecordingChannel(ChannelId id, ChannelCapabilities capabilities) {
        this.id = Objects.requireNonNull(id, "id");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    }

    /** Hands a customer message to OpenCX, as a real channel's listener would. */
    public CompletableFuture<ReceiveReceipt> receive(InboundMessage message) {
        InboundSink s = sink;
        if (s == null) {
            throw new IllegalStateException(
                    "channel '" + id + "' is not started: pass it to OpenCx.builder().channel(...)");
        }
        return s.receive(message);
    }

    /** Shortcut for a text message from an identity. */
    public CompletableFuture<ReceiveReceipt> receive(Identity from, String text) {
        return receive(InboundMessage.builder(id).from(from).text(text).build());
    }

    /** The next {@code n} sends fail with a retriable error (a provider outage). */
    public void failNext(int n) {
        this.failNext = n;
    }

    /** Every send from now on fails with a non-retriable error (e.g. a blocked recipient). */
    public void failPermanently(boolean on) {
        this.permanentFailure = on;
    }

    /** Messages delivered to customers, in order, each once. */
    public List<OutboundMessage> sent() {
        return List.copyOf(sent);
    }

    /** The texts of {@link #sent()}. */
    public List<String> texts() {
        return sent.stream().map(OutboundMessage::text).toList();
    }

    /** Partial replies streamed to this channel, in order (only when its capabilities say it streams). */
    public List<PartialReply> partials() {
        return List.copyOf(partials);
    }

    /** The text streamed so far: the deltas of {@link #partials()} joined. */
    public String streamedText() {
        StringBuilder sb = new StringBuilder();
        for (PartialReply p : partials) {
            sb.append(p.text());
        }
        return sb.toString();
    }

    @Override
    public void partialReply(PartialReply partial) {
        partials.add(Objects.requireNonNull(partial, "partial"));
    }

    /** How many times {@link #send} was called (including failures and redeliveries). */
    public int attempts() {
        return attempts.get();
    }

    @Override
    public ChannelId id() {
        return id;
    }

    @Override
    public ChannelCapabilities capabilities() {
        return capabilities;
    }

    @Override
    public void start(InboundSink sink) {
        this.sink = Objects.requireNonNull(sink, "sink");
    }

    @Override
    public DeliveryReceipt send(OutboundMessage message) {
        int n = attempts.incrementAndGet();
        if (permanentFailure) {
            throw OpenCxException.permanent("recipient blocked (simulated)", null);
        }
        synchronized (this) {
            if (failNext > 0) {
                failNext--;
                throw OpenCxException.retriable("provider down (simulated, attempt " + n + ")", null);
            }
        }
        if (keys.add(message.idempotencyKey())) {
            sent.add(message);
        }
        return new DeliveryReceipt("fake-" + n);
    }
}
