package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import org.junit.jupiter.api.Test;

class BuilderTest {

    private static WhatsAppChannel.Builder complete() {
        return WhatsAppChannel.builder()
                .phoneNumberId("123456123")
                .accessToken("EAAGsecret-token")
                .appSecret("s3cr3t-app")
                .verifyToken("v3rify-me");
    }

    @Test
    void names_every_missing_or_wrong_setting_at_once() {
        assertThatThrownBy(() -> WhatsAppChannel.builder()
                        .phoneNumberId("+1 650 555")
                        .apiVersion("21")
                        .graphBaseUrl("graph.facebook.com")
                        .mountPath("webhooks")
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("phoneNumberId must be digits, was '+1 650 555'")
                .hasMessageContaining("accessToken is missing")
                .hasMessageContaining("appSecret is missing")
                .hasMessageContaining("verifyToken is missing")
                .hasMessageContaining("apiVersion must look like v21.0, was '21'")
                .hasMessageContaining("graphBaseUrl must be an http(s) URL without a path, was 'graph.facebook.com'")
                .hasMessageContaining("mountPath must look like /webhooks/whatsapp, was 'webhooks'");
    }

    @Test
    void never_echoes_a_secret_it_refuses() {
        assertThatThrownBy(() ->
                        complete().accessToken("EAAG secret").appSecret(" ").build())
                .hasMessageContaining("accessToken contains white space")
                .hasMessageContaining("appSecret is blank")
                .hasMessageNotContaining("EAAG");
    }

    @Test
    void keeps_secrets_out_of_to_string() {
        try (WhatsAppChannel channel = complete().build()) {
            assertThat(channel.toString())
                    .isEqualTo(
                            "WhatsAppChannel{whatsapp, phoneNumberId=123456123, graph=https://graph.facebook.com/v21.0,"
                                    + " template=none}")
                    .doesNotContain("EAAGsecret-token")
                    .doesNotContain("s3cr3t-app")
                    .doesNotContain("v3rify-me");
        }
    }

    @Test
    void defaults_to_the_whatsapp_id_a_pinned_graph_version_and_phone_identities() {
        try (WhatsAppChannel channel = complete().build()) {
            assertThat(channel.id()).isEqualTo(ChannelId.WHATSAPP);
            assertThat(channel.mountPath()).isEqualTo("/webhooks/whatsapp");
            assertThat(channel.answersOn()).containsExactly(IdentityType.PHONE);
            assertThat(WhatsAppChannel.DEFAULT_API_VERSION).isEqualTo("v21.0");
            ChannelCapabilities caps = channel.capabilities();
            assertThat(caps.maxTextLength()).isEqualTo(4096);
            assertThat(caps.markdown()).isTrue();
            assertThat(caps.buttons()).isFalse();
            assertThat(caps.streaming()).isFalse();
        }
    }

    @Test
    void a_template_checks_its_name_and_language_and_cleans_parameters_as_whatsapp_requires() {
        assertThatThrownBy(() -> WhatsAppTemplate.builder("Reply Waiting", "english"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("template name must be lower-case letters, digits and '_', was 'Reply Waiting'")
                .hasMessageContaining("template language must be a code like 'en' or 'en_US', was 'english'");

        WhatsAppTemplate t = WhatsAppTemplate.builder("reply_waiting", "pt_BR")
                .parameters(
                        m -> java.util.Arrays.asList("line one\nline two\tand     more", "", null, "x".repeat(2000)))
                .build();
        java.util.List<String> p = t.parametersFor(null);
        assertThat(p.get(0)).isEqualTo("line one line two and more");
        assertThat(p.get(1)).isEqualTo("-");
        assertThat(p.get(2)).isEqualTo("-");
        assertThat(p.get(3)).hasSizeLessThanOrEqualTo(1000).endsWith("…");
    }
}
