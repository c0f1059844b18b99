package dev.opencx.pii.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiDetectors;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.pii.PiiType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Card security codes and expiry dates: the ways people type them, and what must not be taken for them. */
class CardDetailsDetectorTest {
    private static final PiiDetector ALL = BuiltInPiiDetectors.all();

    /** "TYPE=text" of every span after overlaps are resolved, in order. */
    private static List<String> spans(String text) {
        return PiiDetectors.resolveOverlaps(ALL.detect(text)).stream()
                .map(s -> s.type() + "=" + text.substring(s.start(), s.end()))
                .toList();
    }

    private static String redacted(String text) {
        return PiiRedactor.redact(text, ALL.detect(text), PiiPolicy.defaults(), Map.of())
                .text();
    }

    // ---- after a keyword ----

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "cvv: 123                                     | 123",
                "CVV 123                                      | 123",
                "CVC 1234                                     | 1234",
                "cvv2=321                                     | 321",
                "CVC2: 0456                                   | 0456",
                "my security code is 123, thanks              | 123",
                "the cvv on the back is 987                   | 987",
                "the 3 digit code on the back: 555            | 555",
                "card security code - 4321                    | 4321",
                "cvv number is 741.                           | 741",
                "código de seguridad 456                      | 456",
                "código de segurança: 456                     | 456",
                "codice di sicurezza 456                      | 456",
                "cryptogramme visuel 456                      | 456",
                "code de sécurité : 456                       | 456",
                "Prüfnummer 789                               | 789",
                "Kartenprüfnummer (CVC): 789                  | 789",
                "Sicherheitscode 789                          | 789",
                "beveiligingscode 789                         | 789",
            })
    void finds_a_security_code_after_its_keyword(String text, String code) {
        assertThat(spans(text)).contains("CARD_SECURITY_CODE=" + code);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "exp 12/29                                    | 12/29",
                "Exp: 12/29                                   | 12/29",
                "exp. 1229                                    | 1229",
                "exp12/29                                     | 12/29",
                "expiry 12/2029                               | 12/2029",
                "expiry date: 01 / 27                         | 01 / 27",
                "expiration date 2027-11                      | 2027-11",
                "it expires 12/29                             | 12/29",
                "expires on 3/28                              | 3/28",
                "Expires December 2029                        | December 2029",
                "valid thru 09/31                             | 09/31",
                "good through 09-31                           | 09-31",
                "MM/YY: 04/30                                 | 04/30",
                "vence 12/29                                  | 12/29",
                "fecha de vencimiento 12/29                   | 12/29",
                "vto. 12/29                                   | 12/29",
                "gültig bis 12/29                             | 12/29",
                "Ablaufdatum 12.2029                          | 12.2029",
                "läuft ab 12/29                               | 12/29",
                "date d'expiration 12/29                      | 12/29",
                "expire fin 12/29                             | 12/29",
                "validade 12/29                               | 12/29",
                "válido até 12/29                             | 12/29",
                "data di scadenza 12/29                       | 12/29",
                "scade 12/29                                  | 12/29",
                "vervaldatum 12/29                            | 12/29",
            })
    void finds_an_expiry_date_after_its_keyword(String text, String date) {
        assertThat(spans(text)).contains("CARD_EXPIRY=" + date);
    }

    // ---- next to a card number ----

    @Test
    void takes_the_numbers_that_follow_a_card_number() {
        assertThat(spans("my card is 4111 1111 1111 1111 12/29 123"))
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_EXPIRY=12/29", "CARD_SECURITY_CODE=123");
        assertThat(spans("4111 1111 1111 1111 1229 123"))
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_EXPIRY=1229", "CARD_SECURITY_CODE=123");
        assertThat(spans("card: 5555555555554444 | 11/27 | 987"))
                .containsExactly("CARD=5555555555554444", "CARD_EXPIRY=11/27", "CARD_SECURITY_CODE=987");
        assertThat(spans("4111111111111111, 08/2026, 737"))
                .containsExactly("CARD=4111111111111111", "CARD_EXPIRY=08/2026", "CARD_SECURITY_CODE=737");
        assertThat(spans("card 4111 1111 1111 1111 and 123"))
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_SECURITY_CODE=123");
        assertThat(spans("Amex 3782 822463 10005 1234"))
                .as("4 digits after an Amex number are its code")
                .containsExactly("CARD=3782 822463 10005", "CARD_SECURITY_CODE=1234");
    }

    @Test
    void a_card_followed_by_its_code_is_still_found_as_a_card() {
        // the grouped digits run on into the code: 19 digits that fail the Luhn check as a whole
        assertThat(spans("card 4111 1111 1111 1111 123"))
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_SECURITY_CODE=123");
        assertThat(spans("visa 4111 1111 1111 1111 12")).containsExactly("CARD=4111 1111 1111 1111");
    }

    @Test
    void keywords_and_bare_numbers_mix_in_one_message() {
        assertThat(spans("Visa 4111-1111-1111-1111, exp. 1229, CVC 1234"))
                .containsExactly("CARD=4111-1111-1111-1111", "CARD_EXPIRY=1229", "CARD_SECURITY_CODE=1234");
        assertThat(spans("card 4111111111111111 exp 12/29 123"))
                .containsExactly("CARD=4111111111111111", "CARD_EXPIRY=12/29", "CARD_SECURITY_CODE=123");
        assertThat(spans("Card number: 4111 1111 1111 1111\nExpiration: 08/26\nSecurity code: 737"))
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_EXPIRY=08/26", "CARD_SECURITY_CODE=737");
        assertThat(spans("tarjeta 4111 1111 1111 1111 vence 12/29 código 123"))
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_EXPIRY=12/29", "CARD_SECURITY_CODE=123");
        assertThat(spans("Karte 4111 1111 1111 1111 gültig bis 12/29 Prüfziffer 123"))
                .as("the code is not taken for a street and house number")
                .containsExactly("CARD=4111 1111 1111 1111", "CARD_EXPIRY=12/29", "CARD_SECURITY_CODE=123");
        assertThat(spans("I need to check the CID 1234 for my Amex")).contains("CARD_SECURITY_CODE=1234");
    }

    // ---- what they are not ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "see you on 12/29",
                "order 123 arrived broken",
                "I was charged 123 dollars on my card",
                "my card ending 4242 was declined",
                "my subscription expires on 12/29/2025",
                "the offer expires in 12 days",
                "it expired 2025-12-31",
                "security code 123456 from the SMS",
                "the code is 1234",
                "use promo code 1234 at checkout",
                "I have 2 cards and 3 accounts, 120 points",
                "my experience: 12/29 was a great day",
                "export 12/29 data",
                "Room 123, 12/29 at noon",
            })
    void dates_and_numbers_far_from_a_card_or_keyword_are_left_alone(String text) {
        assertThat(spans(text)).noneMatch(s -> s.startsWith("CARD_SECURITY_CODE=") || s.startsWith("CARD_EXPIRY="));
    }

    @Test
    void amounts_counts_and_other_codes_next_to_a_card_are_left_alone() {
        assertThat(spans("card 4111 1111 1111 1111 was charged 150 EUR")).containsExactly("CARD=4111 1111 1111 1111");
        assertThat(spans("card 4111 1111 1111 1111 150 EUR twice")).containsExactly("CARD=4111 1111 1111 1111");
        assertThat(spans("error code 1234 on my card 4111 1111 1111 1111")).containsExactly("CARD=4111 1111 1111 1111");
        assertThat(spans("card 4111 1111 1111 1111 código promocional 1234"))
                .containsExactly("CARD=4111 1111 1111 1111");
        assertThat(spans("card 4111 1111 1111 1111, call me, thanks")).containsExactly("CARD=4111 1111 1111 1111");
    }

    // ---- with the default policy ----

    @Test
    void the_default_policy_redacts_them_and_never_reveals_them() {
        assertThat(redacted("pay with 4111 1111 1111 1111 exp 12/29 cvv 123"))
                .isEqualTo("pay with [CARD_1] exp [CARD_EXPIRY_1] cvv [CARD_SECURITY_CODE_1]");
        PiiPolicy p = PiiPolicy.defaults();
        for (PiiType t : List.of(PiiType.CARD_SECURITY_CODE, PiiType.CARD_EXPIRY)) {
            assertThat(p.redacts(t)).isTrue();
            for (PiiDestination d : PiiDestination.values()) {
                assertThat(p.reveals(t, d)).as(t + " to " + d).isFalse();
            }
        }
    }

    @Test
    void the_types_can_be_turned_off_like_any_built_in_type() {
        PiiDetector noDetails = BuiltInPiiDetectors.builder()
                .without(PiiType.CARD_SECURITY_CODE, PiiType.CARD_EXPIRY)
                .build();
        String text = "4111 1111 1111 1111 12/29 123";
        assertThat(noDetails.detect(text)).extracting(s -> s.type()).containsExactly(PiiType.CARD);
    }
}
