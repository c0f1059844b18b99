package dev.opencx.channel.email;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * Connections to the IMAP server, and the RFC 5092 IMAP URLs ({@code
 * imap://host:port/INBOX;UIDVALIDITY=7/;UID=42/;SECTION=2}) that name a mail or one of its parts.
 */
final class ImapAccess {
    private static final Pattern URL = Pattern.compile(
            "imap://([^/]+)/([^;]+);UIDVALIDITY=(\\d+)/;UID=(\\d+)(?:/;SECTION=([0-9]+(?:\\.[0-9]+)*))?");

    private final Settings s;
    private final Session session;

    ImapAccess(Settings s) {
        this.s = s;
        this.session = Session.getInstance(properties(s));
    }

    Session session() {
        return session;
    }

    static Properties properties(Settings s) {
        Properties p = new Properties();
        String timeout = String.valueOf(s.timeout().toMillis());
        p.setProperty("mail.store.protocol", "imap");
        p.setProperty("mail.imap.host", s.imapHost());
        p.setProperty("mail.imap.port", String.valueOf(s.imapPort()));
        p.setProperty("mail.imap.connectiontimeout", timeout);
        p.setProperty("mail.imap.timeout", timeout);
        p.setProperty("mail.imap.writetimeout", timeout);
        p.setProperty("mail.imap.ssl.enable", String.valueOf(s.imapSecurity() == MailSecurity.TLS));
        p.setProperty("mail.imap.ssl.checkserveridentity", "true");
        p.setProperty("mail.imap.starttls.enable", String.valueOf(s.imapSecurity() == MailSecurity.STARTTLS));
        p.setProperty("mail.imap.starttls.required", String.valueOf(s.imapSecurity() == MailSecurity.STARTTLS));
        p.setProperty("mail.mime.address.strict", "false");
        s.mailProperties().forEach((k, v) -> {
            if (k.startsWith("mail.imap.") || k.startsWith("mail.mime.")) {
                p.setProperty(k, v);
            }
        });
        return p;
    }

    /** A connected store. */
    Store connect() throws MessagingException {
        Store store = session.getStore("imap");
        store.connect(s.imapHost(), s.imapPort(), s.imapUser(), s.imapPassword());
        return store;
    }

    /** The folder, opened read-only: the channel never changes the mailbox. */
    IMAPFolder open(Store store) throws MessagingException {
        Folder f = store.getFolder(s.folder());
        if (!f.exists()) {
            throw new MessagingException("the IMAP folder '" + s.folder() + "' does not exist");
        }
        f.open(Folder.READ_ONLY);
        return (IMAPFolder) f;
    }

    /** The IMAP URL of a mail. */
    String url(long uidValidity, long uid) {
        return "imap://" + s.imapHost() + ":" + s.imapPort() + "/"
                + URLEncoder.encode(s.folder(), StandardCharsets.UTF_8).replace("+", "%20") + ";UIDVALIDITY="
                + uidValidity + "/;UID=" + uid;
    }

    /** The parts of an IMAP URL this channel wrote. */
    record Location(String authority, String folder, long uidValidity, long uid, String section) {}

    static Location parse(String url) {
        Matcher m = URL.matcher(url);
        if (!m.matches()) {
            throw new IllegalArgumentException("not an IMAP URL of this channel: '" + url + "'");
        }
        return new Location(
                m.group(1),
                URLDecoder.decode(m.group(2), StandardCharsets.UTF_8),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                m.group(5) == null ? "" : m.group(5));
    }

    String authority() {
        return s.imapHost() + ":" + s.imapPort();
    }
}
