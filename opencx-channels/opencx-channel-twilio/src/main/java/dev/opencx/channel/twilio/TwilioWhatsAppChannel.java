package dev.opencx.channel.twilio;

import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * WhatsApp through Twilio ({@code whatsapp}): customers write to your Twilio WhatsApp sender
 * ({@code whatsapp:+E164}); replies go back on WhatsApp. See {@link TwilioMessagingChannel} for
 * the webhook, status callbacks and sending. (For Meta's Cloud API directly, use {@code
 * opencx-channel-whatsapp} instead.)
 *
 * <pre>{@code
 * TwilioWhatsAppChannel whatsapp = TwilioWhatsAppChannel.builder(twilio).from("whatsapp:+14155238886").build();
 * OpenCx cx = OpenCx.builder().channel(whatsapp).build();
 * // Twilio console, the WhatsApp sender's "When a message comes in": whatsapp.webhookUrl(), HTTP POST
 * }</pre>
 *
 * <p>The contact's identity is the phone number behind the {@code whatsapp:} address ({@code
 * Identity.phone}), so a customer who texts and writes on WhatsApp is one contact; the WhatsApp
 * profile name becomes the contact's display name. Replies keep light formatting in WhatsApp's own
 * syntax (markdown {@code **bold**} becomes {@code *bold*}, {@code *italic*} becomes {@code
 * _italic_}, headings bold, links {@code text (url)}), in parts of at most 1,600 characters
 * (Twilio's {@code Body} limit). Outside WhatsApp's 24-hour customer-service window Twilio refuses a
 * free-form reply (error 63016): the send fails permanently and the session log says so.
 */
public final class TwilioWhatsAppChannel extends TwilioMessagingChannel {
    static final String PREFIX = "whatsapp:";
    private static final Pattern SENDER = Pattern.compile("(?i:whatsapp:)?\\+[1-9][0-9]{6,14}");

    private final int maxParts;
    private final boolean numberParts;

    private TwilioWhatsAppChannel(Builder b) {
        super(b, PREFIX);
        this.maxParts = b.maxParts;
        this.numberParts = b.numberParts;
    }

    /**
     * A builder on a Twilio account.
     *
     * @param config the account and public URL, shared with other Twilio channels
     */
    public static Builder builder(TwilioConfig config) {
        return new Builder(config);
    }

    /** WhatsApp formatting (converted from markdown), attachments (media references), 1,600 characters per message. */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(true, false, false, true, false, MessageParts.TWILIO_BODY_LIMIT);
    }

    @Override
    String address(Identity recipient) {
        return PREFIX + recipient.value();
    }

    @Override
    Identity sender(String from, FormBody form) {
        if (!from.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            throw new IllegalArgumentException(
                    "From is not a 'whatsapp:' address; this endpoint takes WhatsApp messages (SMS goes to the SMS"
                            + " channel's webhook)");
        }
        try {
            return Identity.phone(from.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("From is not 'whatsapp:' followed by an E.164 phone number");
        }
    }

    @Override
    String displayName(FormBody form) {
        return form.first("ProfileName").orElse("").strip();
    }

    @Override
    List<String> parts(String text) {
        return MessageParts.byLength(
                MarkdownText.toWhatsApp(text), MessageParts.TWILIO_BODY_LIMIT, maxParts, numberParts);
    }

    /** Configures a {@link TwilioWhatsAppChannel}; see {@link TwilioMessagingChannel.Builder} for the settings. */
    public static final class Builder extends TwilioMessagingChannel.Builder<Builder> {
        private Builder(TwilioConfig config) {
            super(config, ChannelId.WHATSAPP, "/webhooks/twilio/whatsapp");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * @throws IllegalStateException naming every bad setting
         */
        public TwilioWhatsAppChannel build() {
            List<String> problems = new ArrayList<>();
            check(problems);
            if (from != null && !SENDER.matcher(from).matches()) {
                problems.add("from must be a WhatsApp sender like whatsapp:+14155238886, was '" + from + "'");
            }
            throwIfAny("TwilioWhatsAppChannel", problems);
            return new TwilioWhatsAppChannel(this);
        }
    }
}
