package dev.opencx.conversation;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One way to recognise a contact. Values are made canonical on construction, before anything
 * compares or checks them: leading and trailing spaces are removed (Unicode spaces, no-break spaces
 * and invisible format characters such as a zero-width space or a byte-order mark too), an e-mail is
 * lower-cased, a phone loses its spaces, dots, dashes and parentheses and must then be E.164; a
 * value with a control character (a line break, a NUL) is refused. So {@code " alice "} and {@code
 * "alice"} are the same identity, and a value that is blank once trimmed fails with a message
 * naming it.
 */
public record Identity(IdentityType type, String value) {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    public Identity {
        Objects.requireNonNull(type, "identity type");
        Objects.requireNonNull(value, "identity value");
        value = normalize(type, value);
    }

    public static Identity email(String address) {
        return new Identity(IdentityType.EMAIL, address);
    }

    public static Identity phone(String e164) {
        return new Identity(IdentityType.PHONE, e164);
    }

    public static Identity custom(String id) {
        return new Identity(IdentityType.CUSTOM, id);
    }

    private static String normalize(IdentityType type, String raw) {
        String v = trim(raw);
        if (v.isEmpty()) {
            throw new IllegalArgumentException(type.name().toLowerCase(Locale.ROOT)
                    + " identity is blank (it is empty once leading and trailing spaces are removed)");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new IllegalArgumentException(
                        type.name().toLowerCase(Locale.ROOT) + " identity has a control character at index " + i);
            }
        }
        switch (type) {
            case EMAIL:
                v = v.toLowerCase(Locale.ROOT);
                if (!EMAIL.matcher(v).matches()) {
                    throw new IllegalArgumentException("not an e-mail address: '" + raw + "'");
                }
                return v;
            case PHONE:
                v = v.replaceAll("[\\s\\p{Zs}().-]", "");
                if (!E164.matcher(v).matches()) {
                    throw new IllegalArgumentException("phone must be E.164 like +14155550100, was '" + raw + "'");
                }
                return v;
            default:
                if (v.length() > 200) {
                    throw new IllegalArgumentException(
                            "custom id must be 1 to 200 characters, had " + v.length() + " characters");
                }
                return v;
        }
    }

    /** {@code raw} without leading and trailing whitespace, Unicode spaces and invisible format characters. */
    private static String trim(String raw) {
        int start = 0;
        int end = raw.length();
        while (start < end && invisible(raw.codePointAt(start))) {
            start += Character.charCount(raw.codePointAt(start));
        }
        while (end > start && invisible(raw.codePointBefore(end))) {
            end -= Character.charCount(raw.codePointBefore(end));
        }
        return raw.substring(start, end);
    }

    private static boolean invisible(int cp) {
        return Character.isWhitespace(cp)
                || Character.isSpaceChar(cp)
                || Character.getType(cp) == Character.FORMAT
                || Character.isISOControl(cp);
    }

    /** A stable text key, {@code email:ana@example.com}. */
    public String key() {
        return type.name().toLowerCase(Locale.ROOT) + ":" + value;
    }

    public static Identity parseKey(String key) {
        int colon = key.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException(
                    "identity key must look like 'email:ana@example.com', was '" + key + "'");
        }
        return new Identity(
                IdentityType.valueOf(key.substring(0, colon).toUpperCase(Locale.ROOT)), key.substring(colon + 1));
    }

    @Override
    public String toString() {
        // identities are PII: never print the full value
        return type + ":" + (value.length() <= 2 ? "**" : value.charAt(0) + "***");
    }
}
