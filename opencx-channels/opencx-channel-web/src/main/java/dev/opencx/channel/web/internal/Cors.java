package dev.opencx.channel.web.internal;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin access for browser endpoints: only the configured origins (and the server's own
 * origin) may call them. Requests without an {@code Origin} header (servers, curl) pass: they are
 * not browsers acting for a visitor, and the token still decides what they may do.
 */
public final class Cors {
    private final Set<String> origins;

    /** @param origins normalised origins ({@code https://shop.example}, lower case, no trailing slash) */
    public Cors(Set<String> origins) {
        this.origins = Set.copyOf(origins);
    }

    public boolean allows(WebRequest r) {
        String origin = r.header("Origin").orElse(null);
        if (origin == null) {
            return true;
        }
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return origins.contains(o) || sameOrigin(o, r.header("Host").orElse(""));
    }

    private static boolean sameOrigin(String origin, String host) {
        int scheme = origin.indexOf("://");
        return scheme > 0
                && !host.isBlank()
                && origin.substring(scheme + 3).equals(host.strip().toLowerCase(Locale.ROOT));
    }

    public WebResponse refusal(WebRequest r) {
        return WebResponse.error(
                403,
                "origin_not_allowed",
                "origin '" + r.header("Origin").orElse("")
                        + "' is not allowed; add it with WebChannel.Builder.allowedOrigins");
    }

    /** The answer to a preflight ({@code OPTIONS}) request. */
    public WebResponse preflight(WebRequest r) {
        if (r.header("Origin").isEmpty()) {
            return WebResponse.empty(204).withHeader("Allow", "GET, POST, OPTIONS");
        }
        if (!allows(r)) {
            return refusal(r);
        }
        return decorate(r, WebResponse.empty(204))
                .withHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
                .withHeader("Access-Control-Allow-Headers", "Authorization, Content-Type, Last-Event-ID")
                .withHeader("Access-Control-Max-Age", "600");
    }

    /** Adds the CORS headers to an allowed cross-origin request's response. */
    public WebResponse decorate(WebRequest r, WebResponse response) {
        String origin = r.header("Origin").orElse(null);
        if (origin == null || !allows(r)) {
            return response;
        }
        return response.withHeader("Access-Control-Allow-Origin", origin.strip())
                .withHeader("Vary", "Origin");
    }
}
