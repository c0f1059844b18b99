package dev.opencx.webhook;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An HTTP request as a {@link WebhookHandler} sees it: method, the path below the handler's mount
 * point, the query, headers (names case-insensitive) and the raw body bytes (signatures are
 * computed over them). Immutable; built by the server adapter.
 *
 * <pre>{@code
 * WebRequest request = WebRequest.builder("POST", "/v1/sessions")
 *         .query("after=10")
 *         .header("Content-Type", "application/json")
 *         .body("{\"text\":\"hi\"}".getBytes(StandardCharsets.UTF_8))
 *         .build();
 * }</pre>
 */
public final class WebRequest {
    private final String method;
    private final String path;
    private final String rawQuery;
    private final Map<String, List<String>> query;
    private final Map<String, List<String>> headers;
    private final byte[] body;
    private final String remoteAddress;

    private WebRequest(Builder b) {
        this.method = b.method;
        this.path = b.path;
        this.rawQuery = b.rawQuery;
        this.query = parseQuery(b.rawQuery);
        TreeMap<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        b.headers.forEach((k, v) -> h.put(k, List.copyOf(v)));
        this.headers = Collections.unmodifiableMap(h);
        this.body = b.body;
        this.remoteAddress = b.remoteAddress;
    }

    /**
     * A builder.
     *
     * @param method the HTTP method, upper-cased
     * @param path the path below the mount point, starting with {@code /} (not URL-decoded)
     */
    public static Builder builder(String method, String path) {
        return new Builder(method, path);
    }

    /** The method, upper case ({@code GET}, {@code POST}, …). */
    public String method() {
        return method;
    }

    /** The path below the handler's mount point, starting with {@code /}, as sent (not decoded). */
    public String path() {
        return path;
    }

    /** The raw query string without {@code ?}, empty when none. */
    public String rawQuery() {
        return rawQuery;
    }

    /** The first value of a query parameter (decoded). */
    public Optional<String> queryParam(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Every query parameter (decoded), in order. */
    public Map<String, List<String>> queryParams() {
        return query;
    }

    /** The first value of a header (name case-insensitive). */
    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Every header, names case-insensitive. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    /** A copy of the raw body, empty when none. */
    public byte[] body() {
        return body.clone();
    }

    /** The body's length in bytes. */
    public int bodyLength() {
        return body.length;
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** The client's address as the server saw it, empty when unknown. */
    public String remoteAddress() {
        return remoteAddress;
    }

    /** The media type of the body, lower case and without parameters ({@code application/json}), empty when none. */
    public String mediaType() {
        String ct = header("Content-Type").orElse("");
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).strip().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        // no query or body: they may carry tokens and personal data
        return "WebRequest{" + method + " " + path + ", bytes=" + body.length + "}";
    }

    private static Map<String, List<String>> parseQuery(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw.isEmpty()) {
            return Map.of();
        }
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String k = decode(eq < 0 ? pair : pair.substring(0, eq));
            String v = eq < 0 ? "" : decode(pair.substring(eq + 1));
            out.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
        }
        Map<String, List<String>> copy = new LinkedHashMap<>();
        out.forEach((k, v) -> copy.put(k, List.copyOf(v)));
        return Collections.unmodifiableMap(copy);
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s; // a malformed escape stays as sent
        }
    }

    /** Builds a {@link WebRequest}. */
    public static final class Builder {
        private final String method;
        private final String path;
        private String rawQuery = "";
        private final Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private byte[] body = new byte[0];
        private String remoteAddress = "";

        private Builder(String method, String path) {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(path, "path");
            if (method.isBlank()) {
                throw new IllegalArgumentException("method is blank");
            }
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("path must start with '/', was '" + path + "'");
            }
            this.method = method.toUpperCase(Locale.ROOT);
            this.path = path;
        }

        /** The raw query string, with or without the leading {@code ?}; null for none. */
        public Builder query(String rawQuery) {
            String q = rawQuery == null ? "" : rawQuery;
            this.rawQuery = q.startsWith("?") ? q.substring(1) : q;
            return this;
        }

        /** Adds a header value. */
        public Builder header(String name, String value) {
            headers.computeIfAbsent(Objects.requireNonNull(name, "header name"), k -> new ArrayList<>())
                    .add(Objects.requireNonNull(value, "header value"));
            return this;
        }

        /** The raw body (copied); null for none. */
        public Builder body(byte[] body) {
            this.body = body == null ? new byte[0] : body.clone();
            return this;
        }

        public Builder remoteAddress(String address) {
            this.remoteAddress = address == null ? "" : address;
            return this;
        }

        public WebRequest build() {
            return new WebRequest(this);
        }
    }
}
