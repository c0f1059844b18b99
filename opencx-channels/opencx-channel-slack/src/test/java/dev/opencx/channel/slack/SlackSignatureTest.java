package dev.opencx.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlackSignatureTest {
    // Slack's published example ("Verifying requests from Slack"), also in slackapi/java-slack-sdk
    // SlackSignatureTest and python-slack-sdk test_signature_verifier.py (MIT)
    static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
    static final String TIMESTAMP = "1531420618";
    static final byte[] BODY =
            ("token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
                            + "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
                            + "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
                            + "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c")
                    .getBytes(StandardCharsets.UTF_8);
    static final String EXPECTED = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";

    private static Clock at(long epochSecond) {
        return Clock.fixed(Instant.ofEpochSecond(epochSecond), ZoneOffset.UTC);
    }

    @Test
    void signs_slacks_published_example_exactly() {
        assertThat(SlackSignature.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void accepts_the_published_example_at_its_own_time() {
        SlackSignature check = SlackSignature.of(List.of(SECRET), at(1531420618L));
        assertThat(check.refusal(TIMESTAMP, EXPECTED, BODY)).isEmpty();
    }

    @Test
    void accepts_a_request_exactly_five_minutes_old_or_early_and_refuses_one_second_more() {
        assertThat(SlackSignature.of(List.of(SECRET), at(1531420618L + 300)).refusal(TIMESTAMP, EXPECTED, BODY))
                .isEmpty();
        assertThat(SlackSignature.of(List.of(SECRET), at(1531420618L - 300)).refusal(TIMESTAMP, EXPECTED, BODY))
                .isEmpty();
        assertThat(SlackSignature.of(List.of(SECRET), at(1531420618L + 301)).refusal(TIMESTAMP, EXPECTED, BODY))
                .hasValueSatisfying(r -> assertThat(r).contains("301 s").contains("replay"));
        assertThat(SlackSignature.of(List.of(SECRET), at(1531420618L - 301)).refusal(TIMESTAMP, EXPECTED, BODY))
                .hasValueSatisfying(r -> assertThat(r).contains("replay"));
    }

    @Test
    void refuses_a_changed_body_a_changed_timestamp_and_another_secret() {
        SlackSignature check = SlackSignature.of(List.of(SECRET), at(1531420618L));
        byte[] changed = BODY.clone();
        changed[changed.length - 1] = '0';
        assertThat(check.refusal(TIMESTAMP, EXPECTED, changed))
                .hasValueSatisfying(r -> assertThat(r).contains("does not match"));
        assertThat(check.refusal("1531420619", EXPECTED, BODY)).isPresent();
        assertThat(SlackSignature.of(List.of("another-secret-0000000000000000"), at(1531420618L))
                        .refusal(TIMESTAMP, EXPECTED, BODY))
                .isPresent();
    }

    @Test
    void accepts_the_previous_secret_while_rotating() {
        SlackSignature check = SlackSignature.of(List.of("the-new-secret-after-rotation-01", SECRET), at(1531420618L));
        assertThat(check.refusal(TIMESTAMP, EXPECTED, BODY)).isEmpty();
    }

    @Test
    void explains_missing_and_malformed_headers_without_quoting_the_expected_signature() {
        SlackSignature check = SlackSignature.of(List.of(SECRET), at(1531420618L));
        assertThat(check.refusal(null, EXPECTED, BODY)).contains("X-Slack-Request-Timestamp is missing");
        assertThat(check.refusal(TIMESTAMP, null, BODY)).contains("X-Slack-Signature is missing");
        assertThat(check.refusal("yesterday", EXPECTED, BODY))
                .hasValueSatisfying(r -> assertThat(r).contains("whole seconds"));
        assertThat(check.refusal(TIMESTAMP, "v1=" + EXPECTED.substring(3), BODY))
                .hasValueSatisfying(r -> assertThat(r).contains("v0"));
        assertThat(check.refusal(TIMESTAMP, "v0=00", BODY))
                .hasValueSatisfying(
                        r -> assertThat(r).doesNotContain(EXPECTED.substring(3)).doesNotContain(SECRET));
    }

    @Test
    void never_shows_a_secret() {
        assertThat(SlackSignature.of(List.of(SECRET), Clock.systemUTC()).toString())
                .doesNotContain(SECRET);
        assertThatThrownBy(() -> SlackSignature.of(List.of(" "), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
