package dev.opencx.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Identity;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.responder.Reply;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The snippet of opencx-core/README.md, "Customer-facing texts and languages", compiled and run: the
 * code between the README markers below must appear verbatim in the README.
 */
class NoticesDocTest {

    @Test
    void overrides_one_key_for_one_locale_and_reads_the_users_own_bundle() throws Exception {
        List<String> replies = new CopyOnWriteArrayList<>();
        // README:begin
        ApiChannel api = ApiChannel.create();
        try (OpenCx cx = OpenCx.builder()
                .channel(api)
                .responder(req -> Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "no article", Map.of()))
                // one key, one locale ("pt-BR" would be Brazil only)
                .notice("handoff", "de", "Einen Moment, eine Kollegin übernimmt. Ihr Ticket: {ticket}.")
                // your own bundle: com/example/support/texts_fr.properties and the like, UTF-8
                .notices("com.example.support.texts")
                .build()) {
            api.onReply(reply -> replies.add(reply.text()));
            api.receive(Identity.email("ana@example.com"), "Hallo, wie kann ich meine Bestellung ändern?")
                    .join();
            api.receive(Identity.email("luc@example.com"), "Bonjour, je ne trouve pas ma commande")
                    .join();
            api.receive(Identity.email("joao@example.com"), "Olá, onde está o meu pedido?")
                    .join();
            cx.awaitIdle(Duration.ofSeconds(10));
        }
        // README:end
        assertThat(replies)
                .hasSize(3)
                .anyMatch(t -> t.matches("Einen Moment, eine Kollegin übernimmt\\. Ihr Ticket: #\\d+\\."))
                .anyMatch(t -> t.matches("Un conseiller prend le relais\\. Votre numéro de ticket : #\\d+\\."))
                // not overridden: OpenCX's own Portuguese text
                .anyMatch(t -> t.matches("Vou passar isto à nossa equipa\\. O seu número de ticket é #\\d+; .*"));
        String readme = Files.readString(Path.of("README.md"));
        String self = Files.readString(Path.of("src/test/java/dev/opencx/docs/NoticesDocTest.java"));
        String snippet = self.substring(
                        self.indexOf("// README:begin") + "// README:begin".length(),
                        self.indexOf("        // README:end"))
                .lines()
                .map(l -> l.length() >= 8 ? l.substring(8) : l.strip())
                .filter(l -> !l.isBlank())
                .reduce("", (a, b) -> a + b + "\n");
        assertThat(readme).contains(snippet);
    }
}
