package dev.opencx.channel.email;

import static org.awaitility.Awaitility.await;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

/**
 * GreenMail (SMTP + IMAP) on loopback ports, with the support mailbox the channel reads, and
 * helpers that play the customer: mails go over SMTP exactly as written (raw RFC 5322), and the
 * customer's mailbox is read back from the server.
 */
final class MailRig implements AutoCloseable {
    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final String ANA = "ana@customer.example";
    static final String BOB = "bob@other.example";
    static final Duration WAIT = Duration.ofSeconds(20);

    GreenMail mail;
    private int smtpPort;
    private int imapPort;

    MailRig() {
        this(0, 0);
    }

    /** On fixed ports (a restart), or dynamic ones with 0. */
    MailRig(int smtpPort, int imapPort) {
        ServerSetup smtp = new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP);
        ServerSetup imap = new ServerSetup(imapPort, "127.0.0.1", ServerSetup.PROTOCOL_IMAP);
        if (smtpPort == 0) {
            smtp = smtp.dynamicPort();
            imap = imap.dynamicPort();
        }
        mail = new GreenMail(new ServerSetup[] {smtp, imap});
        // plus addresses (support+1042@) reach the support mailbox, as on Gmail, Office 365 and most servers
        mail.withConfiguration(GreenMailConfiguration.aConfig()
                .withUser(SUPPORT, SUPPORT, PASSWORD)
                .withSieveIgnoreDetail());
        mail.start();
        this.smtpPort = mail.getSmtp().getPort();
        this.imapPort = mail.getImap().getPort();
    }

    int smtpPort() {
        return smtpPort;
    }

    int imapPort() {
        return imapPort;
    }

    /** A channel on this server, quick to notice drops; IDLE on unless turned off. */
    EmailChannel.Builder channel(EmailCursorStore cursors) {
        return EmailChannel.builder()
                .imap("127.0.0.1", imapPort, MailSecurity.NONE)
                .smtp("127.0.0.1", smtpPort, MailSecurity.NONE)
                .credentials(SUPPORT, PASSWORD)
                .address(SUPPORT)
                .displayName("Shop Support")
                .cursorStore(cursors)
                .pollInterval(Duration.ofMillis(200))
                .idleRefresh(Duration.ofSeconds(5))
                .timeout(Duration.ofSeconds(5))
                .reconnectBackoff(Duration.ofMillis(100), Duration.ofMillis(800))
                .backlog(Duration.ofMinutes(5));
    }

    /** A customer mail to support over SMTP; returns its Message-ID. */
    String send(String from, String subject, String body, String... extraHeaders) {
        String id = "<" + UUID.randomUUID() + "@customer.example>";
        sendRaw(mailText(id, from, SUPPORT, subject, body, extraHeaders));
        return id;
    }

    static String mailText(
            String messageId, String from, String to, String subject, String body, String... extraHeaders) {
        StringBuilder b = new StringBuilder();
        b.append("From: ").append(from).append("\r\n");
        b.append("To: ").append(to).append("\r\n");
        b.append("Subject: ").append(subject).append("\r\n");
        b.append("Date: ")
                .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()))
                .append("\r\n");
        if (messageId != null) {
            b.append("Message-ID: ").append(messageId).append("\r\n");
        }
        for (String h : extraHeaders) {
            b.append(h).append("\r\n");
        }
        b.append("MIME-Version: 1.0\r\n");
        if (Arrays.stream(extraHeaders)
                .noneMatch(h -> h.toLowerCase(Locale.ROOT).startsWith("content-type:"))) {
            b.append("Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n");
        }
        b.append("\r\n")
                .append(body.replace("\r\n", "\n").replace("\n", "\r\n"))
                .append("\r\n");
        return b.toString();
    }

    /** Sends a mail as written, to support. */
    void sendRaw(String rfc5322) {
        sendRaw(rfc5322, SUPPORT);
    }

    void sendRaw(String rfc5322, String recipient) {
        Properties p = new Properties();
        p.setProperty("mail.smtp.host", "127.0.0.1");
        p.setProperty("mail.smtp.port", String.valueOf(smtpPort));
        Session session = Session.getInstance(p);
        try {
            MimeMessage m =
                    new MimeMessage(session, new ByteArrayInputStream(rfc5322.getBytes(StandardCharsets.UTF_8)));
            try (Transport t = session.getTransport("smtp")) {
                t.connect();
                t.sendMessage(m, new Address[] {new InternetAddress(recipient)});
            }
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts a mail straight into the support mailbox, bytes as given (for mails no SMTP server would relay). */
    void deliverRaw(String rfc5322) {
        try {
            MimeMessage m = new MimeMessage(
                    Session.getInstance(new Properties()),
                    new ByteArrayInputStream(rfc5322.getBytes(StandardCharsets.UTF_8)));
            mail.getUserManager().getUser(SUPPORT).deliver(m);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every mail the server holds for an address, in arrival order. */
    List<MimeMessage> mailsTo(String address) {
        List<MimeMessage> out = new ArrayList<>();
        for (MimeMessage m : mail.getReceivedMessages()) {
            try {
                Address[] to = m.getRecipients(Message.RecipientType.TO);
                if (to != null
                        && Arrays.stream(to)
                                .anyMatch(
                                        a -> ((InternetAddress) a).getAddress().equalsIgnoreCase(address))) {
                    out.add(m);
                }
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    /** Waits until an address has {@code n} mails, and returns them. */
    List<MimeMessage> awaitMailsTo(String address, int n) {
        await().atMost(WAIT).until(() -> mailsTo(address).size() >= n);
        return mailsTo(address);
    }

    static String header(MimeMessage m, String name) {
        try {
            return m.getHeader(name, " ");
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String body(MimeMessage m) {
        try {
            return MailParser.textOf(m.isMimeType("multipart/*") ? firstText(m) : m)
                    .replace("\r\n", "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static jakarta.mail.Part firstText(MimeMessage m) throws Exception {
        jakarta.mail.Multipart mp = (jakarta.mail.Multipart) m.getContent();
        return mp.getBodyPart(0);
    }

    static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    Map<String, Integer> ports() {
        return Map.of("smtp", smtpPort, "imap", imapPort);
    }

    /** Stops the server (its mailboxes are lost). */
    void stop() {
        mail.stop();
    }

    @Override
    public void close() {
        mail.stop();
    }
}
