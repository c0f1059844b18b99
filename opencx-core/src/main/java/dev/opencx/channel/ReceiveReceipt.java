package dev.opencx.channel;

import dev.opencx.conversation.TicketNumber;

/**
 * The answer to {@code receive}: the message is durably stored (or was a duplicate).
 *
 * @param sessionId the session it joined; empty for a duplicate caught before its session was looked up
 * @param ticket the session's ticket number; null when {@code sessionId} is empty
 * @param messageId OpenCX's id of the stored message; empty for a duplicate
 * @param seq its sequence number in the session log, 0 for a duplicate
 * @param duplicate true when the channel had already delivered this external id
 */
public record ReceiveReceipt(String sessionId, TicketNumber ticket, String messageId, long seq, boolean duplicate) {}
