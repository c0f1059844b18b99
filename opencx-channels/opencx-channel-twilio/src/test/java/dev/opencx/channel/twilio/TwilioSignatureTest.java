package dev.opencx.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.connect.FormBody;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Twilio's own vectors (twilio-java RequestValidatorTest, PROTOCOLS.md §0). */
class TwilioSignatureTest {
    private static final String FORM = "application/x-www-form-urlencoded";
    private static final byte[] CALL =
            "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212"
                    .getBytes(StandardCharsets.UTF_8);
    private final TwilioSignature sig = TwilioSignature.of("12345");

    @Test
    void accepts_the_published_form_vector_and_refuses_a_forged_one() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertThat(sig.isValid(url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", CALL, FORM)).isTrue();
        assertThat(sig.isValid(url, "NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=", CALL, FORM))
                .isFalse();
        assertThat(sig.isValid(url, "", CALL, FORM)).isFalse();
        assertThat(TwilioSignature.of("other").isValid(url, "RSOYDt4T1cUTdK1PDd93/VVr8B8=", CALL, FORM))
                .isFalse();
    }

    @Test
    void accepts_a_url_signed_with_or_without_its_port() {
        // Twilio signed these URLs with the port; we are configured without it, or the other way round
        assertThat(sig.isValid(
                        "https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=", CALL, FORM))
                .isTrue();
        assertThat(sig.isValid(
                        "https://mycompany.com:443/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", CALL, FORM))
                .isTrue();
        assertThat(sig.isValid(
                        "http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=", CALL, FORM))
                .isTrue();
        assertThat(sig.isValid(
                        "http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=", CALL, FORM))
                .isTrue();
    }

    @Test
    void sorts_the_values_of_a_repeated_name() {
        byte[] body = "Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234".getBytes(StandardCharsets.UTF_8);
        assertThat(sig.isValid(
                        "https://mycompany.com/myapp.php?foo=1&bar=2", "IK+Dwps556ElfBT0I3Rgjkr1wJU=", body, FORM))
                .isTrue();
    }

    @Test
    void checks_a_json_body_against_its_body_sha256_and_signs_the_url_only() {
        byte[] body = "{\"property\": \"value\", \"boolean\": true}".getBytes(StandardCharsets.UTF_8);
        String url =
                "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620";
        assertThat(sig.isValid(url, "a9nBmqA0ju/hNViExpshrM61xv4=", body, "application/json"))
                .isTrue();
        byte[] tampered = "{\"property\": \"other\", \"boolean\": true}".getBytes(StandardCharsets.UTF_8);
        assertThat(sig.isValid(url, "a9nBmqA0ju/hNViExpshrM61xv4=", tampered, "application/json"))
                .isFalse();
    }

    @Test
    void accepts_the_previous_token_while_rotating_and_signs_like_twilio() {
        TwilioSignature rotating = TwilioSignature.of("new-token", "12345");
        assertThat(rotating.isValid(
                        "https://mycompany.com/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=", CALL, FORM))
                .isTrue();
        assertThat(sig.sign("https://mycompany.com/myapp.php?foo=1&bar=2", FormBody.parse(CALL)))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertThat(rotating.toString()).doesNotContain("12345");
    }
}
