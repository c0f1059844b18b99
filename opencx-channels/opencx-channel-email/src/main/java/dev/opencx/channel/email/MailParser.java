package dev.opencx.channel.email;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads a {@link MimeMessage} into a {@link ParsedMail}: sender, threading headers, the text body
 * (text/plain preferred, else HTML turned into text by the {@link BodyCleaner}), and the other
 * parts as references by IMAP section number. Deterministic: the same bytes give the same result,
 * so a mail read again after a crash is recognised as the same message.
 */
final class MailParser {
    /** Text bodies longer than this are cut (the whole mail stays in the mailbox). */
    private static final int MAX_BODY_CHARS = 1_000_000;

    private final BodyCleaner cleaner;

    MailParser(BodyCleaner cleaner) {
        this.cleaner = cleaner;
    }

    /**
     * @param raw the message's bytes when they were downloaded (used to name a mail without
     *     Message-ID), null otherwise
     * @param uidForName a stable id for a mail without Message-ID when there are no bytes
     * @throws MalformedMailException when the mail has no usable sender or its structure cannot be read
     */
    ParsedMail parse(MimeMessage m, byte[] raw, String uidForName, Instant receivedAt) throws MalformedMailException {
        InternetAddress from = sender(m);
        try {
            String messageId = MailIds.first(m.getHeader("Message-ID", null))
                    .orElseGet(() -> "<sha256."
                            + (raw != null ? MailIds.sha256(raw) : MailIds.sha256(uidForName)).substring(0, 40)
                            + "@no-message-id.opencx>");
            List<String> recipients = new ArrayList<>();
            addAll(recipients, m.getHeader("To", ","));
            addAll(recipients, m.getHeader("Cc", ","));
            String[] delivered = m.getHeader("Delivered-To");
            if (delivered != null) {
                for (String d : delivered) {
                    addAll(recipients, d);
                }
            }
            String subject = decodedSubject(m);
            Body body = new Body();
            walk(m, "", body);
            String text;
            boolean fromHtml = false;
            if (body.plain.length() > 0 || body.html.length() == 0) {
                text = body.plain.toString();
            } else {
                text = cleaner.htmlToText(body.html.toString());
                fromHtml = true;
            }
            text = normalizeNewlines(text);
            if (text.length() > MAX_BODY_CHARS) {
                text = text.substring(0, MAX_BODY_CHARS);
            }
            String personal = from.getPersonal();
            return new ParsedMail(
                    m,
                    messageId,
                    from.getAddress(),
                    personal == null ? "" : personal.strip(),
                    List.copyOf(recipients),
                    subject,
                    MailIds.parseList(m.getHeader("In-Reply-To", " ")),
                    MailIds.parseList(m.getHeader("References", " ")),
                    text,
                    fromHtml,
                    List.copyOf(body.attachments),
                    receivedAt);
        } catch (MessagingException | IOException | RuntimeException e) {
            throw new MalformedMailException(
                    "the mail's structure cannot be read: " + e.getClass().getSimpleName(), e);
        }
    }

    private static InternetAddress sender(MimeMessage m) throws MalformedMailException {
        String raw;
        try {
            raw = m.getHeader("From", ",");
        } catch (MessagingException e) {
            throw new MalformedMailException("the From header cannot be read", e);
        }
        if (raw == null || raw.isBlank()) {
            throw new MalformedMailException("the mail has no From header", null);
        }
        InternetAddress[] parsed;
        try {
            parsed = InternetAddress.parseHeader(raw, false);
        } catch (AddressException e) {
            throw new MalformedMailException("the From header is not an address", e);
        }
        if (parsed.length == 0
                || parsed[0].getAddress() == null
                || !parsed[0].getAddress().contains("@")) {
            throw new MalformedMailException("the From header has no address", null);
        }
        try {
            parsed[0].validate();
        } catch (AddressException e) {
            throw new MalformedMailException("the From address is not valid", e);
        }
        return parsed[0];
    }

    /** The addresses of a header, lower-case; unparseable ones are left out. */
    static void addAll(List<String> into, String header) {
        if (header == null || header.isBlank()) {
            return;
        }
        try {
            for (InternetAddress a : InternetAddress.parseHeader(header, false)) {
                if (a.getAddress() != null) {
                    String v = a.getAddress().strip().toLowerCase(Locale.ROOT);
                    if (!into.contains(v)) {
                        into.add(v);
                    }
                }
            }
        } catch (AddressException ignored) {
            // a broken recipient header does not make the mail unreadable
        }
    }

    static String decodedSubject(MimeMessage m) throws MessagingException {
        String s;
        try {
            s = m.getSubject();
        } catch (MessagingException e) {
            s = m.getHeader("Subject", null);
        }
        if (s == null) {
            return "";
        }
        return s.replaceAll("[\\r\\n\\t]+", " ").strip();
    }

    private static final class Body {
        final StringBuilder plain = new StringBuilder();
        final StringBuilder html = new StringBuilder();
        final List<ParsedMail.PartRef> attachments = new ArrayList<>();
    }

    private void walk(Part p, String section, Body body) throws MessagingException, IOException {
        if (p.isMimeType("multipart/*")) {
            Object content = p.getContent();
            if (!(content instanceof Multipart mp)) {
                throw new MessagingException("a multipart without parts");
            }
            if (p.isMimeType("multipart/alternative")) {
                alternative(mp, section, body);
                return;
            }
            for (int i = 0; i < mp.getCount(); i++) {
                walk(mp.getBodyPart(i), child(section, i), body);
            }
            return;
        }
        String own = section.isEmpty() ? "1" : section;
        boolean attachment = isAttachment(p);
        if (!attachment && p.isMimeType("text/plain")) {
            append(body.plain, textOf(p));
        } else if (!attachment && p.isMimeType("text/html")) {
            append(body.html, textOf(p));
        } else {
            body.attachments.add(ref(p, own));
        }
    }

    /** Of alternatives, the plain text when there is one, else the HTML; their other parts are decoration. */
    private void alternative(Multipart mp, String section, Body body) throws MessagingException, IOException {
        Body best = null;
        for (int i = 0; i < mp.getCount(); i++) {
            Body b = new Body();
            walk(mp.getBodyPart(i), child(section, i), b);
            if (b.plain.length() > 0) {
                best = b;
                break;
            }
            if (best == null || best.html.length() == 0 && b.html.length() > 0) {
                best = b;
            }
        }
        if (best != null) {
            append(body.plain, best.plain.toString());
            append(body.html, best.html.toString());
            body.attachments.addAll(best.attachments);
        }
    }

    private static String child(String section, int i) {
        return section.isEmpty() ? String.valueOf(i + 1) : section + "." + (i + 1);
    }

    private static void append(StringBuilder into, String text) {
        if (text.isBlank()) {
            return;
        }
        if (into.length() > 0) {
            into.append("\n\n");
        }
        into.append(text);
    }

    private static boolean isAttachment(Part p) throws MessagingException {
        String disposition = safeDisposition(p);
        return Part.ATTACHMENT.equalsIgnoreCase(disposition) || fileName(p).isPresent();
    }

    private static String safeDisposition(Part p) {
        try {
            return p.getDisposition();
        } catch (MessagingException e) {
            return null;
        }
    }

    private static Optional<String> fileName(Part p) {
        try {
            String name = p.getFileName();
            if (name == null || name.isBlank()) {
                return Optional.empty();
            }
            try {
                name = MimeUtility.decodeText(name); // RFC 2047 words in a file name, common though not standard
            } catch (UnsupportedEncodingException ignored) {
                // keep it as written
            }
            return Optional.of(name.strip());
        } catch (MessagingException e) {
            return Optional.empty();
        }
    }

    private static ParsedMail.PartRef ref(Part p, String section) throws MessagingException {
        String type;
        try {
            type = new ContentType(p.getContentType()).getBaseType().toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            type = "application/octet-stream";
        }
        long size = p.getSize();
        if (size > 0 && p instanceof MimePart mp && "base64".equalsIgnoreCase(encodingOf(mp))) {
            size = size * 3 / 4; // the decoded size, near enough
        }
        return new ParsedMail.PartRef(section, type, fileName(p).orElse(""), size < 0 ? -1 : size);
    }

    private static String encodingOf(MimePart p) {
        try {
            return p.getEncoding();
        } catch (MessagingException e) {
            return null;
        }
    }

    /** A text part's content; an unknown charset is read as UTF-8 (then Latin-1) rather than failing the mail. */
    static String textOf(Part p) throws MessagingException, IOException {
        try {
            Object c = p.getContent();
            if (c instanceof String s) {
                return s;
            }
        } catch (UnsupportedEncodingException e) {
            // fall through to the raw bytes
        }
        byte[] bytes;
        try (InputStream in = p.getInputStream()) {
            bytes = in.readAllBytes();
        }
        return decodeLeniently(bytes, charsetOf(p));
    }

    private static Charset charsetOf(Part p) {
        try {
            String cs = new ContentType(p.getContentType()).getParameter("charset");
            if (cs != null) {
                return Charset.forName(MimeUtility.javaCharset(cs));
            }
        } catch (MessagingException | RuntimeException ignored) {
            // unknown: decide from the bytes
        }
        return null;
    }

    private static String decodeLeniently(byte[] bytes, Charset charset) {
        if (charset != null) {
            return new String(bytes, charset);
        }
        String utf8 = new String(bytes, StandardCharsets.UTF_8);
        return utf8.indexOf('\uFFFD') >= 0 ? new String(bytes, StandardCharsets.ISO_8859_1) : utf8;
    }

    static String normalizeNewlines(String s) {
        return s.replace("\r\n", "\n").replace('\r', '\n');
    }

    /** The decoded bytes of a part (for reading an attachment back). */
    static byte[] bytesOf(Part p, long max) throws MessagingException, IOException {
        try (InputStream in = p.getInputStream()) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                total += n;
                if (total > max) {
                    throw new IllegalStateException("the part is larger than " + max + " bytes");
                }
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** The part of a message at an IMAP section number ({@code 2}, {@code 1.3}). */
    static Part part(Part message, String section) throws MessagingException, IOException {
        Part p = message;
        for (String s : section.split("\\.")) {
            int n = Integer.parseInt(s);
            Object c = p.getContent();
            if (c instanceof Multipart mp) {
                if (n < 1 || n > mp.getCount()) {
                    throw new IllegalArgumentException("the message has no part " + section);
                }
                BodyPart b = mp.getBodyPart(n - 1);
                p = b;
            } else if (n == 1 && p == message) {
                return p; // a single-part message: its body is part 1
            } else {
                throw new IllegalArgumentException("the message has no part " + section);
            }
        }
        return p;
    }
}
