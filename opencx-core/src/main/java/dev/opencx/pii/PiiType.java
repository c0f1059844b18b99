package dev.opencx.pii;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A kind of personal data ({@code EMAIL}, {@code PHONE}, …). Built-in detectors use the constants;
 * your own patterns may use any name of upper-case letters, digits and underscores ({@code
 * PiiType.of("ORDER_NUMBER")}). The name becomes the placeholder: {@code [EMAIL_1]}.
 *
 * @param name the type's name, e.g. {@code EMAIL}; never null
 */
public record PiiType(String name) {
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    public static final PiiType EMAIL = new PiiType("EMAIL");
    public static final PiiType PHONE = new PiiType("PHONE");
    public static final PiiType CARD = new PiiType("CARD");
    /** A card's security code (CVV, CVC, CID): 3 or 4 digits after its keyword or next to a card number. */
    public static final PiiType CARD_SECURITY_CODE = new PiiType("CARD_SECURITY_CODE");
    /** A card's expiry date ({@code 12/29}, {@code 12/2029}, {@code 1229}) after its keyword or next to a card number. */
    public static final PiiType CARD_EXPIRY = new PiiType("CARD_EXPIRY");

    public static final PiiType IBAN = new PiiType("IBAN");
    public static final PiiType SSN = new PiiType("SSN");
    public static final PiiType IP_ADDRESS = new PiiType("IP_ADDRESS");
    public static final PiiType ADDRESS = new PiiType("ADDRESS");
    public static final PiiType POSTAL_CODE = new PiiType("POSTAL_CODE");
    public static final PiiType PERSON = new PiiType("PERSON");
    public static final PiiType DATE_OF_BIRTH = new PiiType("DATE_OF_BIRTH");
    public static final PiiType CREDENTIAL = new PiiType("CREDENTIAL");
    public static final PiiType URL = new PiiType("URL");
    /** A city, region or country on its own: rarely identifying alone. */
    public static final PiiType LOCATION = new PiiType("LOCATION");

    public static final PiiType ORGANIZATION = new PiiType("ORGANIZATION");
    public static final PiiType AGE = new PiiType("AGE");

    public PiiType {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "a PII type name is 1-40 upper-case letters, digits or '_' starting with a letter, was '" + name
                            + "'");
        }
    }

    /** The type with this name. */
    public static PiiType of(String name) {
        return new PiiType(name);
    }

    @Override
    public String toString() {
        return name;
    }
}
