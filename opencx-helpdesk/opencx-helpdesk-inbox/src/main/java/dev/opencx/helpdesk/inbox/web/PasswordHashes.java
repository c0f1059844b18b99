package dev.opencx.helpdesk.inbox.web;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Agent passwords hashed with PBKDF2-HMAC-SHA256 (the JDK's, no dependency): a random 16-byte salt
 * per password, 600,000 iterations by default (OWASP's figure for PBKDF2-HMAC-SHA256), a 32-byte
 * key, compared in constant time. Store the encoded hash, never the password:
 *
 * <pre>{@code
 * String stored = PasswordHashes.hash("correct horse battery staple".toCharArray());
 * // pbkdf2-sha256$600000$<salt, Base64>$<key, Base64>
 * boolean ok = PasswordHashes.verify(typed, stored);
 * }</pre>
 *
 * <p>Thread-safe; a hash or a check takes a few hundred milliseconds on purpose.
 */
public final class PasswordHashes {
    /** The default iteration count. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    /** The lowest iteration count {@link #verify} accepts in a stored hash. */
    public static final int MIN_ITERATIONS = 10_000;

    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int KEY_BITS = 256;
    private static final int MAX_ITERATIONS = 10_000_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final java.util.Map<Integer, String> DECOYS = new java.util.concurrent.ConcurrentHashMap<>();

    private PasswordHashes() {}

    /**
     * Prints the hash of a password typed at the terminal (not echoed), for your configuration:
     * {@code java -cp opencx-helpdesk-inbox.jar dev.opencx.helpdesk.inbox.web.PasswordHashes}.
     */
    public static void main(String[] args) {
        java.io.Console console = System.console();
        if (console == null) {
            System.err.println("PasswordHashes: run it in a terminal: the password is read without echo");
            System.exit(2);
        }
        char[] password = console.readPassword("Password: ");
        char[] again = console.readPassword("Again: ");
        try {
            if (password == null || again == null || !java.util.Arrays.equals(password, again)) {
                System.err.println("PasswordHashes: the two passwords differ");
                System.exit(1);
            }
            System.out.println(hash(password));
        } finally {
            if (password != null) {
                java.util.Arrays.fill(password, '\0');
            }
            if (again != null) {
                java.util.Arrays.fill(again, '\0');
            }
        }
    }

    /** The encoded hash of a password with {@link #DEFAULT_ITERATIONS} and a new random salt. */
    public static String hash(char[] password) {
        return hash(password, DEFAULT_ITERATIONS);
    }

    /**
     * The encoded hash of a password with a new random salt.
     *
     * @throws IllegalArgumentException for an empty password or iterations out of {@value
     *     #MIN_ITERATIONS} to 10,000,000
     */
    public static String hash(char[] password, int iterations) {
        Objects.requireNonNull(password, "password");
        if (password.length == 0) {
            throw new IllegalArgumentException("password is empty");
        }
        checkIterations(iterations);
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] key = derive(password, salt, iterations);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(key);
    }

    /**
     * Whether {@code password} matches an encoded hash; the comparison takes the same time whatever
     * matches.
     *
     * @throws IllegalArgumentException when {@code encoded} is not a hash made by {@link #hash}
     */
    public static boolean verify(char[] password, String encoded) {
        Objects.requireNonNull(password, "password");
        Parsed p = parse(encoded);
        byte[] actual = derive(password, p.salt, p.iterations);
        return MessageDigest.isEqual(actual, p.key);
    }

    /**
     * Checks an encoded hash's format.
     *
     * @throws IllegalArgumentException naming what is wrong (never echoing the hash)
     */
    public static void checkEncoded(String encoded) {
        parse(encoded);
    }

    /** The iteration count of an encoded hash. */
    static int iterations(String encoded) {
        return parse(encoded).iterations;
    }

    /**
     * A hash of a random password with {@code iterations}, checked for names that are not accounts so
     * that they cost as much time as a wrong password; one per iteration count, made once.
     */
    static String decoy(int iterations) {
        return DECOYS.computeIfAbsent(iterations, n -> {
            char[] random = new char[24];
            for (int i = 0; i < random.length; i++) {
                random[i] = (char) ('a' + RANDOM.nextInt(26));
            }
            return hash(random, n);
        });
    }

    private record Parsed(int iterations, byte[] salt, byte[] key) {}

    private static Parsed parse(String encoded) {
        Objects.requireNonNull(encoded, "encoded hash");
        String[] parts = encoded.split("\\$", -1);
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            throw new IllegalArgumentException(
                    "a password hash must look like pbkdf2-sha256$ITERATIONS$SALT$KEY (from PasswordHashes.hash)");
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the hash's iteration count is not a number: '" + parts[1] + "'");
        }
        checkIterations(iterations);
        byte[] salt;
        byte[] key;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            key = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hash's salt or key is not Base64");
        }
        if (salt.length < 8 || key.length != KEY_BITS / 8) {
            throw new IllegalArgumentException("the hash needs a salt of at least 8 bytes and a 32-byte key, had "
                    + salt.length + " and " + key.length);
        }
        return new Parsed(iterations, salt, key);
    }

    private static void checkIterations(int iterations) {
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be from " + MIN_ITERATIONS + " to "
                    + MAX_ITERATIONS + ", was " + iterations);
        }
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        // PBEKeySpec takes chars; the JDK's PBKDF2 encodes them as UTF-8
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, KEY_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                    .generateSecret(spec)
                    .getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available in this JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
