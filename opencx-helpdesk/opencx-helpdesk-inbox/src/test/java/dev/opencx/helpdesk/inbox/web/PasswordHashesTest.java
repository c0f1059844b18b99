package dev.opencx.helpdesk.inbox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashesTest {

    @Test
    void a_hash_verifies_its_password_only_and_salts_every_hash() {
        char[] pw = "a long passphrase for maria".toCharArray();
        String a = PasswordHashes.hash(pw, PasswordHashes.MIN_ITERATIONS);
        String b = PasswordHashes.hash(pw, PasswordHashes.MIN_ITERATIONS);
        assertThat(a).startsWith("pbkdf2-sha256$10000$").isNotEqualTo(b);
        assertThat(PasswordHashes.verify(pw, a)).isTrue();
        assertThat(PasswordHashes.verify(pw, b)).isTrue();
        assertThat(PasswordHashes.verify("a long passphrase for mariA".toCharArray(), a))
                .isFalse();
        assertThat(PasswordHashes.verify(
                        "ünïcødé passwörd ✓".toCharArray(),
                        PasswordHashes.hash("ünïcødé passwörd ✓".toCharArray(), 10_000)))
                .isTrue();
        assertThat(PasswordHashes.iterations(InboxRig.MARIA_HASH)).isEqualTo(PasswordHashes.DEFAULT_ITERATIONS);
    }

    @Test
    void bad_hashes_and_settings_are_refused_with_the_reason() {
        assertThatThrownBy(() -> PasswordHashes.verify("x".toCharArray(), "plaintext"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pbkdf2-sha256$ITERATIONS$SALT$KEY");
        assertThatThrownBy(() -> PasswordHashes.checkEncoded("pbkdf2-sha256$1000$AAAAAAAAAAAAAAAAAAAAAA$AAAA"))
                .hasMessage("PBKDF2 iterations must be from 10000 to 10000000, was 1000");
        assertThatThrownBy(() -> PasswordHashes.checkEncoded("pbkdf2-sha256$10000$!!$AAAA"))
                .hasMessage("the hash's salt or key is not Base64");
        assertThatThrownBy(() -> PasswordHashes.hash(new char[0])).hasMessage("password is empty");
        assertThatThrownBy(() -> AgentAccount.withPassword("maria", "Maria", "short".toCharArray()))
                .hasMessage("agent password must have at least 12 characters, had 5");
        assertThatThrownBy(() -> AgentAccount.of("Maria Silva", "Maria", InboxRig.MARIA_HASH))
                .hasMessageContaining("was 'Maria Silva'");
        assertThat(AgentAccount.of("maria", "Maria", InboxRig.MARIA_HASH).toString())
                .doesNotContain("pbkdf2");
    }
}
