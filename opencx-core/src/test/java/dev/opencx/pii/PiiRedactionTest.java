package dev.opencx.pii;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PiiRedactionTest {
    private static final PiiDetector EMAILS = PiiDetectors.pattern(PiiType.EMAIL, "[\\w.]+@[\\w.]+\\.\\w+");
    private static final PiiDetector CARDS = PiiDetectors.pattern(PiiType.CARD, "\\b\\d{4}(?: \\d{4}){3}\\b");
    private static final PiiDetector BOTH = PiiDetectors.composite(List.of(EMAILS, CARDS));

    private static PiiRedactor.Result redact(
            String text, PiiPolicy policy, Map<String, PiiRedactor.Placeholder> known) {
        return PiiRedactor.redact(text, BOTH.detect(text), policy, known);
    }

    // ---- redaction ----

    @Test
    void replaces_spans_by_numbered_typed_placeholders_and_the_same_value_by_the_same_placeholder() {
        PiiRedactor.Result r = redact("a@x.io, b@x.io, A@X.IO and 4111 1111 1111 1111", PiiPolicy.defaults(), Map.of());

        assertThat(r.text()).isEqualTo("[EMAIL_1], [EMAIL_2], [EMAIL_1] and [CARD_1]");
        assertThat(r.counts()).containsExactlyInAnyOrderEntriesOf(Map.of("EMAIL", 3, "CARD", 1));
        assertThat(r.created())
                .extracting(PiiRedactor.Placeholder::placeholder)
                .containsExactly("[EMAIL_1]", "[EMAIL_2]", "[CARD_1]");
        assertThat(r.toString()).doesNotContain("a@x.io");
    }

    @Test
    void known_placeholders_of_the_session_are_reused_and_numbering_continues() {
        Map<String, PiiRedactor.Placeholder> known = new LinkedHashMap<>();
        known.put("[EMAIL_1]", new PiiRedactor.Placeholder("[EMAIL_1]", PiiType.EMAIL, "a@x.io"));
        known.put("[EMAIL_2]", new PiiRedactor.Placeholder("[EMAIL_2]", PiiType.EMAIL, "b@x.io"));

        PiiRedactor.Result r = redact("c@x.io then b@x.io", PiiPolicy.defaults(), known);

        assertThat(r.text()).isEqualTo("[EMAIL_3] then [EMAIL_2]");
        assertThat(r.created()).extracting(PiiRedactor.Placeholder::placeholder).containsExactly("[EMAIL_3]");
    }

    @Test
    void kept_types_stay_in_clear_text_and_do_not_hide_a_redacted_span_inside_them() {
        PiiDetector urls = PiiDetectors.pattern(PiiType.URL, "https://\\S+");
        String text = "see https://shop.example/?mail=a@x.io";
        List<PiiSpan> spans = PiiDetectors.composite(List.of(urls, EMAILS)).detect(text);
        PiiPolicy keepUrls = PiiPolicy.builder().keep(PiiType.URL).build();

        assertThat(PiiRedactor.redact(text, spans, keepUrls, Map.of()).text())
                .isEqualTo("see https://shop.example/?mail=[EMAIL_1]");
        assertThat(PiiRedactor.redact(text, spans, PiiPolicy.off(), Map.of()).changed())
                .isFalse();
    }

    @Test
    void overlapping_spans_keep_the_longest() {
        List<PiiSpan> spans = List.of(
                PiiSpan.of(0, 5, PiiType.PERSON), PiiSpan.of(0, 9, PiiType.PERSON), PiiSpan.of(7, 12, PiiType.ADDRESS));
        assertThat(PiiDetectors.resolveOverlaps(spans)).containsExactly(PiiSpan.of(0, 9, PiiType.PERSON));
    }

    // ---- restoring ----

    @Test
    void restores_only_what_the_policy_reveals_to_the_destination() {
        PiiRedactor.Result r = redact("mail a@x.io, card 4111 1111 1111 1111", PiiPolicy.defaults(), Map.of());
        Map<String, PiiRedactor.Placeholder> vault = new LinkedHashMap<>();
        r.placeholders().forEach(p -> vault.put(p.placeholder(), p));
        PiiPolicy policy = PiiPolicy.defaults();

        assertThat(PiiRedactor.restore(r.text(), vault, policy, PiiDestination.HELPDESK))
                .isEqualTo("mail a@x.io, card [CARD_1]");
        assertThat(PiiRedactor.restore(r.text(), vault, policy, PiiDestination.MODEL))
                .isEqualTo(r.text());
        assertThat(PiiRedactor.restore(r.text(), vault, policy, PiiDestination.LOG))
                .isEqualTo(r.text());
        assertThat(PiiRedactor.restore("[EMAIL_9] and [NOT A PLACEHOLDER]", vault, policy, PiiDestination.HELPDESK))
                .isEqualTo("[EMAIL_9] and [NOT A PLACEHOLDER]");
        assertThat(PiiRedactor.restore("$1 \\ [EMAIL_1]", vault, policy, PiiDestination.ACTION))
                .isEqualTo("$1 \\ a@x.io");
    }

    // ---- policy ----

    @Test
    void the_default_policy_never_reveals_cards_ssns_or_credentials_and_keeps_locations() {
        PiiPolicy p = PiiPolicy.defaults();
        for (PiiDestination d : PiiDestination.values()) {
            assertThat(p.reveals(PiiType.CARD, d)).as("CARD to %s", d).isFalse();
            assertThat(p.reveals(PiiType.SSN, d)).isFalse();
            assertThat(p.reveals(PiiType.CREDENTIAL, d)).isFalse();
        }
        assertThat(p.reveals(PiiType.EMAIL, PiiDestination.HELPDESK)).isTrue();
        assertThat(p.reveals(PiiType.EMAIL, PiiDestination.MODEL)).isFalse();
        assertThat(p.reveals(PiiType.IBAN, PiiDestination.ACTION)).isTrue();
        assertThat(p.reveals(PiiType.IBAN, PiiDestination.HELPDESK)).isFalse();
        assertThat(p.redacts(PiiType.LOCATION)).isFalse();
        assertThat(p.redacts(PiiType.of("ORDER_NUMBER")))
                .as("unknown types are redacted")
                .isTrue();
        assertThat(PiiPolicy.off().redacts(PiiType.EMAIL)).isFalse();
    }

    @Test
    void a_policy_cannot_reveal_to_the_model_or_the_log_and_kept_types_take_no_reveal_rule() {
        assertThatThrownBy(() -> PiiPolicy.builder().reveal(PiiType.EMAIL, PiiDestination.MODEL))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MODEL")
                .hasMessageContaining("keep(type)");
        assertThatThrownBy(() -> PiiPolicy.builder().revealByDefault(PiiDestination.LOG))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PiiPolicy.builder()
                        .keep(PiiType.EMAIL)
                        .reveal(PiiType.EMAIL, PiiDestination.HELPDESK)
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EMAIL");
    }

    // ---- values ----

    @Test
    void types_and_spans_validate_their_values() {
        assertThatThrownBy(() -> PiiType.of("email")).hasMessageContaining("'email'");
        assertThatThrownBy(() -> PiiSpan.of(5, 5, PiiType.EMAIL)).hasMessageContaining("5..5");
        assertThatThrownBy(() -> new PiiSpan(0, 1, PiiType.EMAIL, 1.5)).hasMessageContaining("1.5");
        assertThatThrownBy(() -> PiiDetectors.pattern(PiiType.EMAIL, "([a-z"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EMAIL");
    }

    @Test
    void a_pattern_with_a_pii_group_marks_only_the_group() {
        PiiDetector d = PiiDetectors.pattern(PiiType.of("ORDER_NUMBER"), "order (?<pii>ORD-\\d+)");
        assertThat(d.detect("my order ORD-42 is late")).containsExactly(PiiSpan.of(9, 15, PiiType.of("ORDER_NUMBER")));
    }

    // ---- vault ----

    @Test
    void the_vault_round_trips_and_binds_a_value_to_its_session_and_placeholder() {
        PiiVault vault = PiiVault.aesGcm(PiiVault.newKey());
        String sealed = vault.seal("s1", "[EMAIL_1]", "ana@example.com");

        assertThat(sealed).doesNotContain("ana");
        assertThat(vault.open("s1", "[EMAIL_1]", sealed)).isEqualTo("ana@example.com");
        assertThat(vault.seal("s1", "[EMAIL_1]", "ana@example.com"))
                .as("fresh nonce")
                .isNotEqualTo(sealed);
        assertThatThrownBy(() -> vault.open("s2", "[EMAIL_1]", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> vault.open("s1", "[EMAIL_2]", sealed)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PiiVault.aesGcm(PiiVault.newKey()).open("s1", "[EMAIL_1]", sealed))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("ana");
        assertThatThrownBy(() -> PiiVault.aesGcm(new byte[10])).hasMessageContaining("10 bytes");
    }
}
