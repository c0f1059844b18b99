package dev.opencx.helpdesk.inbox.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The sign-in form's CSRF token, kept by nobody: {@code <expiry>.<HMAC-SHA256(key, expiry,
 * binding)>}, where the binding is a random value in the browser's own cookie (a signed
 * double-submit token). Nothing is stored on the server, so no one else's traffic can expire an
 * agent's open form; a form posted from another site lacks the browser's cookie value and fails.
 * The key is random per process (a restart asks open forms to be sent again).
 */
final class FormTokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PURPOSE = "opencx-inbox-login-form\n";

    private final Clock clock;
    private final Duration lifetime;
    private final SecretKeySpec key;

    FormTokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
    }

    /** A token for a form shown now to the browser whose cookie carries {@code binding}. */
    String issue(String binding) {
        long expiry = clock.instant().plus(lifetime).getEpochSecond();
        return expiry + "." + mac(expiry, binding);
    }

    /** Whether {@code token} was issued by this process for {@code binding} and has not expired (constant time). */
    boolean valid(String token, String binding) {
        if (token == null || binding == null || binding.isEmpty() || token.length() > 100) {
            return false;
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        long expiry;
        try {
            expiry = Long.parseLong(token.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        long now = clock.instant().getEpochSecond();
        if (expiry <= now || expiry > now + lifetime.toSeconds()) {
            return false;
        }
        return MessageDigest.isEqual(
                mac(expiry, binding).getBytes(StandardCharsets.US_ASCII),
                token.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String mac(long expiry, String binding) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] sig = mac.doFinal((PURPOSE + expiry + "\n" + binding).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
