package dev.opencx.action;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where the value of a contact-bound parameter comes from: the verified contact or the session,
 * never the conversation. The model never sees such a parameter, so it can never be talked into
 * another customer's {@code customer_id}.
 *
 * <ul>
 *   <li>{@code contact.id}, {@code contact.email}, {@code contact.phone}, {@code contact.name}
 *   <li>{@code contact.external_id}: the contact's id in your system, its first custom identity
 *       ({@code Identity.custom(...)}, e.g. the user id the web widget verified)
 *   <li>{@code session.id}, {@code session.ticket}, {@code session.channel}
 *   <li>{@code contact.attribute.<name>}: a custom attribute of the contact (e.g. {@code
 *       contact.attribute.plan})
 * </ul>
 *
 * <pre>{@code
 * BoundSource source = BoundSource.of("contact.id");
 * BoundSource plan = BoundSource.attribute("plan"); // contact.attribute.plan
 * }</pre>
 */
public record BoundSource(@JsonValue String value) {
    private static final Pattern VALID = Pattern.compile(
            "contact\\.(id|email|phone|name|external_id)|session\\.(id|ticket|channel)|contact\\.attribute\\.[A-Za-z0-9_.-]{1,64}");

    public static final BoundSource CONTACT_ID = new BoundSource("contact.id");
    public static final BoundSource CONTACT_EMAIL = new BoundSource("contact.email");
    public static final BoundSource CONTACT_PHONE = new BoundSource("contact.phone");
    public static final BoundSource CONTACT_NAME = new BoundSource("contact.name");
    public static final BoundSource CONTACT_EXTERNAL_ID = new BoundSource("contact.external_id");
    public static final BoundSource SESSION_ID = new BoundSource("session.id");
    public static final BoundSource SESSION_TICKET = new BoundSource("session.ticket");
    public static final BoundSource SESSION_CHANNEL = new BoundSource("session.channel");

    /**
     * @throws IllegalArgumentException naming the value when it is not one of the sources above
     */
    public BoundSource {
        Objects.requireNonNull(value, "bound source");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("bound source must be contact.id, contact.email, contact.phone,"
                    + " contact.name, contact.external_id, session.id, session.ticket, session.channel or contact.attribute.<name>, was '"
                    + value + "'");
        }
    }

    @JsonCreator
    public static BoundSource of(String value) {
        return new BoundSource(value);
    }

    /** {@code contact.attribute.<name>}. */
    public static BoundSource attribute(String name) {
        return new BoundSource("contact.attribute." + name);
    }

    /** The attribute name of a {@code contact.attribute.<name>} source, or null for the others. */
    public String attributeName() {
        return value.startsWith("contact.attribute.") ? value.substring("contact.attribute.".length()) : null;
    }

    @Override
    public String toString() {
        return value;
    }
}
