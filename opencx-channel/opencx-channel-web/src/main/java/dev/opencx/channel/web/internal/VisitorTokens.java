package dev.opencx.channel.web.internal;

import dev.opencx.conversation.Identity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Signed widget tokens: {@code base64url("1|a|<expiry epoch s>|<identity key>") + "." +
 * base64url(HMAC-SHA256(tokenKey, first part))}. {@code a} marks an anonymous visitor, {@code u} a
 * verified user. The token key is derived from the channel secret, so a token signature is never
 * a valid user hash and the other way round.
 */
public final class VisitorTokens {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final byte[] key;
    private final Duration ttl;
    private final Clock clock;

    public VisitorTokens(byte[] secret, Duration ttl, Clock clock) {
        this.key = Hmac.sha256(secret, "opencx-widget-token-v1".getBytes(StandardCharsets.UTF_8));
        this.ttl = ttl;
        this.clock = clock;
    }

    /** Who a valid token speaks for. */
    public record Claims(Identity identity, boolean anonymous, Instant expiresAt) {}

    public Claims issue(Identity identity, boolean anonymous) {
        Instant exp = clock.instant().plus(ttl);
        return new Claims(identity, anonymous, Instant.ofEpochSecond(exp.getEpochSecond()));
    }

    public String encode(Claims c) {
        String payload = "1|" + (c.anonymous() ? "a" : "u") + "|"
                + c.expiresAt().getEpochSecond() + "|" + c.identity().key();
        String p = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return p + "." + B64.encodeToString(Hmac.sha256(key, p.getBytes(StandardCharsets.US_ASCII)));
    }

    /** The claims of a token with a valid signature that has not expired; empty otherwise. */
    public Optional<Claims> verify(String token) {
        if (token == null || token.length() > 1024) {
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
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\\|", 4);
        if (parts.length != 4 || !parts[0].equals("1") || !(parts[1].equals("a") || parts[1].equals("u"))) {
            return Optional.empty();
        }
        try {
            Instant exp = Instant.ofEpochSecond(Long.parseLong(parts[2]));
            if (!clock.instant().isBefore(exp)) {
                return Optional.empty();
            }
            return Optional.of(new Claims(Identity.parseKey(parts[3]), parts[1].equals("a"), exp));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
