package dev.opencx.i18n;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class NoticesTest {
    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void answers_in_the_sessions_language_then_without_the_region_then_in_english() {
        Notices n = Notices.defaults();
        assertThat(n.text("cannot_help", "de")).isEqualTo("Darauf habe ich leider keine Antwort.");
        assertThat(n.text("cannot_help", "pt-BR")).isEqualTo(n.text("cannot_help", "pt"));
        assertThat(n.text("cannot_help", "pt_BR")).isEqualTo(n.text("cannot_help", "pt"));
        assertThat(n.text("cannot_help", "FR-ca")).isEqualTo(n.text("cannot_help", "fr"));
        assertThat(n.text("cannot_help", "ja")).isEqualTo("Sorry, I don't have an answer to that.");
        assertThat(n.text("cannot_help", "")).isEqualTo("Sorry, I don't have an answer to that.");
        assertThat(n.text("cannot_help", null)).isEqualTo("Sorry, I don't have an answer to that.");
    }

    @Test
    void fills_placeholders_and_keeps_unknown_ones() {
        assertThat(Notices.defaults().format("handoff", "fr", Map.of("ticket", "#4521")))
                .isEqualTo("Je transmets votre demande à notre équipe. Votre numéro de ticket est #4521 ;"
                        + " une personne vous répondra ici.");
        assertThat(Notices.defaults().format("action_done", "en", Map.of("action", "Cancel order")))
                .isEqualTo("Done: Cancel order ({values}).");
    }

    @Test
    void a_single_override_wins_for_its_locale_and_the_regions_under_it_only() {
        Notices n = Notices.builder()
                .override("cannot_help", "de", "Keine Ahnung, tut mir leid.")
                .override("cannot_help", "pt-BR", "Desculpe, não sei responder isso.")
                .build();
        assertThat(n.text("cannot_help", "de-CH")).isEqualTo("Keine Ahnung, tut mir leid.");
        assertThat(n.text("cannot_help", "pt-BR")).isEqualTo("Desculpe, não sei responder isso.");
        assertThat(n.text("cannot_help", "pt-PT")).isEqualTo("Lamento, não tenho uma resposta para isso.");
        assertThat(n.text("cannot_help", "en")).isEqualTo("Sorry, I don't have an answer to that.");
    }

    @Test
    void an_override_bundle_wins_locale_by_locale_and_leaves_other_keys_alone() {
        Notices n = Notices.builder()
                .overrideBundle("dev.opencx.i18n.test.custom", loader)
                .build();
        assertThat(n.text("handoff", "de")).isEqualTo("Einen Moment, eine Kollegin übernimmt (Ticket {ticket}).");
        assertThat(n.text("cannot_help", "en")).isEqualTo("No answer here, sorry.");
        // our German text beats the user's English one for a German customer
        assertThat(n.text("cannot_help", "de")).isEqualTo("Darauf habe ich leider keine Antwort.");
        assertThat(n.text("handoff", "es")).startsWith("Paso tu consulta");
    }

    @Test
    void a_single_override_beats_an_override_bundle() {
        Notices n = Notices.builder()
                .overrideBundle("dev.opencx.i18n.test.custom", loader)
                .override("handoff", "de", "Sofort: {ticket}")
                .build();
        assertThat(n.text("handoff", "de")).isEqualTo("Sofort: {ticket}");
    }

    @Test
    void a_module_registers_its_own_keys_by_base_name_and_class_loader() {
        Notices n =
                Notices.builder().bundle("dev.opencx.i18n.test.module", loader).build();
        assertThat(n.keys()).contains("csat_ask", "handoff");
        assertThat(n.text("csat_ask", "fr-BE")).isEqualTo("Comment avons-nous fait ? Répondez de 1 à 5.");
        assertThat(n.text("csat_ask", "de")).isEqualTo("How did we do? Answer 1 to 5.");
    }

    @Test
    void refuses_unknown_keys_blank_texts_and_bundles_without_an_english_base() {
        assertThatThrownBy(() -> Notices.builder().override("handof", "de", "x").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown notice 'handof'")
                .hasMessageContaining("handoff");
        assertThatThrownBy(() -> Notices.defaults().text("nope", "en"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown notice 'nope'");
        assertThatThrownBy(() -> Notices.builder().override("handoff", "de", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> Notices.builder().override("handoff", "", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("locale must name a language");
        assertThatThrownBy(() -> Notices.builder()
                        .bundle("dev.opencx.i18n.test.missing", loader)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dev.opencx.i18n.test.missing");
    }
}
