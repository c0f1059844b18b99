package dev.opencx.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The README's Java snippet, compiled and run here; the test checks that the README shows this code. */
class ReadmeExampleTest {

    @Test
    void the_quick_start_builds_a_channel_that_answers_slacks_url_verification() throws Exception {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        Map<String, String> env = Map.of(
                "SLACK_BOT_TOKEN", FakeSlack.TOKEN,
                "SLACK_SIGNING_SECRET", SlackRig.SECRET,
                "SLACK_BOT_USER_ID", FakeSlack.BOT_USER,
                "SLACK_SUPPORT_CHANNEL", SlackRig.SUPPORT,
                "PORT", "0");
        // README: quick start
        SlackChannel slack = SlackChannel.builder()
                .botToken(env.get("SLACK_BOT_TOKEN")) // xoxb-…, sent to Slack as a Bearer token
                .signingSecret(env.get("SLACK_SIGNING_SECRET")) // every webhook is checked with it
                .botUserId(env.get("SLACK_BOT_USER_ID")) // optional: when null, start() asks Slack (auth.test)
                .supportChannel(env.get("SLACK_SUPPORT_CHANNEL")) // C0123ABCD: each question gets a thread
                .directMessages(true) // people may also write to the app in a DM
                .build();
        try (OpenCx cx = OpenCx.builder().channel(slack).knowledge(knowledge).build();
                WebServer server = WebServer.builder()
                        .port(Integer.parseInt(env.getOrDefault("PORT", "8080")))
                        .mount(slack) // POST /webhooks/slack: the Events API request URL
                        .build()
                        .start()) {
            // end README
            byte[] body = "{\"token\":\"t\",\"challenge\":\"c-42\",\"type\":\"url_verification\"}"
                    .getBytes(StandardCharsets.UTF_8);
            String ts = Long.toString(Instant.now().getEpochSecond());
            HttpResponse<String> r = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(server.uri() + "webhooks/slack"))
                                    .header("X-Slack-Request-Timestamp", ts)
                                    .header("X-Slack-Signature", SlackSignature.sign(SlackRig.SECRET, ts, body))
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("c-42");
        }
    }

    @Test
    void the_readme_shows_the_code_this_test_runs() throws IOException {
        String test = Files.readString(Path.of("src/test/java/dev/opencx/channel/slack/ReadmeExampleTest.java"));
        String compiled = test.substring(
                test.indexOf("// README: quick start") + "// README: quick start".length(),
                test.indexOf("// end README"));
        String readme = Files.readString(Path.of("README.md"));
        String block = readme.substring(readme.indexOf("```java") + "```java".length());
        block = block.substring(0, block.indexOf("```"));
        List<String> shown = Arrays.stream(block.split("\n"))
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .collect(Collectors.toList());
        assertThat(shown.get(0)).isEqualTo("Map<String, String> env = System.getenv();");
        assertThat(shown.get(shown.size() - 1)).isEqualTo("}");
        assertThat(normalize(String.join("\n", shown.subList(1, shown.size() - 1))))
                .isEqualTo(normalize(compiled));
    }

    /** The code without comments' alignment, line breaks and indentation. */
    private static String normalize(String code) {
        return Arrays.stream(code.split("\n"))
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("// Slack app"))
                .map(l -> l.replaceAll("\\s+", " "))
                .collect(Collectors.joining(" "))
                .replace("( ", "(")
                .replace(" )", ")")
                .replace(" .", ".");
    }
}
