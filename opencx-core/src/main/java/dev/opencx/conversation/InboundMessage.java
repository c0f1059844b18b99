package dev.opencx.conversation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A customer message as a channel adapter hands it to {@code OpenCx.receive}. Built with {@link
 * #builder(ChannelId)}; {@code build()} fails fast on a missing sender or an empty message.
 *
 * <pre>{@code
 * InboundMessage msg = InboundMessage.builder(ChannelId.API)
 *         .from(Identity.email("ana@example.com"))
 *         .text("Where is my order?")
 *         .externalId("msg-123")   // the channel's id: re-deliveries are processed once
 *         .build();
 * }</pre>
 */
public final class InboundMessage {
    private final ChannelId channel;
    private final Identity from;
    private final String displayName;
    private final String threadId;
    private final String text;
    private final List<Attachment> attachments;
    private final String externalId;
    private final String locale;
    private final Instant receivedAt;

    private InboundMessage(Builder b) {
        this.channel = b.channel;
        this.from = b.from;
        this.displayName = b.displayName;
        this.threadId = b.threadId;
        this.text = b.text;
        this.attachments = List.copyOf(b.attachments);
        this.externalId = b.externalId;
        this.locale = b.locale;
        this.receivedAt = b.receivedAt;
    }

    public static Builder builder(ChannelId channel) {
        return new Builder(channel);
    }

    public ChannelId channel() {
        return channel;
    }

    /** The sender's identity on this channel. */
    public Identity from() {
        return from;
    }

    /** Name the channel knows the sender by, empty when unknown. */
    public String displayName() {
        return displayName;
    }

    /** The channel's thread id, empty when the channel has no threads. */
    public String threadId() {
        return threadId;
    }

    /** The text, never null; empty only when attachments were sent. */
    public String text() {
        return text;
    }

    public List<Attachment> attachments() {
        return attachments;
    }

    /** The channel's own id of the message (for dedupe), empty when it has none. */
    public String externalId() {
        return externalId;
    }

    /** BCP 47 tag the channel reported, empty when unknown. */
    public String locale() {
        return locale;
    }

    /** When the channel received it, or null to use the client's clock. */
    public Instant receivedAt() {
        return receivedAt;
    }

    @Override
    public String toString() {
        // no message text or identity value: this may be logged
        return "InboundMessage{channel=" + channel + ", from=" + from + ", externalId=" + externalId + ", chars="
                + text.length() + ", attachments=" + attachments.size() + "}";
    }

    public static final class Builder {
        private final ChannelId channel;
        private Identity from;
        private String displayName = "";
        private String threadId = "";
        private String text = "";
        private final List<Attachment> attachments = new ArrayList<>();
        private String externalId = "";
        private String locale = "";
        private Instant receivedAt;

        private Builder(ChannelId channel) {
            this.channel = Objects.requireNonNull(channel, "channel");
        }

        public Builder from(Identity identity) {
            this.from = Objects.requireNonNull(identity, "from");
            return this;
        }

        public Builder displayName(String name) {
            this.displayName = name == null ? "" : name.strip();
            return this;
        }

        public Builder threadId(String threadId) {
            this.threadId = threadId == null ? "" : threadId;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder attachment(Attachment attachment) {
            this.attachments.add(Objects.requireNonNull(attachment, "attachment"));
            return this;
        }

        public Builder externalId(String externalId) {
            this.externalId = externalId == null ? "" : externalId;
            return this;
        }

        public Builder locale(String bcp47) {
            this.locale = bcp47 == null ? "" : bcp47;
            return this;
        }

        public Builder receivedAt(Instant at) {
            this.receivedAt = at;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the sender is missing, or the text is null/blank
         *     and there is no attachment
         */
        public InboundMessage build() {
            if (from == null) {
                throw new IllegalArgumentException(
                        "inbound message on channel '" + channel + "' has no sender: call from(identity)");
            }
            if (text == null) {
                throw new IllegalArgumentException("inbound message text is null (channel '" + channel + "')");
            }
            if (text.isBlank() && attachments.isEmpty()) {
                throw new IllegalArgumentException(
                        "inbound message is blank and has no attachment (channel '" + channel + "')");
            }
            if (externalId.length() > 255) {
                throw new IllegalArgumentException("externalId is longer than 255 characters: " + externalId.length());
            }
            return new InboundMessage(this);
        }
    }
}
