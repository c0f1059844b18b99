package dev.opencx.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.event.ActionCalled;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionEvent;
import dev.opencx.test.RecordingChannel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's order actions end to end: the in-process orders API, the OpenAPI import, the
 * embedded responder's intent matching and slot filling, and the confirmation across turns.
 */
class OrderActionsTest {

    private static String run(Path dataDir, String script) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code =
                Quickstart.run(dataDir, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, false);
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void where_is_my_order_then_cancel_it_with_a_yes(@TempDir Path dataDir) throws Exception {
        String out = run(
                dataDir,
                String.join(
                        "\n",
                        "where is my order?",
                        "1043",
                        "cancel it",
                        "yes",
                        "where is my order 1042?",
                        "cancel it",
                        "yes please",
                        "/why",
                        "/new",
                        "I want to cancel order 1042",
                        "no",
                        "where is my order 1042?",
                        "what are my orders?",
                        ""));

        assertThat(out).contains("I need the order number. What is it?");
        assertThat(out).contains("Order 1043 (Alpine down jacket, M) is shipped");
        assertThat(out).contains("Just to confirm: Cancel an order that has not shipped yet (order id: 1043)");
        assertThat(out).contains("Order 1043 has already shipped, so it can no longer be cancelled.");
        assertThat(out).contains("Just to confirm: Cancel an order that has not shipped yet (order id: 1042)");
        assertThat(out).contains("Done: order 1042 is cancelled. The refund of $89.00");
        assertThat(out).containsPattern("action: cancelOrder \\(confirmation\\) -> ok HTTP 200 in \\d+ ms");
        // customer 2 declines: their order 1042 is untouched
        assertThat(out).contains("OK, I won't do that.");
        assertThat(out.substring(out.indexOf("you are now customer 2")))
                .contains("Order 1042 (Trail Runner 2 shoes, size 42) is processing")
                .contains("order id: 1043, status: shipped");
    }

    @Test
    void help_center_questions_do_not_trigger_order_actions(@TempDir Path dataDir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<String[]> questions = new ArrayList<>();
        for (String file : List.of("calibration.jsonl", "test.jsonl")) {
            for (String line : Files.readAllLines(Path.of("eval", file))) {
                if (!line.isBlank()) {
                    JsonNode q = json.readTree(line);
                    questions.add(new String[] {
                        q.path("text").asText(), q.path("relevant_article_ids").toString()
                    });
                }
            }
        }
        RecordingChannel channel = new RecordingChannel(ChannelId.API);
        List<String> routed = new ArrayList<>();
        try (StoreAgent agent = StoreAgent.start(dataDir, List.of(channel), List.of())) {
            int n = 0;
            for (String[] q : questions) {
                String session = channel.receive(Identity.custom("eval-" + n++), q[0])
                        .join()
                        .sessionId();
                assertThat(agent.cx().awaitIdle(Duration.ofSeconds(30))).isTrue();
                List<Object> payloads = agent.cx().events(session).stream()
                        .map(SessionEvent::payload)
                        .map(p -> (Object) p)
                        .toList();
                boolean acted = payloads.stream()
                        .anyMatch(
                                p -> p instanceof ActionCalled || (p instanceof ReplySent rs && rs.pending() != null));
                if (acted) {
                    routed.add(q[0] + " -> " + q[1]);
                }
            }
        }
        // the figure in BENCHMARKS.md ("Quickstart: help-center questions that reach an order action")
        System.out.println("help-center questions routed to an order action: " + routed.size() + " of "
                + questions.size() + (routed.isEmpty() ? "" : ": " + routed));
        List<String> orderArticles;
        try (var files = Files.list(Path.of("src/main/resources/quickstart/helpcenter/en/orders"))) {
            orderArticles = files.map(
                            f -> "article:" + f.getFileName().toString().replace(".md", "") + ":en")
                    .toList();
        }
        assertThat(routed)
                .as("only questions about orders may reach an order action")
                .allSatisfy(r ->
                        assertThat(orderArticles).anySatisfy(a -> assertThat(r).contains(a)));
        assertThat(routed.size())
                .as("a few order questions, not the help center")
                .isLessThanOrEqualTo(4);
    }
}
