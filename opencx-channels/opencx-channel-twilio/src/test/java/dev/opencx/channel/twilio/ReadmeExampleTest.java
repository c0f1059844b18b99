package dev.opencx.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.http.WebServer;
import dev.opencx.responder.Reply;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The README's snippets, compiled and run; and the builders' checks it describes. */
class ReadmeExampleTest {

    @Test
    void the_readme_example_wires_sms_and_whatsapp_on_one_server() {
        Map<String, String> env = Map.of(
                "TWILIO_ACCOUNT_SID", FakeTwilio.ACCOUNT_SID,
                "TWILIO_AUTH_TOKEN", FakeTwilio.AUTH_TOKEN);

        // --- README: quick start
        TwilioConfig twilio = TwilioConfig.builder()
                .accountSid(env.get("TWILIO_ACCOUNT_SID"))
                .authToken(env.get("TWILIO_AUTH_TOKEN"))
                .publicUrl("https://support.example.com") // what Twilio calls; signatures cover it
                .build();
        TwilioSmsChannel sms = TwilioSmsChannel.builder(twilio)
                .from("+15017122661") // your Twilio number
                .build();
        TwilioWhatsAppChannel whatsapp = TwilioWhatsAppChannel.builder(twilio)
                .from("whatsapp:+14155238886") // your WhatsApp sender
                .build();
        OpenCx cx = OpenCx.builder()
                .channel(sms)
                .channel(whatsapp)
                .responder(req -> Reply.answer("Thanks, we are on it.", 0.9, List.of(), "example", Map.of()))
                .build();
        WebServer server =
                WebServer.builder().port(0).mount(sms).mount(whatsapp).build().start();
        System.out.println("Twilio console, 'A message comes in': " + sms.webhookUrl());
        // --- end

        try (cx;
                server;
                sms;
                whatsapp) {
            assertThat(sms.webhookUrl()).isEqualTo("https://support.example.com/webhooks/twilio/sms");
            assertThat(whatsapp.webhookUrl()).isEqualTo("https://support.example.com/webhooks/twilio/whatsapp");
            assertThat(server.mounts()).containsKeys("/webhooks/twilio/sms", "/webhooks/twilio/whatsapp");
            assertThat(sms.capabilities().markdown()).isFalse();
            assertThat(sms.capabilities().maxTextLength()).isEqualTo(612);
            assertThat(whatsapp.capabilities().maxTextLength()).isEqualTo(1600);
            assertThat(twilio.toString()).doesNotContain(FakeTwilio.AUTH_TOKEN);
        }
    }

    @Test
    void the_readme_tuning_example_builds() {
        TwilioConfig twilio = new FakeTwilio().config();
        // --- README: tuning
        TwilioSmsChannel sms = TwilioSmsChannel.builder(twilio)
                .messagingServiceSid("MG0123456789abcdef0123456789abcdef") // or from(...), or both
                .segmentsPerPart(2) // a part costs at most 2 segments: 306 GSM-7 or 134 UCS-2 characters
                .maxParts(2) // longer replies are shortened in the second part
                .numberParts(false) // no " (1/2)"
                .statusCallbacks(false) // no delivery reports in the session log
                .build();
        // --- end
        assertThat(sms.capabilities().maxTextLength()).isEqualTo(306);
        sms.close();
    }

    @Test
    void the_config_names_every_bad_setting_at_once() {
        assertThatThrownBy(() -> TwilioConfig.builder()
                        .accountSid("SK123")
                        .publicUrl("ftp://x.example/?a=1")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("accountSid must be 'AC' followed by 32 hex digits, was 'SK123'")
                .hasMessageContaining("authToken is missing")
                .hasMessageContaining("publicUrl must be an http(s) URL");
        TwilioConfig ok = TwilioConfig.builder()
                .accountSid(FakeTwilio.ACCOUNT_SID)
                .authToken(FakeTwilio.AUTH_TOKEN)
                .publicUrl("https://support.example.com/base/")
                .build();
        assertThat(ok.publicUrl()).isEqualTo("https://support.example.com/base");
    }

    @Test
    void the_channel_builders_name_every_bad_setting_at_once() {
        TwilioConfig twilio = new FakeTwilio().config();
        assertThatThrownBy(() -> TwilioSmsChannel.builder(twilio)
                        .mountPath("webhooks/sms/")
                        .maxParts(0)
                        .segmentsPerPart(11)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("set from(...)")
                .hasMessageContaining("mountPath must look like /webhooks/twilio/sms")
                .hasMessageContaining("maxParts must be 1 to 10, was 0")
                .hasMessageContaining("segmentsPerPart must be 1 to 10, was 11");
        assertThatThrownBy(() -> TwilioWhatsAppChannel.builder(twilio)
                        .from("+1 bad")
                        .messagingServiceSid("MG1")
                        .build())
                .hasMessageContaining("from must be a WhatsApp sender like whatsapp:+14155238886, was '+1 bad'")
                .hasMessageContaining("messagingServiceSid must be 'MG' followed by 32 hex digits, was 'MG1'");
    }
}
