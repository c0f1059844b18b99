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
 * @param maxTextLength longest text one message may carry; a channel splits or shortens a longer
 *     reply itself (the channel contract checks that nothing beyond it reaches the provider)
 * @param buttons can show choices as buttons (Slack, WhatsApp, the widget)
 * @param voice the reply is spoken: short sentences, no markup, no links
 */
public record ChannelCapabilities(
        boolean markdown,
        boolean streaming,
        boolean typingIndicator,
        boolean attachments,
        boolean threads,
        int maxTextLength,
        boolean buttons,
        boolean voice) {
    public ChannelCapabilities {
        if (maxTextLength < 1) {
            throw new IllegalArgumentException("maxTextLength must be >= 1, was " + maxTextLength);
        }
    }

    /** Without buttons and not spoken (the form before buttons and voice were added). */
    public ChannelCapabilities(
            boolean markdown,
            boolean streaming,
            boolean typingIndicator,
            boolean attachments,
            boolean threads,
            int maxTextLength) {
        this(markdown, streaming, typingIndicator, attachments, threads, maxTextLength, false, false);
    }

    /** A copy with another {@link #maxTextLength()}. */
    public ChannelCapabilities withMaxTextLength(int length) {
        return new ChannelCapabilities(
                markdown, streaming, typingIndicator, attachments, threads, length, buttons, voice);
    }

    /** A copy with {@link #buttons()} on or off. */
    public ChannelCapabilities withButtons(boolean on) {
        return new ChannelCapabilities(
                markdown, streaming, typingIndicator, attachments, threads, maxTextLength, on, voice);
    }

    /** A copy with {@link #threads()} on or off. */
    public ChannelCapabilities withThreads(boolean on) {
        return new ChannelCapabilities(
                markdown, streaming, typingIndicator, attachments, on, maxTextLength, buttons, voice);
    }

    /** A copy with {@link #attachments()} on or off. */
    public ChannelCapabilities withAttachments(boolean on) {
        return new ChannelCapabilities(
                markdown, streaming, typingIndicator, on, threads, maxTextLength, buttons, voice);
    }

    /** A spoken channel (a phone call): plain short text. */
    public static ChannelCapabilities voiceCall() {
        return new ChannelCapabilities(false, false, false, false, false, 600, false, true);
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
