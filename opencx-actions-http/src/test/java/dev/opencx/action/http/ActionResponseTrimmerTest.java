package dev.opencx.action.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ActionResponseTrimmerTest {

    @Test
    void keeps_a_small_body_as_it_is() {
        ResponseTrimmer.Trimmed trimmed = ResponseTrimmer.trim("{\"a\":[1,2]}", List.of(), 20, 4000);
        assertThat(trimmed.text()).isEqualTo("{\"a\":[1,2]}");
        assertThat(trimmed.truncated()).isFalse();
    }

    @Test
    void shortens_arrays_further_until_the_body_fits_the_cap() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 20; i++) {
            json.append(i == 0 ? "" : ",").append("\"").append("w".repeat(20)).append('"');
        }
        ResponseTrimmer.Trimmed trimmed = ResponseTrimmer.trim(json.append(']').toString(), List.of(), 20, 200);
        assertThat(trimmed.truncated()).isTrue();
        assertThat(trimmed.text()).hasSizeLessThanOrEqualTo(200).contains("more items not shown (20 in all)");
        assertThat(trimmed.text()).startsWith("[\"www").endsWith("]");
    }

    @Test
    void cuts_plain_text_with_a_note() {
        ResponseTrimmer.Trimmed trimmed = ResponseTrimmer.trim("t".repeat(500), List.of(), 20, 100);
        assertThat(trimmed.text()).hasSize(100).endsWith("[cut at 100 of 500 characters]");
    }
}
