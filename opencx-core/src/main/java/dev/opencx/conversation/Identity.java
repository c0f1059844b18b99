package dev.opencx.conversation;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One way to recognise a contact. Values are normalised on construction (e-mail lower-cased,
 * phone stripped of spaces and dashes) and validated; a bad value fails with a message naming it.
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
        String v = raw.strip();
        switch (type) {
            case EMAIL:
                v = v.toLowerCase(Locale.ROOT);
                if (!EMAIL.matcher(v).matches()) {
                    throw new IllegalArgumentException("not an e-mail address: '" + raw + "'");
                }
                return v;
            case PHONE:
                v = v.replaceAll("[\\s().-]", "");
                if (!E164.matcher(v).matches()) {
                    throw new IllegalArgumentException("phone must be E.164 like +14155550100, was '" + raw + "'");
                }
                return v;
            default:
                if (v.isEmpty() || v.length() > 200) {
                    throw new IllegalArgumentException("custom id must be 1 to 200 characters, was '" + raw + "'");
                }
                return v;
        }
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
