package dev.opencx.channel.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a bounce: which of our mails it returns (by our Message-ID, found in the returned headers,
 * the threading headers or the text) and why (the RFC 3464 {@code Action}, {@code Status} and
 * {@code Diagnostic-Code} of the {@code message/delivery-status} part). Addresses are masked in
 * the reason, which goes into the session log.
 */
final class Bounces {
    private static final int MAX_SCAN_CHARS = 200_000;

    /** What a bounce says. */
    record Report(List<MailIds.Ours> returned, boolean failed, String status, String reason) {}

    private Bounces() {}

    static Report read(ParsedMail mail, MailIds ids) {
        StringBuilder scan = new StringBuilder();
        scan.append(String.join(" ", mail.inReplyTo())).append(' ').append(String.join(" ", mail.references()));
        List<String> actions = new ArrayList<>();
        String status = "";
        String diagnostic = "";
        try {
            List<Part> parts = new ArrayList<>();
            leaves(mail.mime(), parts, 0);
            for (Part p : parts) {
                if (p.isMimeType("message/delivery-status")) {
                    for (InternetHeaders h : deliveryStatusFields(p)) {
                        String action = h.getHeader("Action", null);
                        if (action != null) {
                            actions.add(action.strip().toLowerCase(Locale.ROOT));
                        }
                        if (status.isEmpty() && h.getHeader("Status", null) != null) {
                            status = h.getHeader("Status", null).strip();
                        }
                        if (diagnostic.isEmpty() && h.getHeader("Diagnostic-Code", null) != null) {
                            diagnostic = h.getHeader("Diagnostic-Code", null).strip();
                        }
                    }
                } else if (p.isMimeType("message/rfc822") || p.isMimeType("text/rfc822-headers")) {
                    scan.append(' ').append(headersOf(p));
                } else if (p.isMimeType("text/*") && scan.length() < MAX_SCAN_CHARS) {
                    scan.append(' ').append(MailParser.textOf(p));
                }
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            // a bounce we cannot fully read: what we found so far, plus the body text below
        }
        if (scan.length() < MAX_SCAN_CHARS) {
            scan.append(' ').append(mail.text());
        }
        String text = scan.length() > MAX_SCAN_CHARS ? scan.substring(0, MAX_SCAN_CHARS) : scan.toString();
        List<MailIds.Ours> returned = ids.findOurs(text);
        boolean failed = actions.isEmpty() || actions.contains("failed");
        String reason = (status.isEmpty() ? "" : status + " ") + mask(diagnostic);
        if (reason.isBlank()) {
            reason = "the recipient's mail server returned the mail";
        }
        return new Report(returned, failed, status, reason.strip());
    }

    private static void leaves(Part p, List<Part> out, int depth) throws MessagingException, IOException {
        if (depth > 10) {
            return;
        }
        if (p.isMimeType("multipart/*")) {
            Object c = p.getContent();
            if (c instanceof Multipart mp) {
                for (int i = 0; i < mp.getCount(); i++) {
                    leaves(mp.getBodyPart(i), out, depth + 1);
                }
            }
        } else {
            out.add(p);
        }
    }

    /** The per-message and per-recipient field groups of a delivery-status part. */
    private static List<InternetHeaders> deliveryStatusFields(Part p) throws MessagingException, IOException {
        byte[] bytes;
        try (InputStream in = p.getInputStream()) {
            bytes = in.readNBytes(64 * 1024);
        }
        String text = new String(bytes, StandardCharsets.UTF_8).replace("\r\n", "\n");
        List<InternetHeaders> groups = new ArrayList<>();
        for (String block : text.split("\n\\s*\n")) {
            if (!block.isBlank()) {
                groups.add(new InternetHeaders(
                        new ByteArrayInputStream((block.strip() + "\n\n").getBytes(StandardCharsets.UTF_8))));
            }
        }
        return groups;
    }

    private static String headersOf(Part p) throws MessagingException, IOException {
        Object c = p.getContent();
        if (c instanceof MimeMessage returned) {
            StringBuilder b = new StringBuilder();
            for (String name : List.of("Message-ID", "In-Reply-To", "References")) {
                String v = returned.getHeader(name, " ");
                if (v != null) {
                    b.append(v).append(' ');
                }
            }
            return b.toString();
        }
        try (InputStream in = p.getInputStream();
                ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    /** The reason without e-mail addresses (they are personal data in the session log). */
    static String mask(String text) {
        return text.replaceAll("[^\\s<>@;:\"'(),]+@[^\\s<>@;:\"'(),]+", "<address>")
                .replaceAll("\\s+", " ")
                .strip();
    }
}
