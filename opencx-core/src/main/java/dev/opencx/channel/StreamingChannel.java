package dev.opencx.channel;

/**
 * A {@link Channel} that can show an AI reply while it is being written (a web widget over SSE or
 * WebSocket). OpenCX streams to a channel only when it implements this interface <em>and</em> its
 * {@link ChannelCapabilities#streaming()} is true, and only with a responder that streams (an
 * {@code LlmResponder} given a {@code StreamingChatModel}).
 *
 * <p>Streaming is best-effort and never replaces delivery: the final reply still goes through the
 * durable outbox to {@link #send} as an {@link OutboundMessage} of kind {@code AI_REPLY}, and that
 * message is what the customer must end up seeing. A channel shows the deltas as a draft and
 * replaces the draft with the final message of the same session (turns of one session run one at
 * a time, so a session has at most one draft; {@link PartialReply#inReplyTo()} equals the final
 * message's {@link OutboundMessage#inReplyTo()}). When the turn ends in a handoff instead (the
 * confidence gate, a model error), the channel gets a {@link PartialReply.Kind#DISCARD} and should
 * remove the draft; the handoff notice follows through the outbox.
 *
 * <pre>{@code
 * final class WidgetChannel implements StreamingChannel {
 *     public ChannelCapabilities capabilities() {
 *         return new ChannelCapabilities(true, true, true, true, false, 16_000);
 *     }
 *     public void partialReply(PartialReply p) {
 *         if (p.kind() == PartialReply.Kind.DELTA) sse.push(p.sessionId(), p.text());
 *         else sse.clearDraft(p.sessionId());
 *     }
 *     public DeliveryReceipt send(OutboundMessage m) { sse.finalMessage(m); return DeliveryReceipt.none(); }
 *     ...
 * }
 * }</pre>
 *
 * <p>Contract: {@link #partialReply} is called in order and never concurrently for one session,
 * from the turn's thread or the model client's; it must return quickly (hand the delta to an I/O
 * thread). An exception it throws is logged once per turn and stops the stream for that turn,
 * without affecting the reply.
 */
public interface StreamingChannel extends Channel {

    /** A piece of the reply being written, or the notice that the draft will not become the reply. */
    void partialReply(PartialReply partial);
}
