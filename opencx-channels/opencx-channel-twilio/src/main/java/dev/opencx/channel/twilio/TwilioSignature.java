package dev.opencx.channel.twilio;

import dev.opencx.connect.FormBody;
import dev.opencx.connect.Signatures;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Checks {@code X-Twilio-Signature} exactly as Twilio computes it: Base64 HMAC-SHA1 under the Auth
 * Token of the URL Twilio was configured with (query included, encoding kept) followed by every
 * POST parameter as {@code name + value}, names sorted, the values of a repeated name sorted too.
 * A JSON webhook carries {@code bodySHA256} (hex SHA-256 of the raw body) in its URL and signs the
 * URL alone. Like Twilio's SDKs, the URL is accepted with and without its default port.
 *
 * <pre>{@code
 * TwilioSignature signature = TwilioSignature.of(authToken);
 * boolean ok = signature.isValid("https://example.com/webhooks/twilio/sms", request.header("X-Twilio-Signature").orElse(""),
 *         request.body(), request.mediaType());
 * }</pre>
 *
 * <p>Two tokens may be given while the Auth Token is rotated: a request signed with either passes.
 */
public final class TwilioSignature {
    private final List<String> tokens;

    private TwilioSignature(List<String> tokens) {
        this.tokens = tokens;
    }

    /**
     * @param authToken the account's primary Auth Token
     * @param previous tokens still accepted while rotating (at most one is usual)
     */
    public static TwilioSignature of(String authToken, String... previous) {
        List<String> all = new ArrayList<>();
        all.add(requireToken(authToken));
        for (String p : previous) {
            all.add(requireToken(p));
        }
        return new TwilioSignature(List.copyOf(all));
    }

    /**
     * True when {@code signature} is Twilio's signature of this request under one of the tokens.
     *
     * @param url the full public URL Twilio posted to, as configured in the Twilio console
     * @param signature the {@code X-Twilio-Signature} header, may be empty
     * @param body the raw request body
     * @param mediaType the request's media type ({@code application/x-www-form-urlencoded} or {@code
     *     application/json}); anything else is signed like JSON, over the URL only
     */
    public boolean isValid(String url, String signature, byte[] body, String mediaType) {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        if (signature == null || signature.isEmpty()) {
            return false;
        }
        boolean form = mediaType != null
                && mediaType.toLowerCase(java.util.Locale.ROOT).startsWith("application/x-www-form-urlencoded");
        if (!form && !bodyHashMatches(url, body)) {
            return false;
        }
        String params = form ? sortedParams(FormBody.parse(body)) : "";
        for (String candidate : urlVariants(url)) {
            byte[] data = (candidate + params).getBytes(StandardCharsets.UTF_8);
            for (String token : tokens) {
                if (Signatures.equalsConstantTime(Signatures.base64(Signatures.hmacSha1(token, data)), signature)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The signature Twilio would send for a form POST (for tests and fakes). */
    public String sign(String url, FormBody form) {
        byte[] data = (url + sortedParams(form)).getBytes(StandardCharsets.UTF_8);
        return Signatures.base64(Signatures.hmacSha1(tokens.get(0), data));
    }

    /** The signature Twilio would send for a JSON POST to a URL that already carries {@code bodySHA256}. */
    public String signUrl(String url) {
        return Signatures.base64(Signatures.hmacSha1(tokens.get(0), url.getBytes(StandardCharsets.UTF_8)));
    }

    /** The hex SHA-256 of a body, as Twilio puts it in {@code bodySHA256}. */
    public static String bodySha256(byte[] body) {
        return Signatures.hex(Signatures.sha256(body));
    }

    static String sortedParams(FormBody form) {
        TreeMap<String, List<String>> sorted = new TreeMap<>();
        for (Map.Entry<String, List<String>> e : form.asMap().entrySet()) {
            List<String> values = new ArrayList<>(e.getValue());
            values.sort(null);
            sorted.put(e.getKey(), values);
        }
        StringBuilder sb = new StringBuilder();
        sorted.forEach((name, values) -> values.forEach(v -> sb.append(name).append(v)));
        return sb.toString();
    }

    private static boolean bodyHashMatches(String url, byte[] body) {
        String query = url.indexOf('?') < 0 ? "" : url.substring(url.indexOf('?') + 1);
        String claimed = FormBody.parse(query.contains("#") ? query.substring(0, query.indexOf('#')) : query)
                .first("bodySHA256")
                .orElse("");
        return Signatures.equalsConstantTime(bodySha256(body), claimed.toLowerCase(java.util.Locale.ROOT));
    }

    /** The URL as given, with its default port added, and with any port removed. */
    static Set<String> urlVariants(String url) {
        Set<String> variants = new LinkedHashSet<>();
        variants.add(url);
        try {
            URI u = new URI(url);
            if (u.getScheme() == null || u.getRawAuthority() == null) {
                return variants;
            }
            String scheme = u.getScheme().toLowerCase(java.util.Locale.ROOT);
            int defaultPort = scheme.equals("https") ? 443 : scheme.equals("http") ? 80 : -1;
            String userInfo = u.getRawUserInfo() == null ? "" : u.getRawUserInfo() + "@";
            String rest = url.substring(
                    url.indexOf(u.getRawAuthority()) + u.getRawAuthority().length());
            String head = u.getScheme() + "://" + userInfo + u.getHost();
            if (u.getPort() == -1 && defaultPort > 0) {
                variants.add(head + ":" + defaultPort + rest);
            } else if (u.getPort() != -1) {
                variants.add(head + rest);
            }
        } catch (URISyntaxException e) {
            // an odd configured URL is tried as given only
        }
        return variants;
    }

    private static String requireToken(String token) {
        Objects.requireNonNull(token, "authToken");
        if (token.isBlank()) {
            throw new IllegalArgumentException("Twilio Auth Token is blank");
        }
        return token;
    }

    @Override
    public String toString() {
        return "TwilioSignature{tokens=" + tokens.size() + "}"; // never the tokens
    }
}
