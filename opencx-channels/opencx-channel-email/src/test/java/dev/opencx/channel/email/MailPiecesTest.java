package dev.opencx.channel.email;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import dev.opencx.conversation.TicketNumber;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.util.MailConnectException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of the channel that need no server: ids, subjects, HTML, SMTP errors, cursors, parsing. */
class MailPiecesTest {
    private final MailIds ids = new MailIds("shop.example");

    @Test
    void our_message_ids_name_message_and_session_and_are_read_back_only_for_our_domain() {
        String id = ids.ours("msgA_1-x", "sessB-2");
        assertThat(id).isEqualTo("<ocx.msgA_1-x.sessB-2@shop.example>");
        assertThat(ids.parseOurs(id))
                .get()
                .extracting(MailIds.Ours::messageId, MailIds.Ours::sessionId)
                .containsExactly("msgA_1-x", "sessB-2");
        assertThat(ids.parseOurs("<ocx.a.b@evil.example>")).isEmpty();
        assertThat(ids.parseOurs("<CAF=abc@mail.gmail.com>")).isEmpty();
        assertThat(ids.findOurs("see <x@y.z> and <ocx.m1.s1@SHOP.EXAMPLE> twice <ocx.m1.s1@shop.example>"))
                .hasSize(1);
        assertThatThrownBy(() -> ids.ours("a.b", "c")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void references_are_parsed_in_order_without_repeats_and_long_ids_are_hashed_to_fit_the_store() {
        assertThat(MailIds.parseList(" <a@x>\r\n\t<b@x> <a@x> garbage <c@x>"))
                .containsExactly("<a@x>", "<b@x>", "<c@x>");
        assertThat(MailIds.parseList(null)).isEmpty();
        String longId = "<" + "x".repeat(300) + "@example.com>";
        assertThat(MailIds.canonical(longId))
                .hasSizeLessThanOrEqualTo(255)
                .startsWith("<sha256.")
                .isEqualTo(MailIds.canonical(longId));
        assertThat(MailIds.first("bare-id@example.com")).contains("<bare-id@example.com>");
        assertThat(MailIds.first("  ")).isEmpty();
    }

    @Test
    void reply_subjects_keep_the_customers_subject_once_with_the_ticket_token() {
        TicketNumber t = TicketNumber.of(1042);
        assertThat(Subjects.reply("Where is my order?", t, true)).isEqualTo("Re: Where is my order? [#1042]");
        assertThat(Subjects.reply("RE: Aw: Re[2]: Where is my order? [#1042]", t, true))
                .isEqualTo("Re: Where is my order? [#1042]");
        assertThat(Subjects.reply("Fwd: invoice", t, false)).isEqualTo("Re: invoice");
        assertThat(Subjects.reply("", t, true)).isEqualTo("[#1042]");
        assertThat(Subjects.ticket("Re: help [#1042] please")).contains(t);
        assertThat(Subjects.ticket("Order #1042")).isEmpty();
        assertThat(Subjects.ticket("[#0]")).isEmpty();
        assertThat(Subjects.plusTicket(List.of("x@y.z", "support+1042@shop.example"), "support", "shop.example"))
                .contains(t);
        assertThat(Subjects.plusTicket(
                        List.of("support+abc@shop.example", "other+1042@shop.example"), "support", "shop.example"))
                .isEmpty();
    }

    @Test
    void html_becomes_readable_text_and_our_text_becomes_escaped_html() {
        String text = HtmlText.toText("<html><head><style>p{}</style></head><body><p>Hello <b>Ana</b>,</p>"
                + "<p>see <a href=\"https://shop.example/t/1\">tracking</a><br>thanks</p>"
                + "<ul><li>one</li><li>two</li></ul><script>alert(1)</script></body></html>");
        assertThat(text).isEqualTo("Hello Ana,\n\nsee tracking (https://shop.example/t/1)\nthanks\n\n- one\n- two");
        String html = HtmlText.toHtml("Hi <Ana> & co\nline two\n\nSee https://shop.example/help.");
        assertThat(html)
                .contains("Hi &lt;Ana&gt; &amp; co<br>line two</p><p>")
                .contains("<a href=\"https://shop.example/help\">https://shop.example/help</a>.");
    }

    @Test
    void smtp_4xx_and_connection_failures_are_retriable_5xx_and_bad_logins_are_permanent() {
        assertThat(SmtpErrors.map(
                                new SMTPSendFailedException("DATA", 451, "451 4.3.0 try later", null, null, null, null))
                        .isRetriable())
                .isTrue();
        assertThat(SmtpErrors.map(
                                new SMTPSendFailedException("DATA", 554, "554 5.7.1 rejected", null, null, null, null))
                        .isRetriable())
                .isFalse();
        SendFailedException nested = new SendFailedException(
                "Invalid Addresses",
                new SMTPAddressFailedException(new InternetAddress(), "RCPT", 550, "550 5.1.1 unknown"));
        OpenCxException permanent = SmtpErrors.map(nested);
        assertThat(permanent.isRetriable()).isFalse();
        assertThat(permanent.getMessage()).contains("550");
        assertThat(SmtpErrors.map(new MailConnectException(new org.eclipse.angus.mail.util.SocketConnectException(
                                "refused", new ConnectException("refused"), "h", 25, 1000)))
                        .isRetriable())
                .isTrue();
        assertThat(SmtpErrors.map(new MessagingException(
                                "Got bad greeting from SMTP host: h, port: 25, response: 421 4.3.2 busy"))
                        .isRetriable())
                .isTrue();
        assertThat(SmtpErrors.map(new AuthenticationFailedException("535 5.7.8 Username and Password not accepted"))
                        .isRetriable())
                .isFalse();
        assertThat(SmtpErrors.map(new AuthenticationFailedException("454 4.7.0 Temporary authentication failure"))
                        .isRetriable())
                .isTrue();
    }

    @Test
    void the_file_cursor_store_survives_a_new_instance_and_keeps_other_keys(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/cursor.properties");
        EmailCursorStore a = EmailCursorStore.file(file);
        Instant at = Instant.parse("2026-12-07T10:00:00Z");
        a.save("email|support@shop.example@imap.x/INBOX", new EmailCursor(77, 12, at));
        a.save("sales|sales@shop.example@imap.x/In Box=1", new EmailCursor(5, 3, at));
        a.save("email|support@shop.example@imap.x/INBOX", new EmailCursor(77, 13, at.plusSeconds(5)));

        EmailCursorStore b = EmailCursorStore.file(file);
        assertThat(b.load("email|support@shop.example@imap.x/INBOX"))
                .contains(new EmailCursor(77, 13, at.plusSeconds(5)));
        assertThat(b.load("sales|sales@shop.example@imap.x/In Box=1")).contains(new EmailCursor(5, 3, at));
        assertThat(b.load("unknown")).isEmpty();
        assertThat(Files.list(file.getParent()))
                .extracting(p -> p.getFileName().toString())
                .containsExactly("cursor.properties");

        Files.writeString(file, "email|x=not-a-cursor\n");
        assertThatThrownBy(() -> b.load("email|x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("bad line");
    }

    @Test
    void a_rate_limit_counts_per_sender_within_a_sliding_window() {
        var clock = new dev.opencx.test.TestClock(Instant.parse("2026-12-07T10:00:00Z"));
        SenderRateLimit limit = new SenderRateLimit(2, Duration.ofMinutes(10), clock);
        assertThat(limit.tryAcquire("Bob@x.example")).isTrue();
        assertThat(limit.tryAcquire("bob@x.example")).isTrue();
        assertThat(limit.tryAcquire("bob@x.example")).isFalse();
        assertThat(limit.tryAcquire("ana@x.example")).isTrue();
        clock.advance(Duration.ofMinutes(11));
        assertThat(limit.tryAcquire("bob@x.example")).isTrue();
        assertThat(SenderRateLimit.pseudonym("bob@x.example"))
                .doesNotContain("bob")
                .startsWith("sender#");
    }

    @Test
    void the_parser_prefers_plain_text_lists_attachments_by_section_and_decodes_headers() throws Exception {
        String raw =
                """
                From: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <Jose@Customer.Example>
                To: support@shop.example
                Cc: "Team" <team@customer.example>
                Subject: =?UTF-8?B?w5xiZXIgbWVpbmUgQmVzdGVsbHVuZw==?=
                Message-ID: <m1@customer.example>
                In-Reply-To: <ocx.a.b@shop.example>
                References: <root@customer.example> <ocx.a.b@shop.example>
                MIME-Version: 1.0
                Content-Type: multipart/mixed; boundary="outer"

                --outer
                Content-Type: multipart/alternative; boundary="alt"

                --alt
                Content-Type: text/plain; charset=UTF-8

                Hola, ¿dónde está mi pedido?
                --alt
                Content-Type: text/html; charset=UTF-8

                <p>Hola, <b>HTML</b></p>
                --alt--
                --outer
                Content-Type: application/pdf; name="invoice.pdf"
                Content-Disposition: attachment; filename="invoice.pdf"
                Content-Transfer-Encoding: base64

                JVBERi0xLjQKJcfsj6IK
                --outer--
                """
                        .replace("\n", "\r\n");
        byte[] bytes = raw.getBytes(StandardCharsets.UTF_8);
        MimeMessage m = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        ParsedMail p = new MailParser(BodyCleaner.passThrough()).parse(m, bytes, "1:1", null);

        assertThat(p.fromAddress()).isEqualTo("Jose@Customer.Example");
        assertThat(p.fromName()).isEqualTo("José Pérez");
        assertThat(p.subject()).isEqualTo("Über meine Bestellung");
        assertThat(p.text()).isEqualTo("Hola, ¿dónde está mi pedido?");
        assertThat(p.html()).isFalse();
        assertThat(p.recipients()).containsExactly("support@shop.example", "team@customer.example");
        assertThat(p.inReplyTo()).containsExactly("<ocx.a.b@shop.example>");
        assertThat(p.references()).containsExactly("<root@customer.example>", "<ocx.a.b@shop.example>");
        assertThat(p.attachments()).containsExactly(new ParsedMail.PartRef("2", "application/pdf", "invoice.pdf", 15));
    }

    @Test
    void an_html_only_mail_is_read_through_the_cleaner_and_a_mail_without_message_id_gets_a_stable_one()
            throws Exception {
        String raw = "From: ana@customer.example\r\nTo: support@shop.example\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=ISO-8859-1\r\n\r\n<div>Ol\u00e1 <i>there</i></div>\r\n";
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        BodyCleaner marking = new BodyCleaner() {
            @Override
            public String reply(String plainText) {
                return plainText;
            }

            @Override
            public String htmlToText(String html) {
                return "[cleaned] " + HtmlText.toText(html);
            }
        };
        MailParser parser = new MailParser(marking);
        ParsedMail p = parser.parse(new MimeMessage(null, new ByteArrayInputStream(bytes)), bytes, "9:9", null);
        ParsedMail again = parser.parse(new MimeMessage(null, new ByteArrayInputStream(bytes)), bytes, "9:9", null);

        assertThat(p.text()).isEqualTo("[cleaned] Olá there");
        assertThat(p.html()).isTrue();
        assertThat(p.messageId())
                .startsWith("<sha256.")
                .endsWith("@no-message-id.opencx>")
                .isEqualTo(again.messageId());
    }
}
