package dev.opencx.action;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link ActionInvoker} call knows beyond the model's arguments: the verified contact and
 * session values that fill contact-bound parameters, the per-contact credentials the host
 * application supplies at call time (by security scheme name), and an optional idempotency key.
 * Immutable; {@link #toString()} never shows credentials or contact values.
 *
 * <pre>{@code
 * ActionContext ctx = ActionContext.builder()
 *         .contactId("c-42")
 *         .contactEmail("ana@example.com")
 *         .sessionId("s-1")
 *         .credential("customerToken", tokenOfThisCustomer)
 *         .idempotencyKey("turn-17-cancel")
 *         .build();
 * }</pre>
 */
public final class ActionContext {
    private static final ActionContext EMPTY = builder().build();

    private final Map<String, String> values;
    private final Map<String, String> credentials;
    private final String idempotencyKey;

    private ActionContext(Builder builder) {
        this.values = Map.copyOf(builder.values);
        this.credentials = Map.copyOf(builder.credentials);
        this.idempotencyKey = builder.idempotencyKey;
    }

    /** A context without contact, session, credentials or idempotency key. */
    public static ActionContext empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The value of a bound source ({@code contact.id}, {@code contact.attribute.plan}…), if known. */
    public Optional<String> value(BoundSource source) {
        return Optional.ofNullable(
                values.get(Objects.requireNonNull(source, "source").value()));
    }

    /** The per-contact credential of a security scheme, if the host application supplied one. */
    public Optional<String> credential(String schemeName) {
        return Optional.ofNullable(credentials.get(schemeName));
    }

    /** The idempotency key sent as {@code Idempotency-Key}; empty when none. */
    public Optional<String> idempotencyKey() {
        return Optional.ofNullable(idempotencyKey);
    }

    @Override
    public String toString() {
        return "ActionContext[values=" + values.keySet() + ", credentials=" + credentials.keySet() + ", idempotencyKey="
                + (idempotencyKey != null) + "]";
    }

    /** Builds an {@link ActionContext}; every value is optional. */
    public static final class Builder {
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, String> credentials = new LinkedHashMap<>();
        private String idempotencyKey;

        private Builder() {}

        /** The value of a bound source; null removes it. */
        public Builder value(BoundSource source, String value) {
            Objects.requireNonNull(source, "source");
            if (value == null) {
                values.remove(source.value());
            } else {
                values.put(source.value(), value);
            }
            return this;
        }

        public Builder contactId(String id) {
            return value(BoundSource.CONTACT_ID, id);
        }

        public Builder contactEmail(String email) {
            return value(BoundSource.CONTACT_EMAIL, email);
        }

        public Builder contactPhone(String phone) {
            return value(BoundSource.CONTACT_PHONE, phone);
        }

        public Builder contactName(String name) {
            return value(BoundSource.CONTACT_NAME, name);
        }

        /** The contact's id in your system ({@code contact.external_id}). */
        public Builder contactExternalId(String id) {
            return value(BoundSource.CONTACT_EXTERNAL_ID, id);
        }

        /** A custom attribute of the contact ({@code contact.attribute.<name>}). */
        public Builder attribute(String name, String value) {
            return value(BoundSource.attribute(name), value);
        }

        /** Several custom attributes of the contact. */
        public Builder attributes(Map<String, String> attributes) {
            attributes.forEach(this::attribute);
            return this;
        }

        public Builder sessionId(String id) {
            return value(BoundSource.SESSION_ID, id);
        }

        public Builder sessionTicket(String ticket) {
            return value(BoundSource.SESSION_TICKET, ticket);
        }

        public Builder sessionChannel(String channel) {
            return value(BoundSource.SESSION_CHANNEL, channel);
        }

        /**
         * The credential of this contact for a security scheme configured with {@link
         * ActionAuth#perContactBearer()} or {@link ActionAuth#perContactApiKey}.
         *
         * @throws IllegalArgumentException when the scheme name or the secret is blank
         */
        public Builder credential(String schemeName, String secret) {
            Objects.requireNonNull(schemeName, "scheme name");
            Objects.requireNonNull(secret, "credential of " + schemeName);
            if (schemeName.isBlank() || secret.isBlank()) {
                throw new IllegalArgumentException(
                        "credential scheme name and secret must not be blank (scheme '" + schemeName + "')");
            }
            credentials.put(schemeName, secret);
            return this;
        }

        /**
         * The key sent as the {@code Idempotency-Key} header; with it, even non-idempotent calls
         * (POST) are retried, with the same key.
         *
         * @throws IllegalArgumentException when the key is blank
         */
        public Builder idempotencyKey(String key) {
            if (key != null && (key.isBlank() || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                throw new IllegalArgumentException(
                        "idempotency key must be printable ASCII without spaces, was '" + key + "'");
            }
            this.idempotencyKey = key;
            return this;
        }

        public ActionContext build() {
            return new ActionContext(this);
        }
    }
}
