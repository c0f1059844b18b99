package dev.opencx.pii.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.pii.PiiDetector;
import dev.opencx.pii.PiiSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Card security codes and expiry dates on sentences written after {@link CardDetailsDetector} was
 * finished, by someone who had not read its rules: a held-out check, not a tuning set. Do not change
 * the detector to pass a miss listed here; add new held-out sentences instead and report the figure.
 * On 2026-12-07 it found 19 of 21 (missed "sec code: 3321" and "verification code on the card: 314")
 * with no false positive among 12 look-alikes.
 */
class CardDetailsHeldOutTest {
    private static final PiiDetector DETECTOR = BuiltInPiiDetectors.builder().build();

    private static final List<String> CODES = List.of(
            "the 3 digits on the back are 482",
            "CVV2=917",
            "sec code: 3321",
            "card 5500 0000 0000 0004, cvc is 771",
            "código de seguridad 245",
            "Kartenprüfnummer 118",
            "cryptogramme 532",
            "codice di sicurezza 609",
            "my visa 4111111111111111 exp 03/27 cvv 088",
            "verification code on the card: 314",
            "card security number 902");

    private static final List<String> EXPIRIES = List.of(
            "expiration date 11/2028",
            "it expires in 04/26",
            "valid until 09/30",
            "fecha de caducidad 10/27",
            "Ablaufdatum 05/29",
            "date d'expiration 12/26",
            "scadenza 02/28",
            "4111 1111 1111 1111 exp: 0729",
            "good thru 08-27",
            "exp date is march 2027");

    private static final List<String> LOOK_ALIKES = List.of(
            "my order 1042 arrived on 12/29",
            "I paid 123 euros",
            "room 482 please",
            "the promo code 771 did not work",
            "meeting on 05/29 at 3pm",
            "it was valid until last week",
            "my zip code is 94107",
            "I called 3 times in 12/2025",
            "version 3.2.1 crashes",
            "table 12/30 is booked",
            "flight 447 was late",
            "the verification code you sent was 553210");

    @Test
    void finds_most_card_details_it_was_not_written_from_and_leaves_look_alikes_alone() {
        List<String> misses = new ArrayList<>();
        CODES.stream().filter(t -> !has(t, "CARD_SECURITY_CODE")).forEach(misses::add);
        EXPIRIES.stream().filter(t -> !has(t, "CARD_EXPIRY")).forEach(misses::add);
        List<String> falsePositives =
                LOOK_ALIKES.stream().filter(t -> has(t, "CARD_")).toList();
        int total = CODES.size() + EXPIRIES.size();
        System.out.printf(
                Locale.ROOT,
                "card details held out: found %d of %d, false positives %d of %d; missed %s%n",
                total - misses.size(),
                total,
                falsePositives.size(),
                LOOK_ALIKES.size(),
                misses);
        assertThat(total - misses.size()).as("found, missed: %s", misses).isGreaterThanOrEqualTo(17);
        assertThat(falsePositives).isEmpty();
    }

    private static boolean has(String text, String typePrefix) {
        for (PiiSpan s : DETECTOR.detect(text)) {
            if (s.type().name().startsWith(typePrefix)) {
                return true;
            }
        }
        return false;
    }
}
