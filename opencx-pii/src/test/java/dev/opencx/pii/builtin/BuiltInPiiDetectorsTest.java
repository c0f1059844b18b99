package dev.opencx.pii.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import dev.opencx.pii.PiiType;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BuiltInPiiDetectorsTest {
    private static final PiiDetector ALL = BuiltInPiiDetectors.all();

    /** The texts of the spans of {@code type} found in {@code text}. */
    private static List<String> found(String text, PiiType type) {
        return dev.opencx.pii.PiiDetectors.resolveOverlaps(ALL.detect(text)).stream()
                .filter(s -> s.type().equals(type))
                .map(s -> text.substring(s.start(), s.end()))
                .toList();
    }

    private static List<String> all(String text) {
        return dev.opencx.pii.PiiDetectors.resolveOverlaps(ALL.detect(text)).stream()
                .map(s -> text.substring(s.start(), s.end()))
                .toList();
    }

    // ---- email ----

    @Test
    void finds_email_addresses_including_plus_tags_subdomains_and_unicode() {
        assertThat(found("write to ana.lima+shop@mail.example.co.uk, or to josé@correo.es.", PiiType.EMAIL))
                .containsExactly("ana.lima+shop@mail.example.co.uk", "josé@correo.es");
        assertThat(found("the @ sign and user@localhost are not addresses", PiiType.EMAIL))
                .isEmpty();
    }

    // ---- phone ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "+44 20 7946 0958",
                "+1 (415) 555-0132",
                "+49 30 901820",
                "+33 1 42 68 53 00",
                "+81 3-3224-9999",
                "+55 11 91234-5678",
                "0044 20 7946 0958"
            })
    void finds_international_phone_numbers(String phone) {
        assertThat(found("call me on " + phone + " after 5", PiiType.PHONE)).containsExactly(phone);
    }

    @Test
    void finds_national_numbers_of_the_configured_regions_and_labelled_local_numbers() {
        assertThat(found("my number is (415) 555-0132", PiiType.PHONE)).containsExactly("(415) 555-0132");
        assertThat(found("Tel: 030 901820", PiiType.PHONE)).containsExactly("030 901820");
        assertThat(found("Phone:\n467 3395", PiiType.PHONE)).containsExactly("467 3395");
    }

    @Test
    void order_numbers_prices_dates_and_bare_digit_runs_are_not_phones() {
        assertThat(found("Order #4155550132 is late", PiiType.PHONE)).isEmpty();
        assertThat(found("order number 4155550132", PiiType.PHONE)).isEmpty();
        assertThat(found("it cost $4155550132 in total", PiiType.PHONE)).isEmpty();
        assertThat(found("the tracking code is 4155550132", PiiType.PHONE)).isEmpty();
        assertThat(found("delivered on 12/05/2024", PiiType.PHONE)).isEmpty();
        assertThat(found("I have 4155550132 points", PiiType.PHONE)).isEmpty();
    }

    // ---- payment cards ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "4111 1111 1111 1111",
                "4111-1111-1111-1111",
                "5500005555555559",
                "378282246310005",
                "6011111111111117",
                "3530111333300000"
            })
    void finds_card_numbers_with_a_valid_luhn_digit(String card) {
        assertThat(found("pay with " + card + " please", PiiType.CARD)).containsExactly(card);
    }

    @Test
    void a_wrong_luhn_digit_or_an_unknown_issuer_without_a_card_cue_is_not_a_card() {
        assertThat(found("pay with 4111 1111 1111 1112 please", PiiType.CARD)).isEmpty();
        assertThat(found("reference 7000000000000005", PiiType.CARD))
                .as("Luhn-valid, no issuer, no cue")
                .isEmpty();
        assertThat(found("my card 7000000000000005 was declined", PiiType.CARD)).containsExactly("7000000000000005");
    }

    // ---- IBAN ----

    @Test
    void finds_ibans_with_a_valid_check_in_any_case_and_grouping() {
        assertThat(found("IBAN DE89 3704 0044 0532 0130 00 thanks", PiiType.IBAN))
                .containsExactly("DE89 3704 0044 0532 0130 00");
        assertThat(found("send to GB29NWBK60161331926819.", PiiType.IBAN)).containsExactly("GB29NWBK60161331926819");
        assertThat(found("fr1420041010050500013m02606", PiiType.IBAN)).containsExactly("fr1420041010050500013m02606");
    }

    @Test
    void an_iban_with_a_wrong_check_or_length_is_not_found() {
        assertThat(found("IBAN DE89 3704 0044 0532 0130 01", PiiType.IBAN)).isEmpty();
        assertThat(found("GB29NWBK6016133192681", PiiType.IBAN)).isEmpty();
    }

    // ---- SSN ----

    @Test
    void finds_us_social_security_numbers_and_rejects_impossible_ones() {
        assertThat(found("SSN 123-45-6789", PiiType.SSN)).containsExactly("123-45-6789");
        assertThat(found("my social security number is 123456789", PiiType.SSN)).containsExactly("123456789");
        assertThat(found("000-12-3456 666-12-3456 912-12-3456 123-00-4567 123-45-0000", PiiType.SSN))
                .isEmpty();
        assertThat(found("invoice 123456789", PiiType.SSN))
                .as("9 digits without a cue")
                .isEmpty();
    }

    // ---- IP addresses ----

    @Test
    void finds_ipv4_and_ipv6_addresses() {
        assertThat(found("from 192.168.1.20 and 10.0.0.1.", PiiType.IP_ADDRESS))
                .containsExactly("192.168.1.20", "10.0.0.1");
        assertThat(found("client 2001:db8:85a3::8a2e:370:7334 connected", PiiType.IP_ADDRESS))
                .containsExactly("2001:db8:85a3::8a2e:370:7334");
        assertThat(found("full 2001:0db8:0000:0000:0000:ff00:0042:8329 and ::1 and fe80::1%eth0", PiiType.IP_ADDRESS))
                .containsExactly("2001:0db8:0000:0000:0000:ff00:0042:8329", "::1", "fe80::1%eth0");
        assertThat(found("mapped ::ffff:192.0.2.128 ok", PiiType.IP_ADDRESS)).containsExactly("::ffff:192.0.2.128");
    }

    @Test
    void times_versions_and_invalid_addresses_are_not_ips() {
        assertThat(found("at 12:30:45 today, version 1.2.3.4, 256.1.1.1, std::vector", PiiType.IP_ADDRESS))
                .isEmpty();
        assertThat(found("1:2:3:4:5:6:7:8:9 and 12345::1", PiiType.IP_ADDRESS)).isEmpty();
    }

    // ---- credentials ----

    @Test
    void finds_api_keys_by_prefix_bearer_tokens_and_assigned_passwords() {
        assertThat(found("key sk-proj-abcdefghijklmnopqrstuvwx123 and AKIAIOSFODNN7EXAMPLE", PiiType.CREDENTIAL))
                .containsExactly("sk-proj-abcdefghijklmnopqrstuvwx123", "AKIAIOSFODNN7EXAMPLE");
        assertThat(found("ghp_abcdefghijklmnopqrstuvwxyz0123456789 xoxb-123456789012-abcdefghij", PiiType.CREDENTIAL))
                .hasSize(2);
        assertThat(found("Authorization: Bearer eyJhbGciOi.J9eyJzdWIiOiIx.abc123def456", PiiType.CREDENTIAL))
                .hasSize(1);
        assertThat(found("password: hunter2", PiiType.CREDENTIAL)).containsExactly("hunter2");
        assertThat(found("my password is Tr0ub4dor&3 ok", PiiType.CREDENTIAL)).containsExactly("Tr0ub4dor&3");
        assertThat(found("api_key=9f8e7d6c5b4a", PiiType.CREDENTIAL)).containsExactly("9f8e7d6c5b4a");
    }

    @Test
    void finds_high_entropy_tokens_but_not_ordinary_words_or_sentences_about_passwords() {
        assertThat(found("use aZ3kP9qL2mN8vB5xR7tY1wE4 to sign in", PiiType.CREDENTIAL))
                .containsExactly("aZ3kP9qL2mN8vB5xR7tY1wE4");
        assertThat(found("my password is not working", PiiType.CREDENTIAL)).isEmpty();
        assertThat(found("I reset the password yesterday", PiiType.CREDENTIAL)).isEmpty();
        assertThat(found("internationalization-configuration", PiiType.CREDENTIAL))
                .isEmpty();
    }

    // ---- dates of birth and ages ----

    @Test
    void finds_dates_of_birth_after_a_cue_and_ages() {
        assertThat(found("I was born on 7/30/1964", PiiType.DATE_OF_BIRTH)).containsExactly("7/30/1964");
        assertThat(found("DOB: 1990-02-14", PiiType.DATE_OF_BIRTH)).containsExactly("1990-02-14");
        assertThat(found("date of birth March 3, 1985", PiiType.DATE_OF_BIRTH)).containsExactly("March 3, 1985");
        assertThat(found("delivered on 7/30/2024", PiiType.DATE_OF_BIRTH)).isEmpty();
        assertThat(found("a 34-year-old customer", PiiType.AGE)).containsExactly("34");
        assertThat(found("I'll turn 40.", PiiType.AGE)).containsExactly("40");
        assertThat(found("I have 3 years of warranty left", PiiType.AGE))
                .containsExactly("3")
                .as("a known limit");
    }

    // ---- addresses ----

    @Test
    void finds_street_addresses_in_several_languages() {
        assertThat(found("ship it to 221B Baker Street, London", PiiType.ADDRESS))
                .contains("221B Baker Street");
        assertThat(found("Ich wohne in der Pohlstrasse 9 in Berlin", PiiType.ADDRESS))
                .contains("Pohlstrasse 9");
        assertThat(found("moro na Rua Augusta 120", PiiType.ADDRESS)).contains("Rua Augusta 120");
        assertThat(found("adres: ul. Narewska 94", PiiType.ADDRESS)).contains("ul. Narewska 94");
        assertThat(found("j'habite 12 rue de la Paix", PiiType.ADDRESS)).isNotEmpty();
        assertThat(found("Apt. 4B, 350 Fifth Avenue", PiiType.ADDRESS)).contains("350 Fifth Avenue");
        assertThat(found("send it to P.O. Box 211", PiiType.ADDRESS)).contains("P.O. Box 211");
        assertThat(found("my zip code is 90210", PiiType.POSTAL_CODE)).containsExactly("90210");
    }

    @Test
    void quantities_and_prices_are_not_addresses() {
        assertThat(found("I ordered 3 items on the way to work", PiiType.ADDRESS))
                .isEmpty();
        assertThat(found("It costs 25 dollars and weighs 3 kg", PiiType.ADDRESS))
                .isEmpty();
    }

    // ---- names ----

    @Test
    void finds_names_from_context_cues() {
        assertThat(found("Hi, my name is Ana Lima and I need help", PiiType.PERSON))
                .containsExactly("Ana Lima");
        assertThat(found("Please correct it to Mr. Yusuf Demir?", PiiType.PERSON))
                .containsExactly("Yusuf Demir");
        assertThat(found("Bot: What's your last name? User: Okonkwo", PiiType.PERSON))
                .containsExactly("Okonkwo");
        assertThat(found("Dear Sigrid,\nthanks for writing", PiiType.PERSON)).containsExactly("Sigrid");
        assertThat(found("call me zanele please", PiiType.PERSON)).containsExactly("zanele");
    }

    @Test
    void finds_names_from_the_gazetteer_and_capitalization() {
        assertThat(found("I spoke with Priya Sharma yesterday", PiiType.PERSON)).containsExactly("Priya Sharma");
        assertThat(found("Yesterday Kenji Watanabe called", PiiType.PERSON)).containsExactly("Kenji Watanabe");
        assertThat(found("They had 3: Olga, Thabo and Mateo.", PiiType.PERSON))
                .containsExactly("Olga", "Thabo", "Mateo");
        assertThat(found("Jean-Pierre K. Dubois will call", PiiType.PERSON)).containsExactly("Jean-Pierre K. Dubois");
    }

    @Test
    void common_capitalized_words_are_not_names() {
        assertThat(found("Where is my order? The Package arrived on Monday in March.", PiiType.PERSON))
                .isEmpty();
        assertThat(found("I will hope for the best, may it arrive in June", PiiType.PERSON))
                .isEmpty();
    }

    // ---- composite ----

    @Test
    void user_patterns_and_disabled_types() {
        PiiDetector d = BuiltInPiiDetectors.builder()
                .pattern(PiiType.of("ORDER_NUMBER"), "\\bORD-\\d{6}\\b")
                .without(PiiType.URL)
                .build();
        String text = "ORD-123456 see https://shop.example/track";
        assertThat(d.detect(text)).extracting(PiiSpan::type).containsExactly(PiiType.of("ORDER_NUMBER"));
        assertThatThrownBy(() -> BuiltInPiiDetectors.builder().phoneRegions("XX"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'XX'");
        assertThatThrownBy(() -> BuiltInPiiDetectors.builder().minConfidence(2)).hasMessageContaining("2.0");
    }

    @Test
    void spans_never_overlap_and_plain_support_questions_have_none() {
        String text = "Ana Lima, ana@example.com, +44 20 7946 0958, 221B Baker Street";
        List<PiiSpan> spans = dev.opencx.pii.PiiDetectors.resolveOverlaps(ALL.detect(text));
        for (int i = 1; i < spans.size(); i++) {
            assertThat(spans.get(i).start())
                    .isGreaterThanOrEqualTo(spans.get(i - 1).end());
        }
        assertThat(all("How long does a refund take? My order 12345 costs 49.99 EUR."))
                .isEmpty();
        assertThat(all("Do you ship to my country? I bought 2 pairs of shoes for $120."))
                .isEmpty();
    }
}
