package dev.opencx.channel;

/**
 * What a channel can show. The responder and autopilot read it: plain text for SMS, short answers
 * for voice, markdown and streaming for web.
 *
 * @param markdown renders markdown
 * @param streaming can show a reply while it is written
 * @param typingIndicator can show that someone is typing
 * @param attachments can carry attachments
 * @param threads has threads (e-mail, Slack)
 * @param maxTextLength longest text one message may carry
 */
public record ChannelCapabilities(
        boolean markdown,
        boolean streaming,
        boolean typingIndicator,
        boolean attachments,
        boolean threads,
        int maxTextLength) {
    public ChannelCapabilities {
        if (maxTextLength < 1) {
            throw new IllegalArgumentException("maxTextLength must be >= 1, was " + maxTextLength);
        }
    }

    /** Plain text, no extras, up to 4,000 characters. */
    public static ChannelCapabilities plainText() {
        return new ChannelCapabilities(false, false, false, false, false, 4000);
    }

    /** Markdown with attachments, up to 16,000 characters (web, API). */
    public static ChannelCapabilities rich() {
        return new ChannelCapabilities(true, false, false, true, false, 16_000);
    }
}
