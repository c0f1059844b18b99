package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The module README's Java snippet, compiled and run. */
class ReadmeExampleTest {

    @Test
    void the_quick_start_answers_metas_handshake_and_a_signed_delivery() throws Exception {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(new KnowledgeDocument(
                "returns",
                "Returns",
                "You have 30 days to return any item.",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/returns",
                "en",
                "",
                Map.of()));
        // README: quick start
        WhatsAppChannel whatsapp = WhatsAppChannel.builder()
                .phoneNumberId(System.getenv().getOrDefault("WHATSAPP_PHONE_NUMBER_ID", "123456123"))
                .accessToken(System.getenv().getOrDefault("WHATSAPP_ACCESS_TOKEN", "EAAG-your-permanent-token"))
                .appSecret(System.getenv().getOrDefault("WHATSAPP_APP_SECRET", "app_secret"))
                .verifyToken(System.getenv().getOrDefault("WHATSAPP_VERIFY_TOKEN", "pick-a-verify-token"))
                .template(WhatsAppTemplate.builder("reply_waiting", "en_US") // for replies after 24 hours
                        .parameters(reply -> List.of(reply.ticket().toString()))
                        .build())
                .build();
        try (OpenCx cx = OpenCx.builder().channel(whatsapp).knowledge(knowledge).build();
                WebServer server = WebServer.builder()
                        .port(0) // 8080 by default; 0 picks a free port
                        .mount(whatsapp) // GET and POST /webhooks/whatsapp
                        .build()
                        .start()) {
            System.out.println("Callback URL: " + server.uri().resolve(whatsapp.mountPath()));
            // end README
            HttpClient http = HttpClient.newHttpClient();
            URI webhook = server.uri().resolve(whatsapp.mountPath());
            HttpResponse<String> verified = http.send(
                    HttpRequest.newBuilder(URI.create(webhook + "?hub.mode=subscribe&hub.challenge=1158201444"
                                    + "&hub.verify_token=pick-a-verify-token"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(verified.statusCode()).isEqualTo(200);
            assertThat(verified.body()).isEqualTo("1158201444");

            // a reaction: signed and accepted, but nothing to answer (this test must not call the real Graph API)
            byte[] body = Meta.utf8(Meta.reaction("16315551181", "Kerry", "wamid.README1", "wamid.OURS"));
            HttpResponse<String> delivered = http.send(
                    HttpRequest.newBuilder(webhook)
                            .header("Content-Type", "application/json")
                            .header("X-Hub-Signature-256", Meta.sign("app_secret", body))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(delivered.statusCode()).isEqualTo(200);
            assertThat(cx.store().sessions(dev.opencx.store.SessionQuery.inStates()))
                    .isEmpty();
        }
    }
}
