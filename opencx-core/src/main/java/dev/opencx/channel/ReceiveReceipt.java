package dev.opencx.channel;

import dev.opencx.conversation.TicketNumber;

/**
 * The answer to {@code receive}: the message is durably stored (or was stored before: a resend).
 *
 * <p>A resend of a message (the same channel external id, the same sender, the same text) is
 * answered with the ids of the message stored the first time, so a client that retries after a
 * lost response learns the ids it missed. A different message under a used id is refused with
 * {@link MessageIdConflictException} instead.
 *
 * @param sessionId the session it joined; empty only when an interceptor stopped the message
 *     before it had a session, or for a resend when the store cannot look up the original
 * @param ticket the session's ticket number; null when {@code sessionId} is empty
 * @param messageId OpenCX's id of the stored message (of the original, for a resend); empty when
 *     nothing was stored
 * @param seq its sequence number in the session log (the original's, for a resend); 0 when
 *     nothing was stored
 * @param duplicate true when the channel had already delivered this external id
 */
public record ReceiveReceipt(String sessionId, TicketNumber ticket, String messageId, long seq, boolean duplicate) {}
