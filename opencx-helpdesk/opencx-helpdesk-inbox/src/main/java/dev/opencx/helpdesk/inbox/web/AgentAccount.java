package dev.opencx.helpdesk.inbox.web;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An agent who may sign in to the inbox: a login id, the name shown to colleagues, and the
 * password's {@link PasswordHashes PBKDF2 hash} (never the password).
 *
 * <pre>{@code
 * AgentAccount maria = AgentAccount.of("maria", "Maria Silva", System.getenv("MARIA_PASSWORD_HASH"));
 * AgentAccount demo = AgentAccount.withPassword("demo", "Demo agent", "a long passphrase".toCharArray());
 * }</pre>
 *
 * @param id the login and the agent id recorded in the session log (1 to 64 of {@code a-z 0-9 . _ -},
 *     starting with a letter or digit)
 * @param displayName the name shown in the inbox, 1 to 80 characters
 * @param passwordHash from {@link PasswordHashes#hash}
 */
public record AgentAccount(String id, String displayName, String passwordHash) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public AgentAccount {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(passwordHash, "passwordHash");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException(
                    "agent id must be 1 to 64 of a-z 0-9 . _ - starting with a letter or digit, was '" + id + "'");
        }
        if (displayName.isBlank() || displayName.length() > 80) {
            throw new IllegalArgumentException(
                    "agent display name must have 1 to 80 characters, had " + displayName.length());
        }
        PasswordHashes.checkEncoded(passwordHash);
    }

    /** An account from a stored hash. */
    public static AgentAccount of(String id, String displayName, String passwordHash) {
        return new AgentAccount(id, displayName, passwordHash);
    }

    /**
     * An account whose password is hashed now ({@link PasswordHashes#DEFAULT_ITERATIONS}); the array
     * is left for you to clear.
     *
     * @throws IllegalArgumentException for a password shorter than 12 characters
     */
    public static AgentAccount withPassword(String id, String displayName, char[] password) {
        Objects.requireNonNull(password, "password");
        if (password.length < 12) {
            throw new IllegalArgumentException(
                    "agent password must have at least 12 characters, had " + password.length);
        }
        return new AgentAccount(id, displayName, PasswordHashes.hash(password));
    }

    @Override
    public String toString() {
        return "AgentAccount{" + id + ", " + displayName + "}"; // never the hash
    }
}
