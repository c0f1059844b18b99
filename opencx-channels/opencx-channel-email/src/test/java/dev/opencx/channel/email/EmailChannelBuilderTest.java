package dev.opencx.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The builder checks every setting at once and names the bad values, never the password. */
class EmailChannelBuilderTest {

    @Test
    void an_empty_builder_lists_every_missing_setting_at_once() {
        assertThatThrownBy(() -> EmailChannel.builder().build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imap host is missing")
                .hasMessageContaining("smtp host is missing")
                .hasMessageContaining("imap user is missing")
                .hasMessageContaining("imap password is missing")
                .hasMessageContaining("smtp user is missing")
                .hasMessageContaining("address (our e-mail address) is missing")
                .hasMessageContaining("cursorStore is missing");
    }

    @Test
    void bad_values_are_named_and_the_password_is_not() {
        assertThatThrownBy(() -> EmailChannel.builder()
                        .imap("imap.shop.example", 0, MailSecurity.TLS)
                        .smtp("smtp shop", 70000, MailSecurity.STARTTLS)
                        .credentials("support@shop.example", "s3cret-pass")
                        .address("Support <support@shop.example>")
                        .cursorStore(EmailCursorStore.inMemory())
                        .pollInterval(Duration.ZERO)
                        .idleRefresh(Duration.ofMinutes(30))
                        .reconnectBackoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
                        .rateLimit(0, Duration.ofHours(1))
                        .maxTextChars(20)
                        .mailProperty("mail.debug", "true")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("imap port must be from 1 to 65535, was 0")
                .hasMessageContaining("smtp host is not a host name or address: 'smtp shop'")
                .hasMessageContaining("smtp port must be from 1 to 65535, was 70000")
                .hasMessageContaining(
                        "address must be a bare address like support@shop.example, was 'Support <support@shop.example>'")
                .hasMessageContaining("pollInterval must be from PT0.1S to PT24H, was PT0S")
                .hasMessageContaining("idleRefresh must be from PT0.1S to PT29M, was PT30M")
                .hasMessageContaining("reconnect max backoff (PT1S) is below the initial one (PT10S)")
                .hasMessageContaining("rateLimit mails must be >= 1, was 0")
                .hasMessageContaining("maxTextChars must be from 100 to 1,000,000, was 20")
                .hasMessageContaining("mailProperty 'mail.debug'")
                .message()
                .doesNotContain("s3cret-pass");
    }

    @Test
    void defaults_give_secure_ports_and_an_email_channel() {
        EmailChannel channel = EmailChannel.builder()
                .imap("imap.shop.example", MailSecurity.TLS)
                .smtp("smtp.shop.example", MailSecurity.STARTTLS)
                .credentials("support@shop.example", "pw")
                .address("Support@Shop.Example")
                .cursorStore(EmailCursorStore.inMemory())
                .build();

        assertThat(channel.id()).isEqualTo(ChannelId.EMAIL);
        assertThat(channel.toString()).contains("imap.shop.example:993/INBOX");
        assertThat(channel.answersOn()).containsExactly(IdentityType.EMAIL);
        ChannelCapabilities caps = channel.capabilities();
        assertThat(caps.threads()).isTrue();
        assertThat(caps.markdown()).isFalse();
        assertThat(caps.streaming()).isFalse();
        channel.close();
        channel.close(); // idempotent
    }

    @Test
    void settings_print_without_passwords() {
        Settings s = new Settings(
                ChannelId.EMAIL,
                "imap.x",
                993,
                MailSecurity.TLS,
                "u",
                "imap-secret",
                "INBOX",
                "smtp.x",
                587,
                MailSecurity.STARTTLS,
                "u",
                "smtp-secret",
                "a@x.example",
                "",
                "x.example",
                EmailCursorStore.inMemory(),
                Duration.ofMinutes(1),
                true,
                Duration.ofMinutes(9),
                Duration.ofSeconds(30),
                Duration.ofSeconds(1),
                Duration.ofMinutes(2),
                20,
                Duration.ofHours(1),
                Duration.ZERO,
                true,
                false,
                false,
                true,
                true,
                15_000,
                1024 * 1024,
                java.util.Map.of(),
                java.time.Clock.systemUTC());
        assertThat(s.toString())
                .contains("imap.x:993")
                .doesNotContain("imap-secret")
                .doesNotContain("smtp-secret");
    }

    @Test
    void an_smtp_relay_without_login_needs_no_password() {
        EmailChannel channel = EmailChannel.builder()
                .imap("127.0.0.1", 143, MailSecurity.NONE)
                .smtp("127.0.0.1", 25, MailSecurity.NONE)
                .imapCredentials("support", "pw")
                .smtpCredentials("", null)
                .address("support@shop.example")
                .cursorStore(EmailCursorStore.inMemory())
                .build();
        assertThat(channel.id()).isEqualTo(ChannelId.EMAIL);
    }
}
