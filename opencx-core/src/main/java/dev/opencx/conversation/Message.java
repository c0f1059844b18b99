package dev.opencx.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message of a session.
 *
 * @param id OpenCX's id of the message
 * @param author who wrote it
 * @param authorId agent id for {@link Author#AGENT}, empty otherwise
 * @param text the text, never null (may be empty when only attachments were sent)
 * @param attachments by reference, never null
 * @param externalId the channel's own id of the message, empty when it has none
 * @param at when it was received or written
 */
public record Message(
        String id,
        Author author,
        String authorId,
        String text,
        List<Attachment> attachments,
        String externalId,
        Instant at) {
    public Message {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(author, "author");
        authorId = authorId == null ? "" : authorId;
        text = text == null ? "" : text;
        attachments = attachments == null ? List.of() : List.copyOf(attachments);
        externalId = externalId == null ? "" : externalId;
        Objects.requireNonNull(at, "at");
    }
}
