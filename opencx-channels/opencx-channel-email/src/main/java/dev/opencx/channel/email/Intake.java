package dev.opencx.channel.email;

import dev.opencx.OpenCxException;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.SessionEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to one parsed mail: machine mail is set aside (a bounce of ours becomes a delivery
 * update), a person's mail finds its thread and is handed to OpenCX. Tells the reader whether the
 * cursor may move past the mail.
 */
final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(Intake.class);

    /** Whether the cursor may move past the mail. */
    enum Outcome {
        /** Stored, or deliberately set aside for good. */
        DONE,
        /** Not stored for a passing reason (the store is unreachable): read it again later. */
        RETRY
    }

    private final Settings s;
    private final ChannelContext ctx;
    private final MailIds ids;
    private final LoopGuard guard;
    private final SenderRateLimit rateLimit;
    private final BodyCleaner cleaner;
    private final ThreadSubjects subjects;

    Intake(
            Settings s,
            ChannelContext ctx,
            MailIds ids,
            SenderRateLimit rateLimit,
            BodyCleaner cleaner,
            ThreadSubjects subjects) {
        this.s = s;
        this.ctx = ctx;
        this.ids = ids;
        this.guard = new LoopGuard(s.address(), ids);
        this.rateLimit = rateLimit;
        this.cleaner = cleaner;
        this.subjects = subjects;
    }

    /**
     * @param mailUrl the IMAP URL of the mail (its parts append {@code /;SECTION=n})
     * @param size the mail's size in bytes, -1 when unknown
     * @param where names the mail in log lines (folder and UID, never an address)
     */
    Outcome handle(ParsedMail mail, String mailUrl, long size, String where) throws InterruptedException {
        LoopGuard.Verdict v = guard.check(mail);
        switch (v.kind()) {
            case OWN -> {
                LOG.debug("{}: our own mail, ignored", where);
                return Outcome.DONE;
            }
            case AUTOMATIC -> {
                LOG.info("{}: automatic mail ({}), not answered", where, v.reason());
                return Outcome.DONE;
            }
            case BOUNCE -> {
                bounce(mail, where, v.reason());
                return Outcome.DONE;
            }
            default -> {
                // a person: go on
            }
        }
        Identity from;
        try {
            from = Identity.email(mail.fromAddress());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: the sender's address is not usable, mail skipped", where);
            return Outcome.DONE;
        }
        if (!rateLimit.tryAcquire(from.value())) {
            LOG.warn(
                    "{}: {} sent more than {} mails within {}; this one is not answered (it stays in the mailbox)",
                    where,
                    SenderRateLimit.pseudonym(from.value()),
                    s.rateLimitMails(),
                    s.rateLimitWindow());
            return Outcome.DONE;
        }
        String threadId = thread(mail, from);
        InboundMessage in;
        try {
            in = inbound(mail, from, threadId, mailUrl, size);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}: the mail has neither text nor attachments, skipped", where);
            return Outcome.DONE;
        }
        try {
            ReceiveReceipt r = ctx.receive(in).get();
            subjects.remember(threadId, mail.subject());
            LOG.debug("{}: stored as {} (duplicate: {})", where, r.ticket(), r.duplicate());
            return Outcome.DONE;
        } catch (ExecutionException e) {
            return failed(e.getCause() == null ? e : e.getCause(), where);
        }
    }

    private Outcome failed(Throwable cause, String where) {
        if (cause instanceof MessageIdConflictException) {
            LOG.warn("{}: another mail was already stored under this Message-ID; skipped", where);
            return Outcome.DONE;
        }
        if (cause instanceof IllegalArgumentException) {
            LOG.warn("{}: OpenCX refused the mail for good ({}); skipped", where, cause.getMessage());
            return Outcome.DONE;
        }
        if (cause instanceof OpenCxException oe && !oe.isRetriable()) {
            LOG.error("{}: OpenCX refused the mail for good; skipped", where, cause);
            return Outcome.DONE;
        }
        LOG.warn("{}: not stored yet ({}); it will be read again", where, cause.toString());
        return Outcome.RETRY;
    }

    /** The session thread: our Message-IDs, then a ticket token in the subject, then a plus address, then the mail's own thread root. */
    String thread(ParsedMail mail, Identity from) {
        Optional<String> contactId = ctx.findContact(from).map(Contact::id);
        if (contactId.isPresent()) {
            List<String> named = new ArrayList<>(mail.inReplyTo());
            List<String> refs = new ArrayList<>(mail.references());
            Collections.reverse(refs); // the most recent first
            named.addAll(refs);
            for (String id : named) {
                Optional<Session> s = ids.parseOurs(id)
                        .flatMap(o -> ctx.session(o.sessionId()))
                        .filter(x -> belongsTo(x, contactId.get()));
                if (s.isPresent()) {
                    return s.get().threadId();
                }
            }
            Optional<Session> byTicket = Subjects.ticket(mail.subject())
                    .flatMap(ctx::sessionByTicket)
                    .filter(x -> belongsTo(x, contactId.get()));
            if (byTicket.isPresent()) {
                return byTicket.get().threadId();
            }
            Optional<Session> byPlus = Subjects.plusTicket(mail.recipients(), s.local(), s.domain())
                    .flatMap(ctx::sessionByTicket)
                    .filter(x -> belongsTo(x, contactId.get()));
            if (byPlus.isPresent()) {
                return byPlus.get().threadId();
            }
        }
        if (!mail.references().isEmpty()) {
            return mail.references().get(0);
        }
        if (!mail.inReplyTo().isEmpty()) {
            return mail.inReplyTo().get(0);
        }
        return mail.messageId();
    }

    private boolean belongsTo(Session session, String contactId) {
        if (!session.channel().equals(s.id()) || session.threadId().isEmpty()) {
            return false;
        }
        if (session.contactId().equals(contactId)) {
            return true;
        }
        // merged contacts: the session's contact id may name the one merged away
        return ctx.contact(session.contactId())
                .map(c -> c.id().equals(contactId))
                .orElse(false);
    }

    private InboundMessage inbound(ParsedMail mail, Identity from, String threadId, String mailUrl, long size) {
        String body = mail.text();
        String reply = cleaner.reply(body);
        if (reply == null || reply.isBlank()) {
            reply = body;
        }
        String text = reply.strip();
        String subject = mail.subject();
        if (s.subjectInText()
                && !mail.answersEarlierMail()
                && Subjects.ticket(subject).isEmpty()
                && !subject.isBlank()
                && !text.startsWith(subject)) {
            text = text.isEmpty() ? subject : subject + "\n\n" + text;
        }
        if (text.length() > s.maxTextChars()) {
            text = text.substring(0, s.maxTextChars());
        }
        InboundMessage.Builder b = InboundMessage.builder(s.id())
                .from(from)
                .displayName(mail.fromName())
                .threadId(threadId)
                .text(text)
                .externalId(mail.messageId())
                .receivedAt(mail.receivedAt());
        language(mail).ifPresent(b::locale);
        for (ParsedMail.PartRef p : mail.attachments()) {
            b.attachment(
                    new Attachment(mailUrl + "/;SECTION=" + p.section(), p.contentType(), p.name(), p.sizeBytes()));
        }
        if (s.keepOriginal()) {
            b.attachment(new Attachment(mailUrl, "message/rfc822", "original.eml", size));
        }
        return b.build();
    }

    private static Optional<String> language(ParsedMail mail) {
        try {
            String[] cl = mail.mime().getHeader("Content-Language");
            if (cl == null || cl.length == 0) {
                return Optional.empty();
            }
            String tag = cl[0].split(",")[0].strip();
            Locale l = Locale.forLanguageTag(tag);
            return l.getLanguage().isEmpty() ? Optional.empty() : Optional.of(l.toLanguageTag());
        } catch (jakarta.mail.MessagingException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A bounce of one of our mails becomes {@code DeliveryUpdated(FAILED)} in its session, once. */
    private void bounce(ParsedMail mail, String where, String why) {
        Bounces.Report report = Bounces.read(mail, ids);
        if (report.returned().isEmpty()) {
            LOG.info("{}: a bounce ({}) that names none of our mails; not answered", where, why);
            return;
        }
        if (!report.failed()) {
            LOG.info("{}: a delivery delay report, not a failure; not answered", where);
            return;
        }
        for (MailIds.Ours o : report.returned()) {
            Optional<Session> session =
                    ctx.session(o.sessionId()).filter(x -> x.channel().equals(s.id()));
            if (session.isEmpty()) {
                LOG.info("{}: a bounce of a mail of an unknown session; not answered", where);
                continue;
            }
            if (alreadyRecorded(o)) {
                LOG.debug(
                        "{}: bounce already recorded for {}",
                        where,
                        session.get().ticket());
                continue;
            }
            try {
                ctx.deliveryUpdated(
                        o.sessionId(),
                        new DeliveryUpdated(
                                o.messageId(),
                                s.id().value(),
                                o.header(),
                                DeliveryUpdated.State.FAILED,
                                "bounced",
                                report.reason()));
                LOG.info("{}: our mail in {} bounced ({})", where, session.get().ticket(), report.status());
            } catch (IllegalArgumentException e) {
                LOG.warn(
                        "{}: cannot record the bounce in {}: {}",
                        where,
                        session.get().ticket(),
                        e.getMessage());
            }
        }
    }

    private boolean alreadyRecorded(MailIds.Ours o) {
        for (SessionEvent e : ctx.timeline(o.sessionId())) {
            if (e.payload() instanceof DeliveryUpdated d
                    && d.state() == DeliveryUpdated.State.FAILED
                    && d.externalId().equals(o.header())) {
                return true;
            }
        }
        return false;
    }
}
