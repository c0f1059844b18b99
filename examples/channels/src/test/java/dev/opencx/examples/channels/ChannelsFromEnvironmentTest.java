package dev.opencx.examples.channels;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChannelsFromEnvironmentTest {
    @TempDir
    Path dir;

    @Test
    void an_empty_environment_names_every_missing_variable_and_builds_nothing() {
        List<ChannelsFromEnvironment.Outcome> outcomes = ChannelsFromEnvironment.read(Map.of(), dir);

        assertThat(outcomes).noneMatch(ChannelsFromEnvironment.Outcome::configured);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChannelsExample.report(outcomes, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .contains("off  Slack (Events API): set SLACK_BOT_TOKEN, SLACK_SIGNING_SECRET")
                .contains(
                        "off  SMS (Twilio): set TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL, TWILIO_SMS_FROM")
                .contains("WHATSAPP_APP_SECRET")
                .contains("EMAIL_IMAP_HOST");
    }

    @Test
    void every_channel_is_built_when_its_variables_are_set() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PUBLIC_BASE_URL", "https://support.example.com");
        env.put("EMAIL_ADDRESS", "support@example.com");
        env.put("EMAIL_IMAP_HOST", "imap.example.com");
        env.put("EMAIL_SMTP_HOST", "smtp.example.com");
        env.put("EMAIL_USER", "support@example.com");
        env.put("EMAIL_PASSWORD", "app-password");
        env.put("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef");
        env.put("TWILIO_AUTH_TOKEN", "0123456789abcdef0123456789abcdef");
        env.put("TWILIO_SMS_FROM", "+15017122661");
        env.put("TWILIO_WHATSAPP_FROM", "whatsapp:+14155238886");
        env.put("TWILIO_VOICE_HANDOFF_NUMBER", "+15551234567");
        env.put("WHATSAPP_PHONE_NUMBER_ID", "123456123");
        env.put("WHATSAPP_ACCESS_TOKEN", "EAAG-token");
        env.put("WHATSAPP_APP_SECRET", "app_secret");
        env.put("WHATSAPP_VERIFY_TOKEN", "verify-me");
        env.put("SLACK_BOT_TOKEN", "xoxb-1-2-3");
        env.put("SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5");
        env.put("SLACK_BOT_USER_ID", "U0BOT");

        List<ChannelsFromEnvironment.Outcome> outcomes = ChannelsFromEnvironment.read(env, dir);

        assertThat(outcomes).allMatch(ChannelsFromEnvironment.Outcome::configured);
        assertThat(outcomes.stream().map(o -> o.channel().id().value()))
                .doesNotHaveDuplicates()
                .containsExactly("email", "sms", "whatsapp_twilio", "phone", "whatsapp", "slack");
        for (ChannelsFromEnvironment.Outcome o : outcomes) {
            try (Channel c = o.channel()) {
                assertThat(c.capabilities().maxTextLength()).isPositive();
            }
        }
    }
}
