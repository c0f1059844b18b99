package dev.opencx.channel.web.internal;

import dev.opencx.conversation.Identity;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed widget tokens: {@code base64url("1|a|<expiry epoch s>|<identity key>") + "." +
 * base64url(HMAC-SHA256(tokenKey, first part))}. {@code a} marks an anonymous visitor, {@code u} a
 * verified user. The token key is derived from the channel secret, so a token signature is never
 * a valid user hash and the other way round.
 *
 * <p>A token issued with the name the user signed in with is {@code "2|u|<expiry>|<sealed
 * name>|<identity key>"}: the name is carried to the session the user opens next (it goes to that
 * session's PII vault when names are redacted), sealed with AES-GCM under another key derived from
 * the secret, so it never shows in clear where the token travels (an event stream's {@code
 * ?access_token=} ends up in access logs).
 */
public final class VisitorTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 12;

    private final byte[] key;
    private final SecretKeySpec nameKey;
    private final Duration ttl;
    private final Clock clock;

    public VisitorTokens(byte[] secret, Duration ttl, Clock clock) {
        this.key = Hmac.sha256(secret, "opencx-widget-token-v1".getBytes(StandardCharsets.UTF_8));
        this.nameKey =
                new SecretKeySpec(Hmac.sha256(secret, "opencx-widget-name-v1".getBytes(StandardCharsets.UTF_8)), "AES");
        this.ttl = ttl;
        this.clock = clock;
    }

    /**
     * Who a valid token speaks for.
     *
     * @param name the name the user signed in with, empty when none; never null
     */
    public record Claims(Identity identity, boolean anonymous, Instant expiresAt, String name) {
        public Claims {
            name = name == null ? "" : name;
        }
    }

    public Claims issue(Identity identity, boolean anonymous) {
        return issue(identity, anonymous, "");
    }

    public Claims issue(Identity identity, boolean anonymous, String name) {
        Instant exp = clock.instant().plus(ttl);
        return new Claims(identity, anonymous, Instant.ofEpochSecond(exp.getEpochSecond()), name);
    }

    public String encode(Claims c) {
        String head = (c.anonymous() ? "a" : "u") + "|" + c.expiresAt().getEpochSecond() + "|";
        String payload = c.name().isEmpty()
                ? "1|" + head + c.identity().key()
                : "2|" + head + sealName(c) + "|" + c.identity().key();
        String p = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + B64.encodeToString(Hmac.sha256(key, p.getBytes(StandardCharsets.US_ASCII)));
    }

    private String sealName(Claims c) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, nameKey, new GCMParameterSpec(128, nonce));
            cipher.updateAAD(c.identity().key().getBytes(StandardCharsets.UTF_8));
            byte[] ct = cipher.doFinal(c.name().getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return B64.encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /** The name sealed by {@link #sealName}, or null when it does not open. */
    private String openName(String sealed, String identityKey) {
        try {
            byte[] in = B64D.decode(sealed);
            if (in.length < NONCE_BYTES + 16) {
                return null;
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, nameKey, new GCMParameterSpec(128, in, 0, NONCE_BYTES));
            cipher.updateAAD(identityKey.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return null;
        }
    }

    /** The claims of a token with a valid signature that has not expired; empty otherwise. */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > 2048) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return Optional.empty();
        }
        String p = token.substring(0, dot);
        byte[] sig;
        byte[] payload;
        try {
            sig = B64D.decode(token.substring(dot + 1));
            payload = B64D.decode(p);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sig, Hmac.sha256(key, p.getBytes(StandardCharsets.US_ASCII)))) {
            return Optional.empty();
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        boolean named = text.startsWith("2|");
        String[] parts = text.split("\\|", named ? 5 : 4);
        if (parts.length != (named ? 5 : 4)
                || !(parts[0].equals("1") || named)
                || !(parts[1].equals("a") || parts[1].equals("u"))) {
            return Optional.empty();
        }
        try {
            Instant exp = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (!clock.instant().isBefore(exp)) {
                return Optional.empty();
            }
            String identityKey = parts[named ? 4 : 3];
            String name = "";
            if (named) {
                name = openName(parts[3], identityKey);
                if (name == null) {
                    return Optional.empty();
                }
            }
            return Optional.of(new Claims(Identity.parseKey(identityKey), parts[1].equals("a"), exp, name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
