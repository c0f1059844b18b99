package dev.opencx.conversation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Identities are canonical from construction: every later check and lookup sees the same value. */
class IdentityTest {

    @Test
    void spaces_around_a_value_never_make_another_identity() {
        assertThat(Identity.custom(" alice ")).isEqualTo(Identity.custom("alice"));
        assertThat(Identity.custom("\u00a0alice\u2003")).isEqualTo(Identity.custom("alice"));
        assertThat(Identity.custom("\u200balice\ufeff")).isEqualTo(Identity.custom("alice"));
        assertThat(Identity.custom("\talice\n").key()).isEqualTo("custom:alice");
        assertThat(Identity.custom("Alice")).as("custom ids keep their case").isNotEqualTo(Identity.custom("alice"));
        assertThat(Identity.custom("a b").value()).isEqualTo("a b");
    }

    @Test
    void e_mail_is_case_folded_and_phone_is_e164_whatever_the_separators() {
        assertThat(Identity.email("  Ana.Lima@Example.COM ").value()).isEqualTo("ana.lima@example.com");
        assertThat(Identity.phone(" +44 (20) 7946-0958 ").value()).isEqualTo("+442079460958");
        assertThat(Identity.phone("+44\u00a020\u00a07946\u00a00958").value()).isEqualTo("+442079460958");
        assertThat(Identity.parseKey("email: Ana@Example.com ")).isEqualTo(Identity.email("ana@example.com"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u00a0", "\u200b\ufeff", "\u2003 \u3000"})
    void a_value_that_is_blank_once_trimmed_is_refused_clearly(String blank) {
        assertThatThrownBy(() -> Identity.custom(blank))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("custom identity is blank");
        assertThatThrownBy(() -> Identity.email(blank)).hasMessageContaining("email identity is blank");
        assertThatThrownBy(() -> Identity.phone(blank)).hasMessageContaining("phone identity is blank");
    }

    @Test
    void control_characters_inside_a_value_and_overlong_ids_are_refused() {
        assertThatThrownBy(() -> Identity.custom("ali\nce"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("control character at index 3");
        assertThatThrownBy(() -> Identity.custom("a\u0000b")).hasMessageContaining("control character");
        assertThatThrownBy(() -> Identity.custom("x".repeat(201))).hasMessageContaining("had 201 characters");
        assertThat(Identity.custom(" " + "x".repeat(200) + " ").value()).hasSize(200);
        assertThatThrownBy(() -> Identity.email("not-an-address")).hasMessageContaining("not an e-mail address");
        assertThatThrownBy(() -> Identity.phone("0044 20 7946")).hasMessageContaining("E.164");
    }
}
