package dev.opencx.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.ContentType;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decides whether a mail is written by a person and may be answered, or is machine mail that must
 * never get an answer (RFC 3834): auto-replies, mailing lists, bulk mail, bounces and our own mails.
 */
final class LoopGuard {
    private static final Set<String> MACHINE_LOCAL_PARTS = Set.of(
            "mailer-daemon",
            "postmaster",
            "noreply",
            "no-reply",
            "no_reply",
            "donotreply",
            "do-not-reply",
            "do_not_reply",
            "bounce",
            "bounces",
            "mail-daemon");

    /** What to do with a mail. */
    enum Kind {
        /** A person wrote it: store it, let autopilot answer. */
        PERSON,
        /** A delivery report about a mail: record a delivery update, answer nothing. */
        BOUNCE,
        /** An automatic mail (auto-reply, list, bulk): ignore it. */
        AUTOMATIC,
        /** One of our own mails: ignore it. */
        OWN
    }

    /** The verdict and, for log lines, why (never the address). */
    record Verdict(Kind kind, String reason) {}

    private final String ourAddress;
    private final MailIds ids;

    LoopGuard(String ourAddress, MailIds ids) {
        this.ourAddress = ourAddress.toLowerCase(Locale.ROOT);
        this.ids = ids;
    }

    Verdict check(ParsedMail mail) {
        try {
            return doCheck(mail);
        } catch (MessagingException e) {
            return new Verdict(Kind.AUTOMATIC, "headers cannot be read");
        }
    }

    private Verdict doCheck(ParsedMail mail) throws MessagingException {
        var m = mail.mime();
        String from = mail.fromAddress().toLowerCase(Locale.ROOT);
        if (from.equals(ourAddress) || ids.parseOurs(mail.messageId()).isPresent()) {
            return new Verdict(Kind.OWN, "sent by this channel");
        }
        String local = from.substring(0, from.indexOf('@'));
        int plus = local.indexOf('+');
        if (plus > 0) {
            local = local.substring(0, plus);
        }
        boolean report = isDeliveryReport(m.getContentType());
        boolean failedRecipients = m.getHeader("X-Failed-Recipients") != null;
        String returnPath = m.getHeader("Return-Path", ",");
        boolean nullSender =
                returnPath != null && returnPath.replaceAll("\\s", "").equals("<>");
        if (report || failedRecipients) {
            return new Verdict(Kind.BOUNCE, report ? "delivery status notification" : "X-Failed-Recipients");
        }
        if ((local.equals("mailer-daemon") || local.equals("postmaster") || nullSender)
                && !ids.findOurs(String.join(" ", mail.inReplyTo()) + " " + String.join(" ", mail.references()))
                        .isEmpty()) {
            return new Verdict(Kind.BOUNCE, "a non-standard bounce of our mail");
        }
        String autoSubmitted = first(m.getHeader("Auto-Submitted"));
        if (autoSubmitted != null && !token(autoSubmitted).equals("no")) {
            return new Verdict(Kind.AUTOMATIC, "Auto-Submitted: " + token(autoSubmitted));
        }
        String precedence = first(m.getHeader("Precedence"));
        if (precedence != null && List.of("bulk", "list", "junk").contains(token(precedence))) {
            return new Verdict(Kind.AUTOMATIC, "Precedence: " + token(precedence));
        }
        if (m.getHeader("List-Id") != null) {
            return new Verdict(Kind.AUTOMATIC, "List-Id (mailing list)");
        }
        if (m.getHeader("List-Unsubscribe") != null) {
            return new Verdict(Kind.AUTOMATIC, "List-Unsubscribe (bulk mail)");
        }
        if (nullSender) {
            return new Verdict(Kind.AUTOMATIC, "empty Return-Path");
        }
        if (MACHINE_LOCAL_PARTS.contains(local)) {
            return new Verdict(Kind.AUTOMATIC, "machine sender (" + local + ")");
        }
        String autoreply = first(m.getHeader("X-Autoreply"));
        if (autoreply != null && !token(autoreply).equals("no")) {
            return new Verdict(Kind.AUTOMATIC, "X-Autoreply");
        }
        if (m.getHeader("X-Autorespond") != null) {
            return new Verdict(Kind.AUTOMATIC, "X-Autorespond");
        }
        String suppress = first(m.getHeader("X-Auto-Response-Suppress"));
        if (suppress != null && !token(suppress).equals("none")) {
            return new Verdict(Kind.AUTOMATIC, "X-Auto-Response-Suppress");
        }
        if (m.isMimeType("multipart/report")) {
            return new Verdict(Kind.AUTOMATIC, "a report (read receipt or feedback)");
        }
        return new Verdict(Kind.PERSON, "");
    }

    static boolean isDeliveryReport(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            ContentType ct = new ContentType(contentType);
            String rt = ct.getParameter("report-type");
            return ct.match("multipart/report") && rt != null && rt.equalsIgnoreCase("delivery-status");
        } catch (MessagingException | RuntimeException e) {
            return false;
        }
    }

    private static String first(String[] values) {
        return values == null || values.length == 0 ? null : values[0];
    }

    private static String token(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        int semi = v.indexOf(';');
        return (semi >= 0 ? v.substring(0, semi) : v).strip();
    }
}
