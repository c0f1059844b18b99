package dev.opencx.channel.email;

import jakarta.mail.internet.MimeMessage;
import java.time.Instant;
import java.util.List;

/**
 * One mail as the channel understands it.
 *
 * @param mime the parsed message (headers for the loop checks, parts for bounces)
 * @param messageId canonical {@code <id>}: the mail's Message-ID, or a hash of its bytes when it has none
 * @param fromAddress the sender's address as written
 * @param fromName the sender's name from {@code From}, empty when none
 * @param recipients every address of {@code To}, {@code Cc} and {@code Delivered-To}, lower-case
 * @param subject decoded, empty when none
 * @param inReplyTo ids of {@code In-Reply-To}, canonical
 * @param references ids of {@code References}, canonical, oldest first
 * @param text the body as text: the text/plain part, else the text of the HTML part, never null
 * @param html whether {@code text} came from HTML
 * @param attachments the other parts, by IMAP section
 * @param receivedAt when the server received it (IMAP INTERNALDATE), null when unknown
 */
record ParsedMail(
        MimeMessage mime,
        String messageId,
        String fromAddress,
        String fromName,
        List<String> recipients,
        String subject,
        List<String> inReplyTo,
        List<String> references,
        String text,
        boolean html,
        List<PartRef> attachments,
        Instant receivedAt) {

    /** A part kept by reference: its IMAP section ({@code 2}, {@code 1.2}), type, name and size. */
    record PartRef(String section, String contentType, String name, long sizeBytes) {}

    /** True when the mail names earlier mails (it is a reply or a follow-up). */
    boolean answersEarlierMail() {
        return !inReplyTo.isEmpty() || !references.isEmpty();
    }
}
