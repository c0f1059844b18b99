package dev.opencx.channel.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.conversation.ChannelId;
import java.time.Duration;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TwilioVoiceBuilderTest {

    @Test
    void reports_every_missing_or_bad_setting_at_once() {
        assertThatThrownBy(() -> TwilioVoiceChannel.builder()
                        .publicBaseUrl("voice.example.com")
                        .language("english")
                        .replyWait(Duration.ofSeconds(20))
                        .maxSpokenChars(5)
                        .minSpeechConfidence(1.5)
                        .maxReprompts(-1)
                        .dialTimeout(Duration.ofSeconds(1))
                        .notice("voice.no_such_text", "en", "hi")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authToken is required")
                .hasMessageContaining(
                        "publicBaseUrl must be an absolute http(s) URL like https://support.example.com, was 'voice.example.com'")
                .hasMessageContaining("language must be a Twilio language code like en-US, was 'english'")
                .hasMessageContaining("handoffTo is required")
                .hasMessageContaining("replyWait must be 100 ms to 12 s, was 20 s")
                .hasMessageContaining("dialTimeout must be 5 s to 600 s, was 1 s")
                .hasMessageContaining("maxSpokenChars must be 40 to 4000, was 5")
                .hasMessageContaining("minSpeechConfidence must be 0 to 1, was 1.5")
                .hasMessageContaining("maxReprompts must be 0 to 10, was -1")
                .hasMessageContaining("unknown notice 'voice.no_such_text'");
    }

    @Test
    void a_handoff_target_names_its_bad_value() {
        assertThatThrownBy(() -> HandoffTarget.number("555-1234"))
                .hasMessage("handoff number must be E.164 like +15551234567, was '555-1234'");
        assertThatThrownBy(() -> HandoffTarget.sip("support@pbx")).hasMessageContaining("sip:support@example.com");
        assertThat(HandoffTarget.queue(" support ").value()).isEqualTo("support");
    }

    @Test
    void a_built_channel_is_a_spoken_phone_endpoint_with_its_webhook_urls() {
        TwilioVoiceChannel voice = TwilioVoiceChannel.builder()
                .authToken("token", "old-token")
                .publicBaseUrl("https://support.example.com/")
                .handoffTo(HandoffTarget.client("desk"))
                .maxSpokenChars(300)
                .build();

        assertThat(voice.id()).isEqualTo(ChannelId.PHONE);
        assertThat(voice.mountPath()).isEqualTo("/webhooks/twilio/voice");
        assertThat(voice.capabilities().voice()).isTrue();
        assertThat(voice.capabilities().markdown()).isFalse();
        assertThat(voice.capabilities().maxTextLength()).isEqualTo(300);
        assertThat(voice.incomingCallUrl()).isEqualTo("https://support.example.com/webhooks/twilio/voice/incoming");
        assertThat(voice.statusCallbackUrl()).isEqualTo("https://support.example.com/webhooks/twilio/voice/status");
        assertThat(voice.toString()).doesNotContain("token");
    }

    @Test
    void every_spoken_text_is_translated_in_es_fr_de_and_pt() {
        ResourceBundle en = bundle(Locale.ENGLISH);
        assertThat(en.keySet()).containsExactlyInAnyOrderElementsOf(TwilioVoiceChannel.noticeKeys());
        for (String lang : new String[] {"es", "fr", "de", "pt"}) {
            ResourceBundle b = bundle(Locale.forLanguageTag(lang));
            for (String key : en.keySet()) {
                if (key.startsWith("voice.transcript_") && !lang.equals("es")) {
                    continue; // transcript notes stay English where the human-request detector has no words
                }
                assertThat(b.getString(key)).as("%s in %s", key, lang).isNotEqualTo(en.getString(key));
                assertThat(placeholders(b.getString(key)))
                        .as("placeholders of %s in %s", key, lang)
                        .isEqualTo(placeholders(en.getString(key)));
            }
        }
    }

    @Test
    void the_keypad_transcripts_are_requests_for_a_person_to_the_default_detector() {
        dev.opencx.handoff.HumanRequestDetector detector =
                dev.opencx.handoff.RuleBasedHumanRequestDetector.builder().build();
        dev.opencx.i18n.Notices texts = dev.opencx.i18n.Notices.builder()
                .bundle(TwilioVoiceChannel.NOTICES, TwilioVoiceChannel.class.getClassLoader())
                .build();
        for (String lang : new String[] {"en", "es", "fr", "de", "pt"}) {
            for (String key : new String[] {"voice.transcript_keypad", "voice.transcript_no_input"}) {
                assertThat(detector.detect(texts.text(key, lang)).detected())
                        .as("%s in %s", key, lang)
                        .isTrue();
            }
        }
    }

    private static ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle(
                TwilioVoiceChannel.NOTICES,
                locale,
                ResourceBundle.Control.getNoFallbackControl(ResourceBundle.Control.FORMAT_PROPERTIES));
    }

    private static Set<String> placeholders(String text) {
        return dev.opencx.i18n.Notices.placeholders(text);
    }
}
