package dev.opencx.channel.web.internal;

import dev.opencx.webhook.WebRequest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Small request helpers shared by the endpoints. */
public final class Requests {
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final SecureRandom RANDOM = new SecureRandom();

    private Requests() {}

    /** 128 random bits, URL-safe. */
    public static String randomId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The bearer token of the Authorization header. */
    public static Optional<String> bearer(WebRequest r) {
        return r.header("Authorization").flatMap(h -> {
            String v = h.strip();
            if (v.length() > 7 && v.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
                return Optional.of(v.substring(7).strip());
            }
            return Optional.empty();
        });
    }

    /** The position to resume from: {@code Last-Event-ID}, else the {@code after} parameter, else 0. */
    public static long after(WebRequest r) {
        String raw = r.header("Last-Event-ID").filter(s -> !s.isBlank()).orElse(null);
        String name = "Last-Event-ID";
        if (raw == null) {
            raw = r.queryParam("after").orElse("0");
            name = "after";
        }
        return nonNegative(name, raw);
    }

    /** A non-negative integer parameter. */
    public static long nonNegative(String name, String raw) {
        try {
            long v = Long.parseLong(raw.strip());
            if (v >= 0) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HttpError.badRequest(name + " must be a non-negative integer, was '" + clip(raw) + "'");
    }

    /** An integer query parameter within bounds. */
    public static int intParam(WebRequest r, String name, int dflt, int min, int max) {
        Optional<String> raw = r.queryParam(name);
        if (raw.isEmpty()) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(raw.get().strip());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw HttpError.badRequest(
                name + " must be an integer from " + min + " to " + max + ", was '" + clip(raw.get()) + "'");
    }

    /** The path's segments after {@code prefix}, or null when it does not start with it. */
    public static String[] segments(String path, String prefix) {
        if (!path.startsWith(prefix)) {
            return null;
        }
        String rest = path.substring(prefix.length());
        if (rest.isEmpty()) {
            return new String[0];
        }
        if (!rest.startsWith("/")) {
            return null;
        }
        rest = rest.substring(1);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        return rest.isEmpty() ? new String[0] : rest.split("/", -1);
    }

    public static HttpError methodNotAllowed(String method, String allowed) {
        return new HttpError(405, "method_not_allowed", method + " is not allowed here; use " + allowed)
                .header("Allow", allowed);
    }

    static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
