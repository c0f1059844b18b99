package dev.opencx.action;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.UnaryOperator;

/** An http(s) URL with each path segment and query value passed through a redaction. */
final class RedactedUrl {
    private RedactedUrl() {}

    /** Whether {@code url} is an absolute http or https URL with a host. */
    static boolean isHttp(String url) {
        try {
            URI u = new URI(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    /**
     * {@code https://shop.example.com/orders/[NUMBER_1]?email=%5BEMAIL_1%5D}: scheme, host, port and
     * parameter names kept; the whole URL redacted when it does not parse.
     */
    static String of(String url, UnaryOperator<String> redact) {
        if (!isHttp(url)) {
            return redact.apply(url);
        }
        URI u = URI.create(url);
        StringBuilder out =
                new StringBuilder().append(u.getScheme()).append("://").append(u.getRawAuthority());
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        String[] segments = path.split("/", -1);
        for (int i = 1; i < segments.length; i++) {
            out.append('/');
            if (!segments[i].isEmpty()) {
                out.append(encode(redact.apply(decode(segments[i]))).replace("+", "%20"));
            }
        }
        String query = u.getRawQuery();
        if (query != null && !query.isEmpty()) {
            out.append('?');
            String[] pairs = query.split("&", -1);
            for (int i = 0; i < pairs.length; i++) {
                if (i > 0) {
                    out.append('&');
                }
                int eq = pairs[i].indexOf('=');
                if (eq < 0) {
                    out.append(pairs[i]);
                } else {
                    out.append(pairs[i], 0, eq + 1).append(encode(redact.apply(decode(pairs[i].substring(eq + 1)))));
                }
            }
        }
        return out.toString();
    }

    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
