package dev.opencx.helpdesk.inbox.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Backoff per (name, address) and per address, on a test clock. */
class LoginThrottleTest {
    private static final String ATTACKER = "203.0.113.7";
    private static final String AGENT_HOME = "198.51.100.4";

    private final TestClock clock = new TestClock(Instant.parse("2026-01-01T09:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(clock, 3, 12, Duration.ofMinutes(1));

    @Test
    void the_free_failures_cost_nothing_then_each_failure_doubles_the_wait_up_to_the_maximum() {
        throttle.failed("maria", ATTACKER);
        throttle.failed("maria", ATTACKER);
        assertThat(throttle.waitFor("maria", ATTACKER)).isEmpty();

        List<Long> waits = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            throttle.failed("maria", ATTACKER);
            Duration wait = throttle.waitFor("maria", ATTACKER).orElseThrow();
            waits.add(wait.toSeconds());
            clock.advance(wait.minusMillis(1));
            assertThat(throttle.waitFor("maria", ATTACKER)).as("still waiting").isPresent();
            clock.advance(Duration.ofMillis(1));
            assertThat(throttle.waitFor("maria", ATTACKER))
                    .as("the wait is over")
                    .isEmpty();
        }
        assertThat(waits).containsExactly(1L, 2L, 4L, 8L, 16L, 32L, 60L, 60L, 60L);
    }

    @Test
    void another_address_is_never_slowed_by_failures_for_the_same_name() {
        for (int i = 0; i < 11; i++) {
            throttle.failed("maria", ATTACKER);
            clock.advance(throttle.waitFor("maria", ATTACKER).orElse(Duration.ZERO));
        }
        throttle.failed("maria", ATTACKER);
        assertThat(throttle.waitFor("maria", ATTACKER)).hasValue(Duration.ofMinutes(1));
        assertThat(throttle.waitFor("maria", AGENT_HOME))
                .as("the agent at home")
                .isEmpty();
        assertThat(throttle.waitFor("tom", ATTACKER))
                .as("the address as a whole: 12 failures from it")
                .hasValue(Duration.ofSeconds(1));
    }

    @Test
    void an_address_guessing_many_names_is_slowed_as_a_whole() {
        for (int i = 0; i < 11; i++) {
            throttle.failed("made-up-" + i, ATTACKER);
            assertThat(throttle.waitFor("made-up-" + (i + 100), ATTACKER)).isEmpty();
        }
        assertThat(throttle.addressFailures(ATTACKER)).isEqualTo(11);
        throttle.failed("made-up-11", ATTACKER);
        assertThat(throttle.waitFor("maria", ATTACKER)).hasValue(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("any-new-name", ATTACKER)).hasValue(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("maria", AGENT_HOME)).isEmpty();
        assertThat(throttle.addressFailures(AGENT_HOME)).isZero();
    }

    @Test
    void failures_are_forgotten_after_a_quiet_while_and_a_success_clears_its_name_and_address() {
        for (int i = 0; i < 3; i++) {
            throttle.failed("maria", ATTACKER);
        }
        assertThat(throttle.waitFor("maria", ATTACKER)).isPresent();
        assertThat(throttle.forgetAfter()).isEqualTo(Duration.ofMinutes(15));
        clock.advance(Duration.ofMinutes(15));
        assertThat(throttle.waitFor("maria", ATTACKER)).isEmpty();
        throttle.failed("maria", ATTACKER);
        assertThat(throttle.waitFor("maria", ATTACKER))
                .as("counting from 1 again")
                .isEmpty();

        throttle.failed("maria", AGENT_HOME);
        throttle.failed("maria", AGENT_HOME);
        throttle.succeeded("maria", AGENT_HOME);
        throttle.failed("maria", AGENT_HOME);
        throttle.failed("maria", AGENT_HOME);
        assertThat(throttle.waitFor("maria", AGENT_HOME))
                .as("two since the success")
                .isEmpty();
        assertThat(throttle.addressFailures(AGENT_HOME))
                .as("the address keeps its count")
                .isEqualTo(4);
    }

    @Test
    void ipv6_clients_count_per_64_prefix_and_ipv4_as_is() {
        assertThat(LoginThrottle.addressKey("2001:db8:1:2:aaaa::1"))
                .isEqualTo(LoginThrottle.addressKey("[2001:db8:1:2:bbbb:0:0:2]"))
                .isEqualTo("2001:db8:1:2::/64")
                .isNotEqualTo(LoginThrottle.addressKey("2001:db8:1:3::1"));
        assertThat(LoginThrottle.addressKey("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.addressKey("192.0.2.1")).isEqualTo("192.0.2.1");
        assertThat(LoginThrottle.addressKey("")).isEqualTo("unknown");
        assertThat(LoginThrottle.addressKey("not-an-address.example"))
                .as("a name is counted as given, never looked up")
                .isEqualTo("not-an-address.example");

        for (int i = 0; i < 3; i++) {
            throttle.failed("maria", "2001:db8:1:2::" + (i + 1));
        }
        assertThat(throttle.waitFor("maria", "2001:db8:1:2::99")).isPresent();
        assertThat(throttle.waitFor("maria", "2001:db8:1:3::1")).isEmpty();
    }
}
