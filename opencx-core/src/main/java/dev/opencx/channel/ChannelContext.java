package dev.opencx.channel;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.SessionEvent;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.spi.SessionAccess;
import dev.opencx.store.NewSession;
import java.util.List;
import java.util.Optional;

/**
 * What OpenCX gives a channel at {@link Channel#start(ChannelContext)}: the sink for inbound
 * messages plus what a channel that shows the conversation itself (the web widget, a REST API)
 * needs, so it never casts to {@code OpenCx} nor reaches into the store. It reads sessions and
 * timelines, finds or creates the contacts of its identities with the channel's PII policy
 * applied, opens sessions, and appends its own {@link dev.opencx.event.ModuleEvent}s.
 *
 * <pre>{@code
 * public void start(ChannelContext ctx) {
 *     this.ctx = ctx;
 *     server.onChatOpened((visitorId, name) -> {
 *         Contact c = ctx.contact(Identity.custom(visitorId), name);
 *         return ctx.findOpenSession(c.id(), "").orElseGet(() ->
 *                 ctx.openSession(new NewSession(c.id(), ctx.channelId(), "", "en"), name));
 *     });
 *     server.onMessage(in -> ctx.receive(in));
 * }
 * }</pre>
 *
 * <p>Contract: thread-safe and valid until the {@code OpenCx} closes; no parameter may be null.
 */
public interface ChannelContext extends InboundSink, SessionAccess {

    /** The id of the channel this context was given to. */
    ChannelId channelId();

    /**
     * The contact with this identity, created when there is none; a new contact's display name is
     * stored as this channel's PII policy says (see {@code OpenCx.contact}).
     *
     * @param displayName may be empty
     */
    Contact contact(Identity identity, String displayName);

    /** The open session of a contact on this channel's thread ({@code ""} for none). */
    Optional<Session> findOpenSession(String contactId, String threadId);

    /**
     * Opens a session before the contact's first message (a widget's "start chat"), sharing the
     * contact's name with it as {@code OpenCx.openSession} does.
     *
     * @param session on this channel
     * @param displayName the name that came with the request, may be empty
     * @throws IllegalArgumentException when {@code session} is for another channel
     */
    Session openSession(NewSession session, String displayName);

    /**
     * The outbox entries of a session, in insertion order: exactly what was queued for delivery
     * (a channel that renders the conversation reads the texts it was given to send). A store may
     * drop the payload of a delivered entry once the log holds what it needs; see {@link
     * #dropsDeliveredPayloads()}.
     */
    List<OutboxEntry> outbox(String sessionId);

    /**
     * True when the store empties an outbox entry's payload once it is delivered (the in-memory
     * store does, to save memory): a channel that needs a sent text later keeps it itself.
     */
    boolean dropsDeliveredPayloads();

    /**
     * Records what the provider reported about a sent message (a status callback, a read receipt,
     * a bounce) in the session log, where inspect mode and analytics see it.
     *
     * @param sessionId the message's session
     * @param update the report; its channel must be this channel's id
     * @return the stored event
     * @throws IllegalArgumentException for an unknown session or another channel's report
     */
    SessionEvent deliveryUpdated(String sessionId, DeliveryUpdated update);

    /**
     * Ends a session from the customer's side: the call hung up, the chat was closed. Records
     * {@code SessionClosed} with the reason; a later message from the contact opens a new session.
     * Does nothing for a session that is already resolved or closed.
     *
     * @param reason plain words for the log ({@code "caller hung up"})
     * @throws IllegalArgumentException for an unknown session or one of another channel
     */
    void endSession(String sessionId, String reason);
}
