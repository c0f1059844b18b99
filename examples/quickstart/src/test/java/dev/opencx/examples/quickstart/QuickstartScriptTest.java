package dev.opencx.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the quickstart through standard input, as a user scripting it would. */
class QuickstartScriptTest {

    private static String run(Path dataDir, String script) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code =
                Quickstart.run(dataDir, new ByteArrayInputStream(script.getBytes(StandardCharsets.UTF_8)), out, false);
        assertThat(code).isZero();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void answers_from_the_help_center_hands_off_and_survives_a_restart(@TempDir Path dataDir) throws Exception {
        String first = run(
                dataDir,
                String.join(
                        "\n",
                        "how much does shipping to the UK cost?",
                        "do you ship to canada?",
                        "/new",
                        "¿cuánto tarda el reembolso?",
                        "/new",
                        "can I talk to a real person please",
                        "/agent Hi, Maria here. How can I help?",
                        "/resolve",
                        ""));

        assertThat(first).contains("indexed").doesNotContain("opencx.mv.db");
        assertThat(dataDir.resolve("conversations/opencx.db")).exists();
        // a help-center answer with its source
        assertThat(first)
                .contains("£3.95")
                .contains("source: Shipping costs and free shipping <https://northwind.example/help/shipping-costs>");
        // an exact training-scenario answer
        assertThat(first).contains("We don't ship to Canada yet");
        // Spanish question, Spanish article
        assertThat(first).contains("https://northwind.example/es/help/refund-timing");
        // explicit request: handoff with reason and ticket, then the agent's reply reaches the customer
        assertThat(first).containsPattern("handed off to the team inbox: #10\\d\\d \\(reason EXPLICIT_REQUEST\\)");
        assertThat(first).containsPattern("Agent maria \\[#10\\d\\d\\]: Hi, Maria here. How can I help\\?");
        assertThat(first).contains("resolved by maria");

        // a second run on the same folder reuses the index, continues customer 1's open session
        // and the ticket sequence (customer 3 resolved #1002, so their next message opens #1003)
        String second = run(
                dataDir,
                "/inbox\nwhere can I find my order number?\n/why\n/new\n/new\nwhat are your store opening hours?\n");
        assertThat(second).contains("(index reused)");
        assertThat(second).contains("the inbox queue is empty");
        assertThat(second).contains("AI [#1000]: ");
        assertThat(second).contains("autopilot: AI_REPLIES");
        assertThat(second).contains("AI [#1003]: ");

        // changed articles (here: a hash that no longer matches) rebuild the index from scratch;
        // the conversations are kept
        java.nio.file.Files.writeString(dataDir.resolve("helpcenter.sha256"), "changed");
        // a folder of an earlier quickstart still has its H2 file: one line says so, the file is not touched
        Path oldH2 = dataDir.resolve("conversations/opencx.mv.db");
        java.nio.file.Files.writeString(oldH2, "H:2,block:3 (an old H2 file)");
        String third = run(dataDir, "how much does shipping to the UK cost?\n");
        assertThat(third)
                .contains("help-center articles indexed")
                .contains("£3.95")
                .contains("AI [#1000]: ");
        assertThat(third.lines().filter(l -> l.contains("opencx.mv.db")))
                .singleElement()
                .satisfies(l -> assertThat(l).contains("opencx.db").contains("left untouched"));
        assertThat(java.nio.file.Files.readString(oldH2)).isEqualTo("H:2,block:3 (an old H2 file)");
    }
}
