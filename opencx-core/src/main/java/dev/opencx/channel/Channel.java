package dev.opencx.channel;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import java.util.List;

/**
 * A way customers reach you: web widget, e-mail, SMS, WhatsApp, Slack, the API.
 *
 * <p>A channel adapter normalises what it receives into {@link dev.opencx.conversation.InboundMessage}s
 * and hands them to the {@link InboundSink} given to {@link #start(InboundSink)} (or reads sessions
 * through the {@link ChannelContext} given to {@link #start(ChannelContext)}); OpenCX calls {@link #send}
 * from its outbox dispatcher, with retries, for every reply.
 *
 * <pre>{@code
 * final class KioskChannel implements Channel {
 *     public ChannelId id() { return ChannelId.of("kiosk"); }
 *     public ChannelCapabilities capabilities() { return ChannelCapabilities.plainText(); }
 *     public void start(InboundSink sink) { screen.onInput(text -> sink.receive(toInbound(text))); }
 *     public List<IdentityType> answersOn() { return List.of(IdentityType.CUSTOM); }
 *     public DeliveryReceipt send(OutboundMessage m) { screen.show(m.text()); return DeliveryReceipt.none(); }
 * }
 * }</pre>
 *
 * <p>Contract: {@link #send} may be called from the dispatcher thread while inbound messages
 * arrive on others; it throws a retriable {@link dev.opencx.OpenCxException} for a failure worth
 * retrying (the outbox tries again with backoff) and a non-retriable one for a message that can
 * never be sent. It should drop a message whose {@link OutboundMessage#idempotencyKey()} it has
 * already sent, or pass the key to a provider that does.
 */
public interface Channel extends AutoCloseable {

    /** The channel's name; unique within one {@code OpenCx}. */
    ChannelId id();

    /** What the channel can show. */
    ChannelCapabilities capabilities();

    /**
     * Start listening and deliver inbound messages to the sink. OpenCX calls {@link
     * #start(ChannelContext)}, whose default calls this: a channel that only delivers inbound
     * messages overrides this one.
     */
    default void start(InboundSink sink) {}

    /**
     * Called once by {@code OpenCx.build()}. The default calls {@link #start(InboundSink)} with the
     * context; a channel that reads sessions, contacts or timelines (to show the conversation
     * itself) overrides this one and keeps the context.
     *
     * @param context the sink for inbound messages and read access to sessions, never null
     */
    default void start(ChannelContext context) {
        start((InboundSink) context);
    }

    /**
     * The identity types this channel answers on, most preferred first: OpenCX sends a reply to
     * the contact's first identity of the first of these types it has ({@code EMAIL} for an e-mail
     * channel, {@code PHONE} for SMS, WhatsApp and voice). When the list is empty (the default:
     * channels that answer within the session, like the web widget and the API), or the contact has
     * none of these types, the reply goes to the contact's first identity.
     */
    default List<IdentityType> answersOn() {
        return List.of();
    }

    /** Delivers one message to the customer. */
    DeliveryReceipt send(OutboundMessage message);

    /**
     * Called after OpenCX records a change of one of this channel's sessions that is not a message
     * to send: an agent joined it, or it was resolved. A channel that shows the conversation live
     * (the web widget) can update at once instead of at its next poll. Called on the thread that made
     * the change, after the change is stored: return quickly. What it throws is logged and ignored.
     * Default: nothing.
     *
     * @param session the session as it is now
     */
    default void sessionChanged(Session session) {}

    /** Stops listening and releases resources; idempotent. */
    @Override
    default void close() {}
}
