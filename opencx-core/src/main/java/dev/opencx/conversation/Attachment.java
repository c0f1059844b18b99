package dev.opencx.conversation;

import java.util.Objects;

/**
 * A file attached to a message, kept by reference: OpenCX stores the URL, never the bytes.
 *
 * @param url where the channel or host app keeps the file
 * @param contentType MIME type, may be empty
 * @param name file name, may be empty
 * @param sizeBytes size, or -1 when unknown
 */
public record Attachment(String url, String contentType, String name, long sizeBytes) {
    public Attachment {
        Objects.requireNonNull(url, "url");
        contentType = contentType == null ? "" : contentType;
        name = name == null ? "" : name;
    }
}
