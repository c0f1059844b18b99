package dev.opencx.channel;

import dev.opencx.conversation.InboundMessage;
import java.util.concurrent.CompletableFuture;

/**
 * Where a channel puts the messages it receives. The future completes once the message is durably
 * stored — acknowledge the provider then — and fails with {@link IllegalArgumentException} for a
 * message that can never be accepted (unknown channel, oversized) or a retriable {@link
 * dev.opencx.OpenCxException} when the store is unreachable (let the provider retry).
 */
@FunctionalInterface
public interface InboundSink {
    CompletableFuture<ReceiveReceipt> receive(InboundMessage message);
}
