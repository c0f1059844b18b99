package dev.opencx.channel.twilio;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Twilio account every Twilio channel of an application shares (SMS, WhatsApp via Twilio,
 * voice): the Account SID and Auth Token the REST API is called with and webhooks are signed with,
 * and the public address Twilio reaches this application at. Immutable; {@link Builder#build()}
 * checks every setting and reports all the bad ones at once.
 *
 * <pre>{@code
 * TwilioConfig twilio = TwilioConfig.builder()
 *         .accountSid(System.getenv("TWILIO_ACCOUNT_SID"))
 *         .authToken(System.getenv("TWILIO_AUTH_TOKEN"))
 *         .publicUrl("https://support.example.com")      // what the Twilio console points at
 *         .build();
 * }</pre>
 *
 * <p><b>Why the public URL matters:</b> Twilio signs each webhook over the exact URL it was
 * configured with ({@code https://support.example.com/webhooks/twilio/sms}). Behind a proxy or a
 * load balancer this application sees another host, port or scheme, so it rebuilds the URL from
 * this setting plus the path and query it received, never from the request's {@code Host}.
 *
 * <p>{@link #toString()} never shows the tokens.
 */
public final class TwilioConfig {
    private static final Pattern ACCOUNT_SID = Pattern.compile("AC[0-9a-fA-F]{32}");

    private final String accountSid;
    private final String authToken;
    private final List<String> previousAuthTokens;
    private final String apiBaseUrl;
    private final String publicUrl;

    private TwilioConfig(Builder b) {
        this.accountSid = b.accountSid;
        this.authToken = b.authToken;
        this.previousAuthTokens = List.copyOf(b.previousAuthTokens);
        this.apiBaseUrl = b.apiBaseUrl;
        this.publicUrl = b.publicUrl;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The Account SID ({@code AC} + 32 hex digits). */
    public String accountSid() {
        return accountSid;
    }

    /** The primary Auth Token: REST calls use it, webhooks signed with it pass. */
    public String authToken() {
        return authToken;
    }

    /** Tokens still accepted on webhooks while the Auth Token is rotated; usually empty. */
    public List<String> previousAuthTokens() {
        return previousAuthTokens;
    }

    /** The REST API's base URL without a trailing slash ({@code https://api.twilio.com}). */
    public String apiBaseUrl() {
        return apiBaseUrl;
    }

    /** The public base URL Twilio reaches this application at, without a trailing slash. */
    public String publicUrl() {
        return publicUrl;
    }

    /** The webhook signature check for this account: the primary token and the previous ones. */
    public TwilioSignature signature() {
        return TwilioSignature.of(authToken, previousAuthTokens.toArray(String[]::new));
    }

    /**
     * The public URL of a path of this application: {@code publicUrl + path}.
     *
     * @param path starting with {@code /}, query included if any ({@code /webhooks/twilio/sms/status?s=1})
     */
    public String publicUrl(String path) {
        Objects.requireNonNull(path, "path");
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
        }
        return publicUrl + path;
    }

    @Override
    public String toString() {
        return "TwilioConfig{account=" + accountSid + ", publicUrl=" + publicUrl + ", api=" + apiBaseUrl + "}";
    }

    /** Builds a {@link TwilioConfig}; {@link #build()} names every missing or bad setting at once. */
    public static final class Builder {
        private String accountSid;
        private String authToken;
        private final List<String> previousAuthTokens = new ArrayList<>();
        private String apiBaseUrl = "https://api.twilio.com";
        private String publicUrl;
        private final List<String> problems = new ArrayList<>();

        private Builder() {}

        /** Required: the Account SID, {@code AC} followed by 32 hex digits (Twilio console, Account Info). */
        public Builder accountSid(String sid) {
            this.accountSid = sid;
            return this;
        }

        /** Required: the account's primary Auth Token. */
        public Builder authToken(String token) {
            this.authToken = token;
            return this;
        }

        /**
         * A token still accepted on incoming webhooks while the Auth Token is rotated (Twilio keeps
         * signing with the old one until the new one is promoted). Call once per token.
         */
        public Builder previousAuthToken(String token) {
            this.previousAuthTokens.add(token);
            return this;
        }

        /** The REST API's base URL (default {@code https://api.twilio.com}; a fake in tests). */
        public Builder apiBaseUrl(String url) {
            this.apiBaseUrl = url;
            return this;
        }

        /**
         * Required: the scheme, host and optional port (and path prefix, if a proxy adds one) Twilio
         * reaches this application at, as typed into the Twilio console, e.g. {@code
         * https://support.example.com}. No query, no fragment; a trailing slash is dropped.
         */
        public Builder publicUrl(String url) {
            this.publicUrl = url;
            return this;
        }

        /**
         * @throws IllegalStateException naming every missing or bad setting
         */
        public TwilioConfig build() {
            problems.clear();
            if (accountSid == null || accountSid.isBlank()) {
                problems.add("accountSid is missing");
            } else if (!ACCOUNT_SID.matcher(accountSid.strip()).matches()) {
                problems.add("accountSid must be 'AC' followed by 32 hex digits, was '" + clip(accountSid) + "'");
            } else {
                accountSid = accountSid.strip();
            }
            if (authToken == null || authToken.isBlank()) {
                problems.add("authToken is missing");
            } else if (!authToken.equals(authToken.strip())) {
                problems.add("authToken has leading or trailing spaces");
            }
            for (int i = 0; i < previousAuthTokens.size(); i++) {
                String t = previousAuthTokens.get(i);
                if (t == null || t.isBlank()) {
                    problems.add("previousAuthToken #" + (i + 1) + " is blank");
                }
            }
            apiBaseUrl = url("apiBaseUrl", apiBaseUrl);
            publicUrl = url("publicUrl", publicUrl);
            if (!problems.isEmpty()) {
                throw new IllegalStateException("TwilioConfig is invalid: " + String.join("; ", problems));
            }
            return new TwilioConfig(this);
        }

        private String url(String name, String value) {
            if (value == null || value.isBlank()) {
                problems.add(name + " is missing");
                return value;
            }
            String v = value.strip();
            while (v.endsWith("/")) {
                v = v.substring(0, v.length() - 1);
            }
            try {
                URI u = new URI(v);
                String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
                if (!scheme.equals("https") && !scheme.equals("http")) {
                    problems.add(name + " must be an http(s) URL, was '" + clip(value) + "'");
                } else if (u.getHost() == null) {
                    problems.add(name + " has no host: '" + clip(value) + "'");
                } else if (u.getRawQuery() != null || u.getRawFragment() != null) {
                    problems.add(name + " must not have a query or fragment, was '" + clip(value) + "'");
                } else if (u.getRawUserInfo() != null) {
                    problems.add(name + " must not carry credentials");
                }
            } catch (URISyntaxException e) {
                problems.add(name + " is not a URL: '" + clip(value) + "'");
            }
            return v;
        }

        private static String clip(String s) {
            return s.length() <= 60 ? s : s.substring(0, 60) + "…";
        }
    }
}
