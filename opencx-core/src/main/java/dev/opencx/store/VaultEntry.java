package dev.opencx.store;

import java.util.Objects;

/**
 * One sealed value of a session's PII vault: the placeholder that stands for it in stored text, its
 * type, and the value as sealed by {@link dev.opencx.pii.PiiVault} (the store never sees it in
 * clear).
 *
 * @param placeholder e.g. {@code [EMAIL_1]}, at most 64 characters
 * @param type the PII type's name, e.g. {@code EMAIL}, at most 40 characters
 * @param sealedValue the encrypted value (Base64 text)
 */
public record VaultEntry(String placeholder, String type, String sealedValue) {
    public VaultEntry {
        Objects.requireNonNull(placeholder, "placeholder");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(sealedValue, "sealedValue");
        if (placeholder.isEmpty() || placeholder.length() > 64) {
            throw new IllegalArgumentException(
                    "placeholder must be 1-64 characters, was " + placeholder.length() + " characters");
        }
        if (type.isEmpty() || type.length() > 40) {
            throw new IllegalArgumentException("type must be 1-40 characters, was '" + type + "'");
        }
    }

    @Override
    public String toString() {
        return "VaultEntry[" + placeholder + ", " + type + "]"; // never the sealed value
    }
}
