package dev.opencx.channel.email;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Message-IDs: the ones we mint for our own mails ({@code <ocx.MESSAGE.SESSION@domain>}, so a reply
 * that quotes one in {@code In-Reply-To}/{@code References} names its session), and parsing of the
 * customer's {@code Message-ID}, {@code In-Reply-To} and {@code References} headers.
 */
final class MailIds {
    /** The longest id kept as is; longer ones are replaced by a hash (the store's column is 255). */
    static final int MAX_ID_LENGTH = 255;

    private static final Pattern ANGLE_ID = Pattern.compile("<([^<>\\s]+)>");
    private static final Pattern OURS = Pattern.compile("ocx\\.([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{1,64})@(.+)");
    private static final Pattern SAFE_PART = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private final String domain;

    MailIds(String domain) {
        this.domain = domain.toLowerCase(Locale.ROOT);
    }

    String domain() {
        return domain;
    }

    /**
     * Our stable Message-ID for an OpenCX message: the same message gets the same id on every
     * attempt, so a retried send is recognisable as the same mail.
     *
     * @throws IllegalArgumentException when an id has characters a Message-ID cannot carry
     */
    String ours(String messageId, String sessionId) {
        if (!SAFE_PART.matcher(messageId).matches()
                || !SAFE_PART.matcher(sessionId).matches()) {
            throw new IllegalArgumentException(
                    "message and session ids must be 1 to 64 URL-safe characters to form a Message-ID");
        }
        return "<ocx." + messageId + "." + sessionId + "@" + domain + ">";
    }

    /** The OpenCX message and session an id of ours names, when it is one of ours. */
    Optional<Ours> parseOurs(String id) {
        String bare = strip(id);
        Matcher m = OURS.matcher(bare);
        if (!m.matches() || !m.group(3).equalsIgnoreCase(domain)) {
            return Optional.empty();
        }
        return Optional.of(
                new Ours(m.group(1), m.group(2), "<ocx." + m.group(1) + "." + m.group(2) + "@" + domain + ">"));
    }

    /** Every id of ours anywhere in a text (a bounce quotes the mail it returns). */
    List<Ours> findOurs(String text) {
        List<Ours> found = new ArrayList<>();
        Matcher m = ANGLE_ID.matcher(text);
        while (m.find()) {
            parseOurs(m.group(1)).filter(o -> !found.contains(o)).ifPresent(found::add);
        }
        return found;
    }

    /** An OpenCX message and session named by one of our Message-IDs. */
    record Ours(String messageId, String sessionId, String header) {}

    /**
     * The ids of a {@code References} or {@code In-Reply-To} header, in order, each as {@code
     * <id>}; ids longer than {@link #MAX_ID_LENGTH} are hashed as {@link #canonical} does.
     */
    static List<String> parseList(String header) {
        List<String> ids = new ArrayList<>();
        if (header == null) {
            return ids;
        }
        Matcher m = ANGLE_ID.matcher(header);
        while (m.find()) {
            String id = canonical(m.group());
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return ids;
    }

    /**
     * A Message-ID as we store it: {@code <local@domain>} without surrounding spaces, or a hash of
     * it in the same shape when it is longer than the store keeps.
     */
    static String canonical(String id) {
        String bare = strip(id);
        String withBrackets = "<" + bare + ">";
        if (withBrackets.length() <= MAX_ID_LENGTH) {
            return withBrackets;
        }
        return "<sha256." + sha256(bare).substring(0, 40) + "@hashed.opencx>";
    }

    /** The first id of a {@code Message-ID} header, canonical; empty when there is none. */
    static Optional<String> first(String header) {
        List<String> ids = parseList(header);
        if (!ids.isEmpty()) {
            return Optional.of(ids.get(0));
        }
        if (header != null && !header.isBlank() && !header.strip().contains(" ")) {
            return Optional.of(canonical(header)); // an id without angle brackets, seen in the wild
        }
        return Optional.empty();
    }

    static String sha256(String s) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(d.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static String strip(String id) {
        String s = id.strip();
        if (s.startsWith("<")) {
            s = s.substring(1);
        }
        if (s.endsWith(">")) {
            s = s.substring(0, s.length() - 1);
        }
        return s.strip();
    }
}
