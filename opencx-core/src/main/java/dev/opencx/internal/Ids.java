package dev.opencx.internal;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random 128-bit ids as 22 URL-safe characters: unguessable (from {@link SecureRandom}) and short,
 * since every event of every session log carries some.
 */
public final class Ids {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Ids() {}

    public static String newId() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return ENCODER.encodeToString(b);
    }
}
