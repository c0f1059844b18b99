package dev.opencx.channel.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 and constant-time comparison. */
public final class Hmac {
    private Hmac() {}

    public static byte[] sha256(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    public static String sha256Hex(byte[] key, String data) {
        return HexFormat.of().formatHex(sha256(key, data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares two strings in time that does not depend on where they differ (nor on their lengths). */
    public static boolean constantTimeEquals(String a, String b) {
        byte[] x = digest(a);
        byte[] y = digest(b);
        return MessageDigest.isEqual(x, y) & a.length() == b.length();
    }

    private static byte[] digest(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    }
}
