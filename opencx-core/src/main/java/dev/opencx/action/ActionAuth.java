package dev.opencx.action;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the requests of a security scheme are authenticated; set on {@code
 * ActionExecutor.Builder.auth(String, ActionAuth)} ({@code opencx-actions-http}) by scheme name (the names in {@link
 * Action#securityRequirements()}). No implementation shows its secret in {@code toString()}.
 *
 * <pre>{@code
 * ActionAuth key = ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Api-Key", System.getenv("SHOP_KEY"));
 * ActionAuth oauth = ActionAuth.oauth2ClientCredentials("https://auth.example.com/token", "id", secret, "orders");
 * ActionAuth perContact = ActionAuth.perContactBearer(); // the token comes from ActionContext.credential
 * }</pre>
 */
public sealed interface ActionAuth {

    /** Where an API key goes. */
    enum In {
        HEADER,
        QUERY,
        COOKIE
    }

    /** An API key in a header, query parameter or cookie. */
    static ActionAuth apiKey(In in, String name, String key) {
        return new ApiKey(in, name, key);
    }

    /** {@code Authorization: Bearer <token>}. */
    static ActionAuth bearer(String token) {
        return new Bearer(token);
    }

    /** {@code Authorization: Basic base64(user:password)}. */
    static ActionAuth basic(String user, String password) {
        return new Basic(user, password);
    }

    /**
     * OAuth 2.0 client credentials: the token endpoint is called (client_secret_basic), the token
     * cached until shortly before it expires, and fetched again, one fetch at a time.
     */
    static ActionAuth oauth2ClientCredentials(String tokenUrl, String clientId, String clientSecret, String... scopes) {
        return new OAuth2ClientCredentials(tokenUrl, clientId, clientSecret, List.of(scopes), Duration.ofSeconds(30));
    }

    /** A bearer token of the current contact, from {@link ActionContext#credential(String)}. */
    static ActionAuth perContactBearer() {
        return new PerContact(null, null);
    }

    /** An API key of the current contact, from {@link ActionContext#credential(String)}. */
    static ActionAuth perContactApiKey(In in, String name) {
        return new PerContact(Objects.requireNonNull(in, "in"), requireText(name, "API key name"));
    }

    private static String requireText(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " must not be blank");
        }
        return value;
    }

    /** An API key in a header, query parameter or cookie. */
    record ApiKey(In in, String name, String key) implements ActionAuth {
        public ApiKey {
            Objects.requireNonNull(in, "in");
            requireText(name, "API key name");
            requireText(key, "API key of " + name);
        }

        @Override
        public String toString() {
            return "ApiKey[" + in + " " + name + "]";
        }
    }

    /** A static bearer token. */
    record Bearer(String token) implements ActionAuth {
        public Bearer {
            requireText(token, "bearer token");
        }

        @Override
        public String toString() {
            return "Bearer[***]";
        }
    }

    /** HTTP basic. */
    record Basic(String user, String password) implements ActionAuth {
        public Basic {
            requireText(user, "basic auth user");
            Objects.requireNonNull(password, "basic auth password");
        }

        @Override
        public String toString() {
            return "Basic[" + user + ":***]";
        }
    }

    /**
     * OAuth 2.0 client credentials.
     *
     * @param expirySkew how long before its expiry a cached token is fetched again
     */
    record OAuth2ClientCredentials(
            String tokenUrl, String clientId, String clientSecret, List<String> scopes, Duration expirySkew)
            implements ActionAuth {
        public OAuth2ClientCredentials {
            requireText(tokenUrl, "token URL");
            if (!RedactedUrl.isHttp(tokenUrl)) {
                throw new IllegalArgumentException("token URL must be an http(s) URL, was '" + tokenUrl + "'");
            }
            requireText(clientId, "client id");
            requireText(clientSecret, "client secret");
            scopes = List.copyOf(scopes);
            Objects.requireNonNull(expirySkew, "expiry skew");
            if (expirySkew.isNegative()) {
                throw new IllegalArgumentException("expiry skew must not be negative, was " + expirySkew);
            }
        }

        /** The same credentials, fetching again this long before expiry. */
        public OAuth2ClientCredentials withExpirySkew(Duration skew) {
            return new OAuth2ClientCredentials(tokenUrl, clientId, clientSecret, scopes, skew);
        }

        @Override
        public String toString() {
            return "OAuth2ClientCredentials[" + tokenUrl + ", client " + clientId + ", scopes " + scopes + "]";
        }
    }

    /**
     * The current contact's credential: a bearer token when {@code in} is null, else an API key.
     */
    record PerContact(In in, String name) implements ActionAuth {}
}
