package dev.opencx.channel.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VoiceLanguagesTest {

    @Test
    void a_tag_with_a_region_is_used_as_it_is() {
        assertThat(VoiceLanguages.twilioCode("es-MX", Map.of(), "en-US")).isEqualTo("es-MX");
        assertThat(VoiceLanguages.twilioCode("pt_BR", Map.of(), "en-US")).isEqualTo("pt-BR");
    }

    @Test
    void a_bare_language_gets_its_usual_region_or_the_configured_languages_own() {
        assertThat(VoiceLanguages.twilioCode("de", Map.of(), "en-US")).isEqualTo("de-DE");
        assertThat(VoiceLanguages.twilioCode("pt", Map.of(), "en-US")).isEqualTo("pt-BR");
        assertThat(VoiceLanguages.twilioCode("en", Map.of(), "en-GB")).isEqualTo("en-GB");
        assertThat(VoiceLanguages.twilioCode("zh", Map.of(), "en-US")).isEqualTo("cmn-CN");
    }

    @Test
    void overrides_win_and_an_empty_locale_falls_back() {
        Map<String, String> overrides = Map.of("es", "es-US", "fr-ca", "fr-CA");
        assertThat(VoiceLanguages.twilioCode("es", overrides, "en-US")).isEqualTo("es-US");
        assertThat(VoiceLanguages.twilioCode("fr-CA", overrides, "en-US")).isEqualTo("fr-CA");
        assertThat(VoiceLanguages.twilioCode("", overrides, "en-US")).isEqualTo("en-US");
    }
}
