package dev.opencx.channel.api;

import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.InboundSink;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The programmatic channel: your code sends customer messages in with {@link #receive} and gets the
 * replies (AI answers, agent answers, handoff notices) through {@link #onReply} listeners.
 *
 * <pre>{@code
 * ApiChannel api = ApiChannel.create();
 * api.onReply(reply -> System.out.println(reply.text()));
 * OpenCx cx = OpenCx.builder().channel(api).knowledge(store).build();
 * api.receive(Identity.email("ana@example.com"), "Where is my order?").join();
 * }</pre>
 *
 * <p>Listeners run on the outbox dispatcher thread; a listener that throws makes the delivery fail
 * and be retried. Redeliveries of one message (same idempotency key) reach listeners once.
 */
public final class ApiChannel implements Channel {
    private static final int REMEMBERED_KEYS = 10_000;

    private final ChannelId id;
    private final ChannelCapabilities capabilities;
    private final List<Consumer<OutboundMessage>> listeners = new CopyOnWriteArrayList<>();
    private final LinkedHashSet<String> sentKeys = new LinkedHashSet<>();
    private volatile InboundSink sink;

    private ApiChannel(ChannelId id, ChannelCapabilities capabilities) {
        this.id = Objects.requireNonNull(id, "id");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
    }

    /** The {@code api} channel with rich (markdown) capabilities. */
    public static ApiChannel create() {
        return new ApiChannel(ChannelId.API, ChannelCapabilities.rich());
    }

    /** An API-style channel under another name (e.g. to simulate {@code sms} in tests). */
    public static ApiChannel named(ChannelId id, ChannelCapabilities capabilities) {
        return new ApiChannel(id, capabilities);
    }

    /** Registers a listener for every message to customers of this channel. */
    public ApiChannel onReply(Consumer<OutboundMessage> listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return this;
    }

    /** Hands a customer message to OpenCX; completes once it is stored. */
    public CompletableFuture<ReceiveReceipt> receive(InboundMessage message) {
        Objects.requireNonNull(message, "message");
        if (!message.channel().equals(id)) {
            throw new IllegalArgumentException(
                    "message is for channel '" + message.channel() + "' but this channel is '" + id + "'");
        }
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
        synchronized (sentKeys) {
            if (sentKeys.contains(message.idempotencyKey())) {
                return new DeliveryReceipt(message.idempotencyKey());
            }
        }
        for (Consumer<OutboundMessage> l : listeners) {
            l.accept(message);
        }
        synchronized (sentKeys) {
            sentKeys.add(message.idempotencyKey());
            if (sentKeys.size() > REMEMBERED_KEYS) {
                var it = sentKeys.iterator();
                it.next();
                it.remove();
            }
        }
        return new DeliveryReceipt(message.idempotencyKey());
    }
}
