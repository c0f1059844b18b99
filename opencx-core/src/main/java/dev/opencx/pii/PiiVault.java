package dev.opencx.pii;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals the real values behind placeholders with AES-256-GCM under a key your application supplies
 * (from a secret manager or KMS; never stored by OpenCX). The sealed values live in the
 * {@code ConversationStore}, so they survive restarts; without the key they are unreadable, and
 * deleting the key (or the session's vault) erases them.
 *
 * <pre>{@code
 * byte[] key = Base64.getDecoder().decode(System.getenv("OPENCX_PII_KEY"));   // 32 bytes
 * OpenCx.builder().pii(detector, PiiPolicy.defaults()).piiVault(PiiVault.aesGcm(key));
 * }</pre>
 *
 * <p>Each value is sealed with a fresh 96-bit nonce and bound to its session and placeholder
 * (additional authenticated data), so a sealed value copied to another session or placeholder does
 * not open. Thread-safe.
 */
public final class PiiVault {
    private static final String CIPHER = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKey key;

    private PiiVault(SecretKey key) {
        this.key = key;
    }

    /**
     * A vault with a 256-bit (or 128/192-bit) AES key.
     *
     * @throws IllegalArgumentException when the key is not 16, 24 or 32 bytes long
     */
    public static PiiVault aesGcm(byte[] key) {
        Objects.requireNonNull(key, "key");
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new IllegalArgumentException("an AES key is 16, 24 or 32 bytes, was " + key.length + " bytes");
        }
        return new PiiVault(new SecretKeySpec(Arrays.copyOf(key, key.length), "AES"));
    }

    /** A vault with a key you hold as a {@link SecretKey} (algorithm AES). */
    public static PiiVault aesGcm(SecretKey key) {
        Objects.requireNonNull(key, "key");
        if (!"AES".equalsIgnoreCase(key.getAlgorithm())) {
            throw new IllegalArgumentException("the vault needs an AES key, was " + key.getAlgorithm());
        }
        return new PiiVault(key);
    }

    /** A new random 256-bit key (store it safely: without it the vault cannot be opened). */
    public static byte[] newKey() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    /** Seals {@code value} for a placeholder of a session; the result is Base64 text. */
    public String seal(String sessionId, String placeholder, String value) {
        try {
            byte[] nonce = new byte[NONCE_BYTES];
            RANDOM.nextBytes(nonce);
            Cipher c = Cipher.getInstance(CIPHER);
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(sessionId, placeholder));
            byte[] ct = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + ct.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(ct, 0, out, NONCE_BYTES, ct.length);
            return Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    /**
     * Opens a value sealed by {@link #seal}.
     *
     * @throws IllegalArgumentException when it was sealed with another key, for another session or
     *     placeholder, or was altered
     */
    public String open(String sessionId, String placeholder, String sealed) {
        byte[] in;
        try {
            in = Base64.getDecoder().decode(sealed);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("sealed value of " + placeholder + " is not Base64", e);
        }
        if (in.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("sealed value of " + placeholder + " is too short");
        }
        try {
            Cipher c = Cipher.getInstance(CIPHER);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, NONCE_BYTES));
            c.updateAAD(aad(sessionId, placeholder));
            return new String(c.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException(
                    "sealed value of " + placeholder + " does not open: another key, session or placeholder", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available in this JVM", e);
        }
    }

    private static byte[] aad(String sessionId, String placeholder) {
        return (sessionId + '\0' + placeholder).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "PiiVault[AES-GCM]";
    }
}
