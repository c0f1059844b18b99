package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HumanRequestCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    @Test
    void counts_requests_and_false_positives_over_several_files() throws IOException {
        Path a = Files.writeString(
                dir.resolve("a.jsonl"),
                """
                {"text":"let me talk to a real person","label":"human"}
                {"text":"where is my parcel","label":"shipping"}
                """);
        Path b = Files.writeString(
                dir.resolve("b.jsonl"),
                """
                {"text":"I don't want to talk to an agent, just tell me the price","label":"pricing"}
                {"text":"can I get a human please","label":"human"}
                """);

        assertThat(run("human-request", "--data", a + "," + b, "--positive-labels", "human", "--show"))
                .isZero();

        JsonNode r = cli.lastLine();
        assertThat(r.get("rows").asInt()).isEqualTo(4);
        assertThat(r.get("positives").asInt()).isEqualTo(2);
        assertThat(r.get("recall").asDouble()).isEqualTo(1.0);
        assertThat(r.get("false_positives").asInt()).isZero();
        assertThat(r.get("false_positive_rate").asDouble()).isZero();
        assertThat(cli.err()).contains("TP", "real person");
    }

    @Test
    void a_missing_file_is_a_usage_error() {
        assertThat(run("human-request", "--data", dir.resolve("none.jsonl").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("no such file");
    }
}
