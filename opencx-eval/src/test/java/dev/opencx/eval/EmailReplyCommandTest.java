package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmailReplyCommandTest {
    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();
    private final ObjectMapper json = new ObjectMapper();

    private Path write(String name, String... rows) throws IOException {
        return Files.writeString(dir.resolve(name), String.join("\n", rows) + "\n");
    }

    private String row(String id, String input, String expected, String compare) throws IOException {
        var o = json.createObjectNode().put("id", id).put("input", input);
        if (expected != null) {
            o.put("expected_reply", expected);
        }
        if (compare != null) {
            o.put("compare", compare);
        }
        return json.writeValueAsString(o);
    }

    @Test
    void writes_one_line_per_mail_and_scores_each_file() throws IOException {
        String mail =
                "Yes, please.\n\nThanks,\nAna\n\nOn Mon, Feb 5, 2024 at 10:14 AM Shop <help@shop.example> wrote:\n> Refund?";
        Path plain = write(
                "replies.jsonl",
                row("a", mail, "Yes, please.", null),
                row("b", "Still broken.   \n\nSent from my iPhone", "Still broken.", null),
                row("c", "No quote here.", "Something else", null));
        Path kept = write(
                "kept.jsonl",
                row("k1", mail, "Yes, please.\n\nThanks,\nAna", "exact (quotes removed, signatures kept)"));
        Path out = dir.resolve("out/pred.jsonl");

        assertThat(cli.run("email-reply", "--data", plain + "," + kept, "--out", out.toString()))
                .isZero();

        JsonNode s = cli.lastLine();
        assertThat(s.get("command").asText()).isEqualTo("email-reply");
        assertThat(s.get("mails").asInt()).isEqualTo(4);
        JsonNode p = s.get("files").get("replies.jsonl");
        assertThat(p.get("scored_field").asText()).isEqualTo("reply");
        assertThat(p.get("matched").asInt()).isEqualTo(2);
        assertThat(p.get("exact_match").asDouble()).isEqualTo(0.667);
        JsonNode k = s.get("files").get("kept.jsonl");
        assertThat(k.get("scored_field").asText()).isEqualTo("reply_with_signature");
        assertThat(k.get("exact_match").asDouble()).isEqualTo(1.0);
        assertThat(s.get("exact_match_all_files").asDouble()).isEqualTo(0.75);

        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(4);
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.get("id").asText()).isEqualTo("a");
        assertThat(first.get("reply").asText()).isEqualTo("Yes, please.");
        assertThat(first.get("reply_with_signature").asText()).isEqualTo("Yes, please.\n\nThanks,\nAna");
        assertThat(first.get("signature").asText()).isEqualTo("Thanks,\nAna");
        assertThat(first.size()).isEqualTo(4);
    }

    @Test
    void score_option_overrides_the_detection_and_a_quotation_file_name_keeps_signatures() throws IOException {
        Path f = write(
                "my_quotations.jsonl", row("x", "Ok.\n\nSent from my iPhone", "Ok.\n\nSent from my iPhone", null));

        assertThat(cli.run(
                        "email-reply",
                        "--data",
                        f.toString(),
                        "--out",
                        dir.resolve("p.jsonl").toString()))
                .isZero();
        assertThat(cli.lastLine()
                        .get("files")
                        .get("my_quotations.jsonl")
                        .get("exact_match")
                        .asDouble())
                .isEqualTo(1.0);

        cli.reset();
        assertThat(cli.run(
                        "email-reply",
                        "--data",
                        f.toString(),
                        "--out",
                        dir.resolve("p.jsonl").toString(),
                        "--score",
                        "reply"))
                .isZero();
        assertThat(cli.lastLine()
                        .get("files")
                        .get("my_quotations.jsonl")
                        .get("exact_match")
                        .asDouble())
                .isZero();
    }

    @Test
    void reports_signature_lines_against_their_indices() throws IOException {
        var o = json.createObjectNode()
                .put("id", "s")
                .put("input", "Please confirm.\n\nThanks,\nKim\n")
                .put("expected_reply", "Please confirm.");
        o.putArray("signature_line_indices").add(2).add(3);
        Path f = write("sig.jsonl", json.writeValueAsString(o));

        assertThat(cli.run(
                        "email-reply",
                        "--data",
                        f.toString(),
                        "--out",
                        dir.resolve("p.jsonl").toString()))
                .isZero();

        JsonNode r = cli.lastLine().get("files").get("sig.jsonl");
        assertThat(r.get("signature_line_f1").asDouble()).isEqualTo(1.0);
        assertThat(r.get("has_signature_accuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void reads_html_inputs_when_asked() throws IOException {
        String html =
                "<div>Works now.</div><div class=\"gmail_quote\"><blockquote class=\"gmail_quote\">Try again?</blockquote></div>";
        Path f = write("html.jsonl", row("h", html, "Works now.", null));

        assertThat(cli.run(
                        "email-reply",
                        "--data",
                        f.toString(),
                        "--out",
                        dir.resolve("p.jsonl").toString(),
                        "--html",
                        "--warm",
                        "2"))
                .isZero();

        assertThat(cli.lastLine()
                        .get("files")
                        .get("html.jsonl")
                        .get("exact_match")
                        .asDouble())
                .isEqualTo(1.0);
        assertThat(cli.lastLine().get("warm_passes").asInt()).isEqualTo(2);
    }

    @Test
    void a_row_without_input_is_a_usage_error_naming_the_line() throws IOException {
        Path f = write("bad.jsonl", "{\"id\":\"1\",\"text\":\"hello\"}");

        assertThat(cli.run(
                        "email-reply",
                        "--data",
                        f.toString(),
                        "--out",
                        dir.resolve("p.jsonl").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("bad.jsonl line 1", "input");
    }

    @Test
    void help_states_the_scoring_rule() {
        assertThat(cli.run("email-reply", "--help")).isZero();
        assertThat(cli.out())
                .contains("trailing whitespace removed from every line", "signatures kept", "reply_with_signature");
    }
}
