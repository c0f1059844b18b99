package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrustrationCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    private JsonNode lastLine() throws IOException {
        return cli.lastLine();
    }

    @Test
    void counts_are_those_of_the_dissatisfied_class() {
        // scores 0.9, 0.6, 0.2, 0.1 against labels yes, no, yes, no at threshold 0.5: tp 1, fp 1, fn 1
        FrustrationCommand.Counts c = FrustrationCommand.Counts.of(
                new double[] {0.9, 0.6, 0.2, 0.1}, new boolean[] {true, false, true, false}, 0.5);

        assertThat(c).isEqualTo(new FrustrationCommand.Counts(1, 1, 1));
        assertThat(c.precision()).isEqualTo(0.5);
        assertThat(c.recall()).isEqualTo(0.5);
        assertThat(c.f1()).isEqualTo(0.5);
        assertThat(FrustrationCommand.Counts.of(new double[] {0.1}, new boolean[] {false}, 0.5)
                        .f1())
                .isZero();
    }

    @Test
    void user_turns_carry_earlier_turns_and_the_last_system_reply() throws IOException {
        Path data = Files.writeString(
                dir.resolve("uss.jsonl"),
                """
                {"dialog_id":"d1","turns":[{"role":"USER","text":"I need a hotel","dissatisfied":false},{"role":"SYSTEM","text":"Sorry, none found."},{"role":"USER","text":"Try again please","dissatisfied":true}]}
                """);

        List<FrustrationCommand.LabelledTurn> turns = FrustrationCommand.read(data);

        assertThat(turns).hasSize(2);
        assertThat(turns.get(0).previousReply()).isEmpty();
        assertThat(turns.get(1).previousCustomerTexts()).containsExactly("I need a hotel");
        assertThat(turns.get(1).previousReply()).isEqualTo("Sorry, none found.");
        assertThat(turns.get(1).dissatisfied()).isTrue();
    }

    @Test
    void prints_metrics_as_the_last_line() throws IOException {
        Path data = Files.writeString(
                dir.resolve("uss.jsonl"),
                """
                {"dialog_id":"d1","turns":[{"role":"USER","text":"I need a cheap hotel in the north","dissatisfied":false},{"role":"SYSTEM","text":"Unfortunately there are no cheap hotels in the north."},{"role":"USER","text":"No, I said the south. Please check again.","dissatisfied":true}]}
                {"dialog_id":"d2","turns":[{"role":"USER","text":"Book a table for two","dissatisfied":false},{"role":"SYSTEM","text":"Done, your reference is ABC123."},{"role":"USER","text":"Thank you, goodbye","dissatisfied":false}]}
                """);

        assertThat(run("frustration", "--data", data.toString())).isZero();

        JsonNode r = lastLine();
        assertThat(r.get("turns").asInt()).isEqualTo(4);
        assertThat(r.get("dissatisfied_turns").asInt()).isEqualTo(1);
        assertThat(r.get("recall").asDouble()).isEqualTo(1.0);
        assertThat(r.get("precision").asDouble()).isEqualTo(1.0);
        assertThat(r.get("f1").asDouble()).isEqualTo(1.0);
        assertThat(r.get("context").asBoolean()).isTrue();
        assertThat(cli.err()).contains("scoring 4 user turns");
    }

    @Test
    void malformed_files_are_usage_errors_naming_the_line() throws IOException {
        Path noLabel = Files.writeString(
                dir.resolve("bad.jsonl"), "{\"dialog_id\":\"d\",\"turns\":[{\"role\":\"USER\",\"text\":\"hi\"}]}\n");
        Path notJson = Files.writeString(dir.resolve("bad2.jsonl"), "\n{oops\n");

        assertThat(run("frustration", "--data", noLabel.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("line 1", "dissatisfied");
        assertThat(run("frustration", "--data", notJson.toString())).isEqualTo(2);
        assertThat(cli.err()).contains("line 2", "not JSON");
        assertThat(run("frustration")).isEqualTo(2);
    }
}
