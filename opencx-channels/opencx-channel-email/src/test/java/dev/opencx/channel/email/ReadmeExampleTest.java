package dev.opencx.channel.email;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.conversation.ChannelId;
import dev.opencx.knowledge.KnowledgeStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The snippets of the module README, compiled; each builds its channel (none connects: that needs the real servers). */
class ReadmeExampleTest {
    @TempDir
    Path data;

    /** The README's first snippet, compiled; not run, since {@code build()} of the OpenCx starts reading Gmail. */
    static OpenCx readmeGmail(KnowledgeStore knowledge) {
        // --- README: Gmail
        EmailChannel email = EmailChannel.builder()
                .imap("imap.gmail.com", 993, MailSecurity.TLS)
                .smtp("smtp.gmail.com", 587, MailSecurity.STARTTLS)
                .credentials("support@shop.example", System.getenv("MAIL_APP_PASSWORD"))
                .address("support@shop.example")
                .displayName("Shop Support")
                .cursorStore(EmailCursorStore.file(Path.of("data/email-cursor.properties")))
                .build();
        OpenCx cx = OpenCx.builder().channel(email).knowledge(knowledge).build();
        // --- end
        return cx;
    }

    @Test
    void the_gmail_channel_of_the_snippet_builds() {
        EmailChannel email = EmailChannel.builder()
                .imap("imap.gmail.com", 993, MailSecurity.TLS)
                .smtp("smtp.gmail.com", 587, MailSecurity.STARTTLS)
                .credentials("support@shop.example", "app-password")
                .address("support@shop.example")
                .displayName("Shop Support")
                .cursorStore(EmailCursorStore.file(Path.of("data/email-cursor.properties")))
                .build();
        assertThat(email.id()).isEqualTo(ChannelId.EMAIL);
        email.close();
    }

    @Test
    void every_java_snippet_of_the_readme_is_in_this_test() throws Exception {
        // the "Reply extraction" section's snippets are ReplyExtractionReadmeTest's
        String readme = Files.readString(Path.of("README.md")).replaceAll("(?s)## Reply extraction.*?(?=\n## )", "");
        String source =
                squash(Files.readString(Path.of("src/test/java/dev/opencx/channel/email/ReadmeExampleTest.java")));
        Matcher m = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        int snippets = 0;
        while (m.find()) {
            snippets++;
            assertThat(source).as("README snippet %d", snippets).contains(squash(m.group(1)));
        }
        assertThat(snippets).isEqualTo(3);
    }

    private static String squash(String code) {
        return code.replaceAll("\\s+", " ").strip();
    }

    @Test
    void the_office_365_and_own_server_snippets_build_channels() {
        String accessToken = "eyJ0eXAiOi...";
        // --- README: Office 365
        EmailChannel office = EmailChannel.builder()
                .imap("outlook.office365.com", 993, MailSecurity.TLS)
                .smtp("smtp.office365.com", 587, MailSecurity.STARTTLS)
                .credentials("support@shop.example", accessToken) // an OAuth 2.0 access token, not a password
                .mailProperty("mail.imap.auth.mechanisms", "XOAUTH2")
                .mailProperty("mail.smtp.auth.mechanisms", "XOAUTH2")
                .address("support@shop.example")
                .cursorStore(EmailCursorStore.file(Path.of("data/email-cursor.properties")))
                .build();
        // --- end
        // --- README: own server
        EmailChannel own = EmailChannel.builder()
                .id(ChannelId.of("email-sales")) // a second mailbox is a second channel
                .imap("mail.shop.example", MailSecurity.TLS) // port 993
                .smtp("mail.shop.example", MailSecurity.STARTTLS) // port 587
                .credentials("sales@shop.example", System.getenv().getOrDefault("SALES_MAIL_PASSWORD", "pw"))
                .address("sales@shop.example")
                .folder("INBOX")
                .plusAddressing(true) // Reply-To: sales+1042@shop.example
                .htmlPart(true)
                .pollInterval(Duration.ofMinutes(2)) // when the server has no IDLE
                .rateLimit(10, Duration.ofHours(1))
                .backlog(Duration.ofDays(1)) // the first start also answers yesterday's mail
                .cursorStore(EmailCursorStore.file(Path.of("data/email-cursor.properties")))
                .build();
        // --- end
        assertThat(office.id()).isEqualTo(ChannelId.EMAIL);
        assertThat(own.id()).isEqualTo(ChannelId.of("email-sales"));
        office.close();
        own.close();
    }
}
