package dev.opencx.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FormBodyTest {

    @Test
    void keeps_order_and_repeated_names_and_decodes_plus_and_percent() {
        FormBody form = FormBody.parse("Body=Ol%C3%A1+mundo&Digits=5678&Digits=1234&Empty=&Flag");
        assertThat(form.first("Body")).contains("Olá mundo");
        assertThat(form.all("Digits")).containsExactly("5678", "1234");
        assertThat(form.first("Empty")).contains("");
        assertThat(form.first("Flag")).contains("");
        assertThat(form.first("Missing")).isEmpty();
        assertThat(form.pairs()).hasSize(5);
    }

    @Test
    void refuses_a_malformed_escape_naming_it() {
        assertThatThrownBy(() -> FormBody.parse("Body=%zz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("%zz");
    }

    @Test
    void never_prints_values() {
        assertThat(FormBody.parse("From=%2B14155550100").toString()).doesNotContain("4155550100");
    }
}
