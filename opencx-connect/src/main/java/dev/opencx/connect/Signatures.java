package dev.opencx.connect;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC and digest helpers for webhook signatures, compared in constant time. Providers sign the
 * raw bytes they sent: compute over {@code WebRequest.body()}, never over a re-serialized body.
 *
 * <pre>{@code
 * String expected = "sha256=" + Signatures.hex(Signatures.hmacSha256(appSecret, request.body()));
 * if (!Signatures.equalsConstantTime(expected, request.header("X-Hub-Signature-256").orElse(""))) {
 *     return WebResponse.error(401, "bad_signature", "X-Hub-Signature-256 does not match the body");
 * }
 * }</pre>
 */
public final class Signatures {
    private Signatures() {}

    /** HMAC-SHA1 of {@code data} under {@code key} (UTF-8). */
    public static byte[] hmacSha1(String key, byte[] data) {
        return hmac("HmacSHA1", key, data);
    }

    /** HMAC-SHA256 of {@code data} under {@code key} (UTF-8). */
    public static byte[] hmacSha256(String key, byte[] data) {
        return hmac("HmacSHA256", key, data);
    }

    /** HMAC-SHA256 of a UTF-8 string. */
    public static byte[] hmacSha256(String key, String data) {
        return hmacSha256(key, data.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of {@code data}. */
    public static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** Lower-case hex. */
    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Standard Base64 with padding. */
    public static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }

    /**
     * True when both strings are equal, in time that does not depend on where they differ. A null
     * or empty {@code given} is never equal.
     */
    public static boolean equalsConstantTime(String expected, String given) {
        Objects.requireNonNull(expected, "expected");
        if (given == null || given.isEmpty()) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] hmac(String algorithm, String key, byte[] data) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(data, "data");
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }
}
