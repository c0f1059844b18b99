package dev.opencx.connect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The published vectors of PROTOCOLS.md §0 that these helpers compute directly. */
class SignaturesTest {

    @Test
    void computes_slacks_published_v0_signature() {
        String body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
        String sig = "v0="
                + Signatures.hex(Signatures.hmacSha256("8f742231b10e8888abcd99yyyzzz85a5", "v0:1531420618:" + body));
        assertThat(sig).isEqualTo("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    }

    @Test
    void computes_metas_sha256_signature_over_the_raw_body() {
        byte[] body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
        assertThat("sha256=" + Signatures.hex(Signatures.hmacSha256("app_secret", body)))
                .isEqualTo("sha256=c236c758c9b2bd40b388a550eeca09eaca72384dd0aa5e7c31d19cddac5bba46");
    }

    @Test
    void computes_twilios_json_body_hash_and_sha1_signature() {
        byte[] body = "{\"property\": \"value\", \"boolean\": true}".getBytes(StandardCharsets.UTF_8);
        assertThat(Signatures.hex(Signatures.sha256(body)))
                .isEqualTo("0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620");
        String data = "https://mycompany.com/myapp.php?foo=1&bar=2CallSidCA1234567890ABCDECaller+14158675309"
                + "Digits1234From+14158675309To+18005551212";
        assertThat(Signatures.base64(Signatures.hmacSha1("12345", data.getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    }

    @Test
    void compares_only_equal_non_empty_strings_as_equal() {
        assertThat(Signatures.equalsConstantTime("sha256=ab", "sha256=ab")).isTrue();
        assertThat(Signatures.equalsConstantTime("sha256=ab", "sha256=ac")).isFalse();
        assertThat(Signatures.equalsConstantTime("sha256=ab", "sha256=a")).isFalse();
        assertThat(Signatures.equalsConstantTime("", "")).isFalse();
        assertThat(Signatures.equalsConstantTime("x", null)).isFalse();
    }
}
