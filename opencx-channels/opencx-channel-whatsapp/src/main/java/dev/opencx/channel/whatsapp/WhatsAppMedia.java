package dev.opencx.channel.whatsapp;

import java.util.Objects;

/**
 * A media file a customer sent, fetched from the Graph API with {@link
 * WhatsAppChannel#fetchMedia(String)}.
 *
 * @param mediaId WhatsApp's id of the media
 * @param contentType its MIME type as WhatsApp reports it ({@code image/jpeg}), may be empty
 * @param bytes the file
 */
public record WhatsAppMedia(String mediaId, String contentType, byte[] bytes) {
    public WhatsAppMedia {
        Objects.requireNonNull(mediaId, "mediaId");
        contentType = contentType == null ? "" : contentType;
        bytes = Objects.requireNonNull(bytes, "bytes").clone();
    }

    /** A copy of the file. */
    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public String toString() {
        return "WhatsAppMedia{" + mediaId + ", " + contentType + ", bytes=" + bytes.length + "}";
    }
}
