package dev.opencx.helpdesk.inbox.web.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The bounded, fair queue of password checks. */
class PasswordChecksTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** One thread, two places in the queue, and (score -1) no check clean enough for the reserved thread. */
    private PasswordChecks checks = new PasswordChecks(1, 2, -1);

    private final CountDownLatch release = new CountDownLatch(1);
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        release.countDown();
        checks.close();
    }

    /** Occupies the only thread until {@link #release} opens. */
    private CompletableFuture<Boolean> blockTheThread() throws InterruptedException {
        return blockTheThread(0);
    }

    private CompletableFuture<Boolean> blockTheThread(int score) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CompletableFuture<Boolean> f = checks.submit("192.0.2.99", score, () -> {
            started.countDown();
            await(release);
            return true;
        });
        assertThat(started.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        return f;
    }

    private CompletableFuture<Boolean> check(String address, int failures) {
        return checks.submit(address, failures, () -> {
            ran.add(address);
            return true;
        });
    }

    @Test
    void an_address_has_at_most_one_check_queued_or_running() throws Exception {
        CompletableFuture<Boolean> running = blockTheThread();
        assertThat(busy(checks.submit("192.0.2.99", 0, () -> true)))
                .as("the same address while its check runs")
                .isTrue();
        CompletableFuture<Boolean> other = check("192.0.2.1", 0);
        assertThat(other).isNotDone();
        release.countDown();
        assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(other.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(check("192.0.2.99", 0).get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("once it ended, the address may try again")
                .isTrue();
    }

    @Test
    void a_full_queue_refuses_at_once_and_a_cleaner_address_takes_the_place_of_a_guessing_one() throws Exception {
        blockTheThread();
        CompletableFuture<Boolean> guesser = check("203.0.113.1", 7);
        CompletableFuture<Boolean> other = check("203.0.113.2", 3);
        long t0 = System.nanoTime();
        assertThat(busy(check("203.0.113.3", 7)))
                .as("no cleaner than the worst queued")
                .isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("refused at once")
                .isLessThan(Duration.ofSeconds(1));

        CompletableFuture<Boolean> agent = check("198.51.100.4", 0);
        assertThat(busy(guesser)).as("pushed out by the agent").isTrue();
        release.countDown();
        assertThat(agent.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(other.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ran).as("fewest failures first").containsExactly("198.51.100.4", "203.0.113.2");
    }

    @Test
    void a_check_given_up_while_queued_never_runs_and_a_running_one_is_not_given_up() throws Exception {
        CompletableFuture<Boolean> running = blockTheThread();
        assertThat(checks.abandonIfQueued(running))
                .as("running: its result follows")
                .isFalse();
        CompletableFuture<Boolean> queued = check("203.0.113.5", 0);
        assertThat(checks.abandonIfQueued(queued)).isTrue();
        assertThat(busy(queued)).isTrue();
        CompletableFuture<Boolean> next = check("203.0.113.5", 0);
        release.countDown();
        assertThat(running.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(next.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("203.0.113.5");
        assertThat(checks.queued()).isZero();
    }

    @Test
    void a_clean_address_never_waits_for_a_guessers_check_that_is_running() throws Exception {
        checks.close();
        checks = new PasswordChecks(1, 4, 2);
        CompletableFuture<Boolean> guessing = blockTheThread(9);
        CompletableFuture<Boolean> otherGuesser = check("203.0.113.8", 8);
        CompletableFuture<Boolean> agent = check("198.51.100.4", 1);
        assertThat(agent.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("on the reserved thread")
                .isTrue();
        assertThat(guessing).isNotDone();
        assertThat(otherGuesser).as("a guesser never gets the reserved thread").isNotDone();
        release.countDown();
        assertThat(otherGuesser.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(ran).containsExactly("198.51.100.4", "203.0.113.8");
    }

    /** Whether the check was (or is, within a moment) refused as busy. */
    private static boolean busy(CompletableFuture<Boolean> f) throws InterruptedException {
        try {
            f.get(2, TimeUnit.SECONDS);
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof PasswordChecks.Busy;
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
