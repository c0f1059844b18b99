package dev.opencx.channel.email;

import dev.opencx.OpenCxException;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.i18n.Notices;
import dev.opencx.knowledge.Citation;
import jakarta.mail.Address;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import java.io.UnsupportedEncodingException;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends OpenCX's messages over SMTP: a stable Message-ID per message, {@code In-Reply-To} and
 * {@code References} of the customer's thread, {@code Re:} of the customer's subject with the
 * ticket token, {@code Auto-Submitted} on automatic mail, {@code X-Auto-Response-Suppress: All}.
 */
final class SmtpSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SmtpSender.class);
    private static final int MAX_REMEMBERED = 10_000;
    private static final int MAX_REFERENCES = 20;

    private final Settings s;
    private final MailIds ids;
    private final Notices notices;
    private final ThreadSubjects subjects;
    private final Function<String, Optional<String>> subjectLookup;
    private final jakarta.mail.Session session;
    private final Map<String, String> sent = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX_REMEMBERED;
        }
    };
    private Transport transport;

    /**
     * @param subjectLookup finds the subject of a customer's mail by Message-ID in the mailbox
     *     (after a restart, when the subject of a thread is no longer in memory)
     */
    SmtpSender(
            Settings s,
            MailIds ids,
            Notices notices,
            ThreadSubjects subjects,
            Function<String, Optional<String>> subjectLookup) {
        this.s = s;
        this.ids = ids;
        this.notices = notices;
        this.subjects = subjects;
        this.subjectLookup = subjectLookup;
        this.session = jakarta.mail.Session.getInstance(properties(s));
    }

    static Properties properties(Settings s) {
        Properties p = new Properties();
        String timeout = String.valueOf(s.timeout().toMillis());
        p.setProperty("mail.transport.protocol", "smtp");
        p.setProperty("mail.smtp.host", s.smtpHost());
        p.setProperty("mail.smtp.port", String.valueOf(s.smtpPort()));
        p.setProperty("mail.smtp.auth", String.valueOf(!s.smtpUser().isEmpty()));
        p.setProperty("mail.smtp.connectiontimeout", timeout);
        p.setProperty("mail.smtp.timeout", timeout);
        p.setProperty("mail.smtp.writetimeout", timeout);
        p.setProperty("mail.smtp.ssl.enable", String.valueOf(s.smtpSecurity() == MailSecurity.TLS));
        p.setProperty("mail.smtp.ssl.checkserveridentity", "true");
        p.setProperty("mail.smtp.starttls.enable", String.valueOf(s.smtpSecurity() == MailSecurity.STARTTLS));
        p.setProperty("mail.smtp.starttls.required", String.valueOf(s.smtpSecurity() == MailSecurity.STARTTLS));
        p.setProperty("mail.smtp.from", s.address());
        p.setProperty("mail.smtp.localhost", s.messageIdDomain());
        s.mailProperties().forEach((k, v) -> {
            if (k.startsWith("mail.smtp.") || k.startsWith("mail.mime.")) {
                p.setProperty(k, v);
            }
        });
        return p;
    }

    DeliveryReceipt send(OutboundMessage m, ChannelContext ctx) {
        if (m.recipient().type() != IdentityType.EMAIL) {
            throw OpenCxException.permanent(
                    "the e-mail channel sends to e-mail identities only; the recipient is "
                            + m.recipient().type(),
                    null);
        }
        String messageIdHeader = ids.ours(m.messageId(), m.sessionId());
        synchronized (sent) {
            if (sent.containsKey(m.idempotencyKey())) {
                LOG.debug("{}: {} already sent, not sent again", s.id(), m.idempotencyKey());
                return new DeliveryReceipt(sent.get(m.idempotencyKey()));
            }
        }
        Session session = ctx.session(m.sessionId()).orElse(null);
        String locale = session == null ? "en" : session.locale();
        String threadId = m.threadId().isEmpty() && session != null ? session.threadId() : m.threadId();
        Threading t = thread(m, threadId, ctx);
        String subject = subject(m, threadId, t.inReplyTo(), locale);
        OutgoingMimeMessage mail = new OutgoingMimeMessage(this.session, messageIdHeader);
        try {
            mail.setFrom(new InternetAddress(s.address(), s.displayName().isEmpty() ? null : s.displayName(), "UTF-8"));
            mail.setRecipients(
                    Message.RecipientType.TO,
                    new Address[] {new InternetAddress(m.recipient().value())});
            if (s.plusAddressing()) {
                mail.setReplyTo(new Address[] {
                    new InternetAddress(
                            s.local() + "+" + m.ticket().value() + "@" + s.domain(),
                            s.displayName().isEmpty() ? null : s.displayName(),
                            "UTF-8")
                });
            }
            mail.setSubject(subject, "UTF-8");
            mail.setSentDate(Date.from(s.clock().instant()));
            if (!t.inReplyTo().isEmpty()) {
                mail.setHeader("In-Reply-To", t.inReplyTo());
            }
            if (!t.references().isEmpty()) {
                mail.setHeader("References", MimeUtility.fold(12, String.join(" ", t.references())));
            }
            if (m.kind() != OutboundMessage.Kind.AGENT_REPLY) {
                // RFC 3834: written by a machine in answer to the customer
                mail.setHeader(
                        "Auto-Submitted",
                        m.kind() == OutboundMessage.Kind.SYSTEM_NOTICE ? "auto-generated" : "auto-replied");
            }
            mail.setHeader("X-Auto-Response-Suppress", "All");
            mail.setHeader("Content-Language", locale);
            String text = body(m, locale);
            if (s.htmlPart()) {
                MimeMultipart alt = new MimeMultipart("alternative");
                MimeBodyPart plain = new MimeBodyPart();
                plain.setText(text, "UTF-8", "plain");
                MimeBodyPart html = new MimeBodyPart();
                html.setText(HtmlText.toHtml(text), "UTF-8", "html");
                alt.addBodyPart(plain);
                alt.addBodyPart(html);
                mail.setContent(alt);
            } else {
                mail.setText(text, "UTF-8", "plain");
            }
            mail.saveChanges();
        } catch (MessagingException | UnsupportedEncodingException e) {
            throw OpenCxException.permanent("cannot compose the mail for " + m.ticket(), e);
        }
        transmit(mail, m);
        synchronized (sent) {
            sent.put(m.idempotencyKey(), messageIdHeader);
        }
        return new DeliveryReceipt(messageIdHeader);
    }

    private synchronized void transmit(OutgoingMimeMessage mail, OutboundMessage m) {
        try {
            if (transport == null || !transport.isConnected()) {
                closeTransport();
                Transport tr = session.getTransport("smtp");
                tr.connect(
                        s.smtpHost(),
                        s.smtpPort(),
                        s.smtpUser().isEmpty() ? null : s.smtpUser(),
                        s.smtpUser().isEmpty() ? null : s.smtpPassword());
                transport = tr;
            }
            transport.sendMessage(mail, mail.getAllRecipients());
            LOG.debug("{}: {} sent for {}", s.id(), m.kind(), m.ticket());
        } catch (MessagingException e) {
            closeTransport();
            OpenCxException mapped = SmtpErrors.map(e);
            LOG.warn(
                    "{}: sending {} for {} failed: {} ({})",
                    s.id(),
                    m.kind(),
                    m.ticket(),
                    mapped.getMessage(),
                    mapped.isRetriable() ? "will retry" : "permanent");
            throw mapped;
        }
    }

    /** The reply's text, with links to the articles it drew on when the text does not already carry them. */
    private String body(OutboundMessage m, String locale) {
        StringBuilder b = new StringBuilder(m.text().strip());
        List<Citation> links = new ArrayList<>();
        for (Citation c : m.sources()) {
            if (!c.url().isEmpty()
                    && !m.text().contains(c.url())
                    && links.stream().noneMatch(x -> x.url().equals(c.url()))) {
                links.add(c);
            }
        }
        if (!links.isEmpty()) {
            b.append("\n\n").append(notices.text("email_sources", locale));
            for (Citation c : links) {
                b.append("\n- ")
                        .append(c.title().isEmpty() ? "" : c.title() + ": ")
                        .append(c.url());
            }
        }
        return b.append('\n').toString();
    }

    private String subject(OutboundMessage m, String threadId, String inReplyTo, String locale) {
        Optional<String> original = subjects.get(threadId);
        if (original.isEmpty() && !inReplyTo.isEmpty()) {
            original = subjectLookup.apply(inReplyTo);
            original.ifPresent(o -> subjects.remember(threadId, o));
        }
        String reply = Subjects.reply(original.orElse(""), m.ticket(), s.ticketInSubject());
        if (original.isEmpty() || Subjects.base(original.get()).isEmpty()) {
            String fallback = notices.format(
                    "email_subject", locale, Map.of("ticket", m.ticket().toString()));
            return s.ticketInSubject() && !fallback.contains(m.ticket().toString())
                    ? fallback + " [" + m.ticket() + "]"
                    : fallback;
        }
        return reply;
    }

    /** The threading headers of a reply. */
    record Threading(String inReplyTo, List<String> references) {}

    /**
     * {@code In-Reply-To}: the customer's mail being answered (the last one when the message names
     * none); {@code References}: the thread's root, then the customer's mails of this session, at most
     * {@value #MAX_REFERENCES} (the root and the most recent).
     */
    private Threading thread(OutboundMessage m, String threadId, ChannelContext ctx) {
        List<String> customer = new ArrayList<>();
        for (SessionEvent e : ctx.timeline(m.sessionId())) {
            if (e.payload() instanceof MessageReceived mr
                    && mr.message().author() == Author.CUSTOMER
                    && !mr.message().externalId().isEmpty()) {
                String id = MailIds.canonical(mr.message().externalId());
                customer.remove(id);
                customer.add(id);
            }
        }
        String inReplyTo = !m.inReplyTo().isEmpty()
                ? MailIds.canonical(m.inReplyTo())
                : customer.isEmpty() ? "" : customer.get(customer.size() - 1);
        List<String> refs = new ArrayList<>();
        if (threadId.startsWith("<") && threadId.endsWith(">")) {
            refs.add(threadId);
        }
        for (String id : customer) {
            if (!refs.contains(id)) {
                refs.add(id);
            }
        }
        if (!inReplyTo.isEmpty() && !inReplyTo.equals(threadId)) {
            refs.remove(inReplyTo);
            refs.add(inReplyTo); // the parent comes last (RFC 5322 3.6.4)
        }
        while (refs.size() > MAX_REFERENCES) {
            refs.remove(1);
        }
        return new Threading(inReplyTo, refs);
    }

    private void closeTransport() {
        Transport tr = transport;
        transport = null;
        if (tr != null) {
            try {
                tr.close();
            } catch (MessagingException | RuntimeException ignored) {
                // closing anyway
            }
        }
    }

    @Override
    public synchronized void close() {
        closeTransport();
    }
}
