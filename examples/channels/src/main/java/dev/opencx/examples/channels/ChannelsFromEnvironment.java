package dev.opencx.examples.channels;

import dev.opencx.channel.Channel;
import dev.opencx.channel.email.EmailChannel;
import dev.opencx.channel.email.EmailCursorStore;
import dev.opencx.channel.email.MailSecurity;
import dev.opencx.channel.slack.SlackChannel;
import dev.opencx.channel.twilio.TwilioConfig;
import dev.opencx.channel.twilio.TwilioSmsChannel;
import dev.opencx.channel.twilio.TwilioWhatsAppChannel;
import dev.opencx.channel.twilio.voice.HandoffTarget;
import dev.opencx.channel.twilio.voice.TwilioVoiceChannel;
import dev.opencx.channel.whatsapp.WhatsAppChannel;
import dev.opencx.conversation.ChannelId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds every messaging channel whose environment variables are set, and says for each of the
 * others which variables are missing. Nothing connects here: channels connect when {@code OpenCx}
 * starts them.
 */
final class ChannelsFromEnvironment {

    /** One channel the environment configured, or why it did not. */
    record Outcome(String name, List<String> missing, Channel channel) {
        boolean configured() {
            return channel != null;
        }
    }

    private record Spec(String name, List<String> required, Function<Map<String, String>, Channel> build) {}

    private ChannelsFromEnvironment() {}

    static List<Outcome> read(Map<String, String> env, Path dataDir) {
        List<Spec> specs = List.of(
                new Spec(
                        "e-mail (IMAP + SMTP)",
                        List.of("EMAIL_ADDRESS", "EMAIL_IMAP_HOST", "EMAIL_SMTP_HOST", "EMAIL_USER", "EMAIL_PASSWORD"),
                        e -> EmailChannel.builder()
                                .address(e.get("EMAIL_ADDRESS"))
                                .imap(e.get("EMAIL_IMAP_HOST"), MailSecurity.TLS)
                                .smtp(e.get("EMAIL_SMTP_HOST"), MailSecurity.STARTTLS)
                                .credentials(e.get("EMAIL_USER"), e.get("EMAIL_PASSWORD"))
                                .cursorStore(EmailCursorStore.file(dataDir.resolve("email-cursor.properties")))
                                .build()),
                new Spec(
                        "SMS (Twilio)",
                        List.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "TWILIO_SMS_FROM"),
                        e -> TwilioSmsChannel.builder(twilio(e))
                                .from(e.get("TWILIO_SMS_FROM"))
                                .build()),
                new Spec(
                        "WhatsApp (Twilio)",
                        List.of("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "TWILIO_WHATSAPP_FROM"),
                        // its own channel id, so that it can run beside the Cloud API channel
                        e -> TwilioWhatsAppChannel.builder(twilio(e))
                                .id(ChannelId.of("whatsapp_twilio"))
                                .from(e.get("TWILIO_WHATSAPP_FROM"))
                                .build()),
                new Spec(
                        "voice (Twilio)",
                        List.of("TWILIO_AUTH_TOKEN", "PUBLIC_BASE_URL", "TWILIO_VOICE_HANDOFF_NUMBER"),
                        e -> TwilioVoiceChannel.builder()
                                .authToken(e.get("TWILIO_AUTH_TOKEN"))
                                .publicBaseUrl(e.get("PUBLIC_BASE_URL"))
                                .handoffTo(HandoffTarget.number(e.get("TWILIO_VOICE_HANDOFF_NUMBER")))
                                .build()),
                new Spec(
                        "WhatsApp (Meta Cloud API)",
                        List.of(
                                "WHATSAPP_PHONE_NUMBER_ID",
                                "WHATSAPP_ACCESS_TOKEN",
                                "WHATSAPP_APP_SECRET",
                                "WHATSAPP_VERIFY_TOKEN"),
                        e -> WhatsAppChannel.builder()
                                .phoneNumberId(e.get("WHATSAPP_PHONE_NUMBER_ID"))
                                .accessToken(e.get("WHATSAPP_ACCESS_TOKEN"))
                                .appSecret(e.get("WHATSAPP_APP_SECRET"))
                                .verifyToken(e.get("WHATSAPP_VERIFY_TOKEN"))
                                .build()),
                new Spec("Slack (Events API)", List.of("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"), e -> {
                    SlackChannel.Builder b = SlackChannel.builder()
                            .botToken(e.get("SLACK_BOT_TOKEN"))
                            .signingSecret(e.get("SLACK_SIGNING_SECRET"))
                            .botUserId(e.get("SLACK_BOT_USER_ID")) // null: asked with auth.test
                            .directMessages(true);
                    String support = e.get("SLACK_SUPPORT_CHANNEL");
                    return support == null || support.isBlank()
                            ? b.build()
                            : b.supportChannel(support).build();
                }));
        List<Outcome> out = new ArrayList<>();
        for (Spec s : specs) {
            List<String> missing = s.required().stream()
                    .filter(k -> env.get(k) == null || env.get(k).isBlank())
                    .toList();
            out.add(new Outcome(s.name(), missing, missing.isEmpty() ? s.build().apply(env) : null));
        }
        return out;
    }

    private static TwilioConfig twilio(Map<String, String> env) {
        return TwilioConfig.builder()
                .accountSid(env.get("TWILIO_ACCOUNT_SID"))
                .authToken(env.get("TWILIO_AUTH_TOKEN"))
                .publicUrl(env.get("PUBLIC_BASE_URL"))
                .build();
    }
}
