package dev.opencx.internal;

import java.util.concurrent.ThreadLocalRandom;

/** Random 128-bit ids as 32 hex characters (ids, not secrets). */
public final class Ids {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private Ids() {}

    public static String newId() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long a = r.nextLong();
        long b = r.nextLong();
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (a >>> (60 - 4 * i)) & 0xf];
            out[16 + i] = HEX[(int) (b >>> (60 - 4 * i)) & 0xf];
        }
        return new String(out);
    }
}
