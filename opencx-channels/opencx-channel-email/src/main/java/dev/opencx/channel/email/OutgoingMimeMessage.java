package dev.opencx.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

/**
 * A mail that keeps the Message-ID we give it: Jakarta Mail replaces the Message-ID on {@code
 * saveChanges()} unless {@code updateMessageID()} is overridden.
 */
final class OutgoingMimeMessage extends MimeMessage {
    private final String messageId;

    OutgoingMimeMessage(Session session, String messageId) {
        super(session);
        this.messageId = messageId;
    }

    @Override
    protected void updateMessageID() throws MessagingException {
        setHeader("Message-ID", messageId);
    }
}
