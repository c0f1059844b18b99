package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCliTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    private int run(String... args) {
        return cli.run(args);
    }

    private String err() {
        return cli.err();
    }

    @Test
    void no_command_is_a_usage_error() {
        assertThat(run()).isEqualTo(2);
        assertThat(err()).contains("no command").contains("retrieval");
    }

    @Test
    void unknown_command_is_a_usage_error() {
        assertThat(run("bogus")).isEqualTo(2);
        assertThat(err()).contains("unknown command: bogus");
    }

    @Test
    void help_lists_commands_and_options() {
        assertThat(run("--help")).isZero();
        assertThat(cli.out()).contains("retrieval");
        cli.reset();
        assertThat(run("retrieval", "--help")).isZero();
        assertThat(cli.out()).contains("--articles").contains("--mode");
    }

    @Test
    void bad_options_are_usage_errors() throws IOException {
        assertThat(run("retrieval")).isEqualTo(2);
        assertThat(err()).contains("missing required option --queries");
        Path f = Files.writeString(dir.resolve("a.jsonl"), "");
        assertThat(run("retrieval", "--queries", f.toString())).isEqualTo(2);
        assertThat(err()).contains("give either --articles FILE or --helpcenter DIR");
        assertThat(run("retrieval", "--articles", f.toString(), "--queries", f.toString(), "--mode", "magic"))
                .isEqualTo(2);
        assertThat(err()).contains("--mode must be one of hybrid|bm25|vector, was magic");
        assertThat(run("retrieval", "--articles", dir.resolve("missing").toString(), "--queries", f.toString()))
                .isEqualTo(2);
        assertThat(run("retrieval", "--nope")).isEqualTo(2);
        assertThat(err()).contains("unknown option: --nope");
        assertThat(run("retrieval", "--articles")).isEqualTo(2);
        assertThat(err()).contains("--articles needs a value");
    }

    @Test
    void retrieval_prints_metrics_as_the_last_line() throws IOException {
        Path articles = Files.writeString(
                dir.resolve("articles.jsonl"),
                """
                {"id":"t1","title":"Delete a Facebook account","body":"Go to settings and delete the account.","qapair_ids":[]}
                {"id":"t2","title":"Strikethrough in GitHub markdown","body":"Use two tildes around the words.","qapair_ids":[]}
                {"id":"t3","title":"Export Gmail contacts","body":"Open contacts and choose export to CSV.","qapair_ids":[]}
                """);
        Path queries = Files.writeString(
                dir.resolve("queries.jsonl"),
                """
                {"id":"q1","text":"how to remove my facebook account","relevant_article_ids":["t1"],"relevant_qapair_ids":[]}
                {"id":"q2","text":"strikethrough text on github","relevant_article_ids":["t2"],"relevant_qapair_ids":[]}
                {"id":"q3","text":"export contacts from gmail","relevant_article_ids":["t3"],"relevant_qapair_ids":[]}
                """);
        assertThat(run(
                        "retrieval",
                        "--articles",
                        articles.toString(),
                        "--queries",
                        queries.toString(),
                        "--mode",
                        "bm25"))
                .as(err())
                .isZero();
        JsonNode result = cli.lastLine();
        assertThat(result.get("queries").asInt()).isEqualTo(3);
        assertThat(result.get("p_at_1").asDouble()).isEqualTo(1.0);
        assertThat(result.get("mode").asText()).isEqualTo("bm25");
        for (String key : new String[] {"mrr_at_10", "ndcg_at_10", "recall_at_5", "latency_ms_p50", "latency_ms_p99"}) {
            assertThat(result.has(key)).as(key).isTrue();
        }
    }
}
