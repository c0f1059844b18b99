package dev.opencx.channel.twilio;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.util.Objects;

/**
 * Checks that a webhook {@link WebRequest} was signed by Twilio for this account: the {@code
 * X-Twilio-Signature} header against the public URL Twilio posted to, rebuilt from {@link
 * TwilioConfig#publicUrl()}, the path the handler is mounted at, the path below it and the raw query
 * (never from the request's {@code Host}, which a proxy rewrites). Every Twilio webhook handler of
 * the module (messaging, status callbacks, voice) uses it.
 *
 * <pre>{@code
 * TwilioWebhookVerifier verifier = TwilioWebhookVerifier.of(config);
 * WebhookHandler handler = request -> verifier.isSigned(request, "/webhooks/twilio/voice")
 *         ? answer(request)
 *         : TwilioWebhookVerifier.unauthorized();
 * }</pre>
 *
 * <p>A request to the mount path itself (the handler sees path {@code /}) passes whether Twilio
 * was configured with or without a trailing slash. Thread-safe; never throws for bad input.
 */
public final class TwilioWebhookVerifier {
    private final TwilioConfig config;
    private final TwilioSignature signature;

    private TwilioWebhookVerifier(TwilioConfig config) {
        this.config = config;
        this.signature = config.signature();
    }

    /** A verifier for the account and public URL of {@code config}. */
    public static TwilioWebhookVerifier of(TwilioConfig config) {
        return new TwilioWebhookVerifier(Objects.requireNonNull(config, "config"));
    }

    /**
     * The URL Twilio signed when it sent {@code request} to a handler mounted at {@code mountPath}:
     * the public URL, the mount path, the path below it (none for {@code /}) and {@code ?query} as
     * received.
     */
    public String publicUrl(WebRequest request, String mountPath) {
        return url(request, mountPath, false);
    }

    /**
     * True when the request carries Twilio's signature of exactly this URL and body under the Auth
     * Token (or a previous one while rotating). False for a missing, forged or replayed-elsewhere
     * signature and for a body that is not a well-formed form.
     *
     * @param mountPath where the handler is mounted ({@code /webhooks/twilio/sms}), as Twilio is
     *     configured to call it
     */
    public boolean isSigned(WebRequest request, String mountPath) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(mountPath, "mountPath");
        String given = request.header("X-Twilio-Signature").orElse("");
        if (given.isEmpty()) {
            return false;
        }
        byte[] body = request.body();
        String type = request.mediaType();
        try {
            if (signature.isValid(url(request, mountPath, false), given, body, type)) {
                return true;
            }
            return request.path().equals("/") && signature.isValid(url(request, mountPath, true), given, body, type);
        } catch (IllegalArgumentException malformed) {
            return false; // a body that does not decode cannot carry a valid signature
        }
    }

    /**
     * The answer to a request that fails {@link #isSigned}: {@code 401} naming the header, echoing
     * nothing of the request.
     */
    public static WebResponse unauthorized() {
        return WebResponse.error(
                401,
                "invalid_signature",
                "X-Twilio-Signature is missing or does not match this request for the configured public URL");
    }

    private String url(WebRequest request, String mountPath, boolean trailingSlash) {
        String mount = mountPath.equals("/") ? "" : mountPath;
        String below = request.path().equals("/") ? (trailingSlash ? "/" : "") : request.path();
        String query = request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery();
        return config.publicUrl() + mount + below + query;
    }

    @Override
    public String toString() {
        return "TwilioWebhookVerifier{" + config.publicUrl() + "}";
    }
}
