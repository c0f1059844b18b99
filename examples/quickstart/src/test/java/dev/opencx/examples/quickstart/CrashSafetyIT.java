package dev.opencx.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.store.jdbc.JdbcConversationStore;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The kill -9 proof of the quickstart's web mode: visitors write through the widget API while the
 * server is killed at random moments and restarted on the same data folder; nothing acknowledged may
 * be lost, no reply sent twice, no event id reused ({@link CrashHarness}).
 *
 * <p>{@code mvn verify} runs 20 kills. The long run of BENCHMARKS.md:
 *
 * <pre>
 * mvn -B -pl examples/quickstart -am verify -Dit.test=CrashSafetyIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dopencx.crash.kills=200 -Dopencx.crash.messages=5000
 * </pre>
 */
class CrashSafetyIT {

    @Test
    void nothing_acknowledged_is_lost_when_the_server_is_killed() throws Exception {
        long seed = Long.getLong("opencx.crash.seed", System.nanoTime() % 1_000_000);
        // under target/, not a temporary folder: after a failure the data and the child's output stay to look at
        Path dir = Path.of("target", "crash-harness", "seed-" + seed);
        CrashHarness.deleteRecursively(dir);
        CrashHarness.Config config = new CrashHarness.Config(
                Path.of("target", "opencx-quickstart.jar"),
                dir.resolve("data"),
                Integer.getInteger("opencx.crash.kills", 20),
                Integer.getInteger("opencx.crash.messages", 200),
                Integer.getInteger("opencx.crash.visitors", 4),
                seed,
                Duration.ofMillis(Long.getLong("opencx.crash.maxLoadMillis", 2500)),
                0.15,
                System.out);
        System.out.println("crash harness: seed " + config.seed() + " (-Dopencx.crash.seed to repeat)");
        CrashHarness.Report report = new CrashHarness(config)
                .run(data -> JdbcConversationStore.sqlite(data.resolve(StoreAgent.CONVERSATIONS)));
        System.out.println("crash harness: " + report.summary());
        assertThat(report.lost()).as("acknowledged but lost").isEmpty();
        assertThat(report.reusedIds()).as("event ids handed to something else").isEmpty();
        assertThat(report.duplicateReplies()).as("replies sent twice").isEmpty();
        assertThat(report.unanswered()).as("messages never answered").isEmpty();
        assertThat(report.errors()).as("answers the server should never give").isEmpty();
        assertThat(report.kills()).isGreaterThanOrEqualTo(config.kills());
        assertThat(report.acknowledged()).isGreaterThanOrEqualTo(config.minMessages());
        CrashHarness.deleteRecursively(dir);
    }
}
