package dev.opencx.channel.twilio;

import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * SMS through Twilio ({@code sms}): customers text your Twilio number, replies go back by SMS as
 * plain text. See {@link TwilioMessagingChannel} for the webhook, status callbacks and sending.
 *
 * <pre>{@code
 * TwilioConfig twilio = TwilioConfig.builder()
 *         .accountSid(System.getenv("TWILIO_ACCOUNT_SID"))
 *         .authToken(System.getenv("TWILIO_AUTH_TOKEN"))
 *         .publicUrl("https://support.example.com")
 *         .build();
 * TwilioSmsChannel sms = TwilioSmsChannel.builder(twilio).from("+15017122661").build();
 * OpenCx cx = OpenCx.builder().channel(sms).build();
 * WebServer server = WebServer.builder().port(8080).mount(sms).build().start();
 * // Twilio console, the number's "A message comes in" webhook: sms.webhookUrl(), HTTP POST
 * }</pre>
 *
 * <p><b>What a customer receives.</b> Markdown is reduced to plain text (links as {@code text
 * (url)}); typographic quotes, dashes and ellipses become their GSM-7 equivalents (unless {@link
 * Builder#gsmLookalikes(boolean) turned off}), so one curly apostrophe does not halve what a segment
 * holds. A reply is sent in parts of at most {@link Builder#segmentsPerPart(int)} segments each
 * (default 4: 612 GSM-7 characters, or 268 when the text needs UCS-2, e.g. for an emoji or Greek);
 * at most {@link Builder#maxParts(int)} parts (default 3), numbered {@code " (1/2)"}; a longer reply
 * is shortened in the last part with {@code "..."}. A segment holds 160 GSM-7 characters alone, 153
 * in a longer message (70 and 67 in UCS-2); Twilio's {@code Body} limit is 1,600 characters.
 *
 * <p>Contacts are identified by their E.164 number ({@code Identity.phone}); a message from a
 * short code or alphanumeric sender is refused with 400 (it cannot be answered).
 */
public final class TwilioSmsChannel extends TwilioMessagingChannel {
    private static final Pattern SENDER =
            Pattern.compile("\\+[1-9][0-9]{6,14}|[0-9]{3,8}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}");

    private final int segmentsPerPart;
    private final int maxParts;
    private final boolean numberParts;
    private final boolean gsmLookalikes;

    private TwilioSmsChannel(Builder b) {
        super(b, "");
        this.segmentsPerPart = b.segmentsPerPart;
        this.maxParts = b.maxParts;
        this.numberParts = b.numberParts;
        this.gsmLookalikes = b.gsmLookalikes;
    }

    /**
     * A builder on a Twilio account.
     *
     * @param config the account and public URL, shared with other Twilio channels
     */
    public static Builder builder(TwilioConfig config) {
        return new Builder(config);
    }

    /**
     * Plain text, attachments (inbound MMS media are kept as references), and the longest part
     * this channel sends: {@code segmentsPerPart} GSM-7 segments (612 characters by default).
     */
    @Override
    public ChannelCapabilities capabilities() {
        return new ChannelCapabilities(false, false, false, true, false, MessageParts.smsPartLimit(segmentsPerPart));
    }

    @Override
    String address(Identity recipient) {
        return recipient.value();
    }

    @Override
    Identity sender(String from, FormBody form) {
        if (from.indexOf(':') >= 0) {
            throw new IllegalArgumentException("From is a '" + from.substring(0, from.indexOf(':'))
                    + ":' address; this endpoint takes SMS (WhatsApp goes to the WhatsApp channel's webhook)");
        }
        try {
            return Identity.phone(from);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "From is not an E.164 phone number (a short code or an alphanumeric sender cannot be answered)");
        }
    }

    @Override
    String displayName(FormBody form) {
        return "";
    }

    @Override
    List<String> parts(String text) {
        String plain = MarkdownText.toPlain(text);
        if (gsmLookalikes) {
            plain = SmsEncoding.substituteLookalikes(plain);
        }
        return MessageParts.sms(plain, segmentsPerPart, maxParts, numberParts);
    }

    /** Configures a {@link TwilioSmsChannel}; see {@link TwilioMessagingChannel.Builder} for the common settings. */
    public static final class Builder extends TwilioMessagingChannel.Builder<Builder> {
        private int segmentsPerPart = 4;
        private boolean gsmLookalikes = true;

        private Builder(TwilioConfig config) {
            super(config, ChannelId.SMS, "/webhooks/twilio/sms");
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * The most SMS segments one part may cost (default 4, 1 to 10): 1 sends single 160-character
         * messages; 10 is 1,530 GSM-7 characters, near Twilio's 1,600-character {@code Body} limit.
         */
        public Builder segmentsPerPart(int segments) {
            this.segmentsPerPart = segments;
            return this;
        }

        /**
         * Replace typographic quotes, dashes, ellipses, bullets and unusual spaces by GSM-7
         * look-alikes before sending (default on, as Twilio's "smart encoding").
         */
        public Builder gsmLookalikes(boolean on) {
            this.gsmLookalikes = on;
            return this;
        }

        /**
         * @throws IllegalStateException naming every bad setting
         */
        public TwilioSmsChannel build() {
            List<String> problems = new ArrayList<>();
            check(problems);
            if (from != null && !SENDER.matcher(from).matches()) {
                problems.add("from must be an E.164 number like +15017122661, a short code or an alphanumeric"
                        + " sender id, was '" + from + "'");
            }
            if (segmentsPerPart < 1 || segmentsPerPart > 10) {
                problems.add("segmentsPerPart must be 1 to 10, was " + segmentsPerPart);
            }
            throwIfAny("TwilioSmsChannel", problems);
            return new TwilioSmsChannel(this);
        }
    }
}
