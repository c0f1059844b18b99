package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCxException;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.ReplySent;
import dev.opencx.knowledge.Citation;
import dev.opencx.responder.Reply;
import dev.opencx.test.SessionLog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OutboundTest {
    static final String KERRY = "16315551181";

    private static Session conversationWith(Rig rig, String text) {
        assertThat(rig.deliver(Meta.text(KERRY, "Kerry", "wamid.IN" + System.nanoTime(), Meta.now(), text))
                        .status())
                .isEqualTo(200);
        rig.idle();
        return rig.onlySessionOf(KERRY);
    }

    private static OutboundMessage outbound(Session s, String key, String text) {
        return new OutboundMessage(
                "msg-" + key,
                s.id(),
                s.ticket(),
                ChannelId.WHATSAPP,
                Identity.phone("+" + KERRY),
                "",
                OutboundMessage.Kind.AGENT_REPLY,
                Author.AGENT,
                "maria",
                text,
                List.of(),
                "",
                key);
    }

    @Test
    void sends_a_reply_as_metas_text_message_with_bearer_token_and_callback_data() {
        try (Rig rig = Rig.start()) {
            Session s = conversationWith(rig, "hello");

            GraphFake.Call call = rig.graph.accepted().get(0);
            assertThat(call.path()).isEqualTo("/v21.0/" + Meta.PHONE_NUMBER_ID + "/messages");
            assertThat(call.authorization()).isEqualTo("Bearer " + Rig.ACCESS_TOKEN);
            String messageId = SessionLog.of(rig.cx, s.id(), ReplySent.class)
                    .get(0)
                    .message()
                    .id();
            assertThat(call.body().toString())
                    .isEqualTo("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+"
                            + KERRY + "\",\"type\":\"text\",\"biz_opaque_callback_data\":\"ocx1|" + s.id() + "|"
                            + messageId + "\",\"text\":{\"preview_url\":false,\"body\":\"answer: hello\"}}");
            assertThat(SessionLog.of(rig.cx, s.id(), MessageDelivered.class))
                    .extracting(MessageDelivered::externalId)
                    .containsExactly(rig.graph.lastWamid());
        }
    }

    @Test
    void converts_markdown_to_whatsapp_formatting_and_adds_the_sources() {
        String md =
                "## Refunds\n**Refunds** take *five* business days, ~~not ten~~. See [the policy](https://shop.example/refunds)"
                        + " or run `status 42`.\n\n* one\n* two";
        try (Rig rig = Rig.start(
                b -> b,
                b -> b.responder(req -> Reply.answer(
                        md,
                        0.95,
                        List.of(new Citation("p1", "d1", "Shipping", "https://shop.example/shipping")),
                        "",
                        Map.of())))) {
            conversationWith(rig, "refund?");

            assertThat(rig.graph.accepted().get(0).text())
                    .isEqualTo("*Refunds*\n*Refunds* take _five_ business days, ~not ten~. See the policy"
                            + " (https://shop.example/refunds) or run `status 42`.\n\n- one\n- two\n\n"
                            + "- Shipping: https://shop.example/shipping");
        }
    }

    @Test
    void splits_a_reply_longer_than_4096_characters_and_every_part_carries_the_callback_data() {
        String sentence = "Our return window is thirty days from delivery for every item in the shop. ";
        String longReply = sentence.repeat(80); // about 6,000 characters
        try (Rig rig =
                Rig.start(b -> b, b -> b.responder(req -> Reply.answer(longReply, 0.95, List.of(), "", Map.of())))) {
            Session s = conversationWith(rig, "returns?");

            List<GraphFake.Call> parts = rig.graph.accepted();
            assertThat(parts).hasSize(2);
            assertThat(parts).allSatisfy(p -> {
                assertThat(p.text().length()).isLessThanOrEqualTo(4096);
                assertThat(p.body().path("biz_opaque_callback_data").asText()).startsWith("ocx1|" + s.id() + "|");
            });
            assertThat(parts.get(0).text() + " " + parts.get(1).text()).isEqualTo(longReply.strip());
        }
    }

    @Test
    void the_same_idempotency_key_is_sent_once_and_a_failed_part_is_resent_alone() {
        try (Rig rig = Rig.start()) {
            Session s = conversationWith(rig, "hi");
            int before = rig.graph.accepted().size();

            DeliveryReceipt first = rig.channel.send(outbound(s, "agent-1", "Hi, Maria here."));
            DeliveryReceipt again = rig.channel.send(outbound(s, "agent-1", "Hi, Maria here."));
            assertThat(again).isEqualTo(first);
            assertThat(rig.graph.accepted()).hasSize(before + 1);

            String two = "a".repeat(4000) + "\n\n" + "b".repeat(100);
            rig.graph.failNext(
                    new mockwebserver3.MockResponse.Builder()
                            .code(200)
                            .body(
                                    "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"+16315551181\",\"wa_id\":\"16315551181\"}],"
                                            + "\"messages\":[{\"id\":\"wamid.PART1\"}]}")
                            .build(),
                    GraphFake.serverError());
            assertThatThrownBy(() -> rig.channel.send(outbound(s, "agent-2", two)))
                    .isInstanceOfSatisfying(OpenCxException.class, e -> assertThat(e.isRetriable())
                            .isTrue());
            DeliveryReceipt retried = rig.channel.send(outbound(s, "agent-2", two));

            assertThat(retried.externalId()).isEqualTo("wamid.PART1");
            assertThat(rig.graph
                            .accepted()
                            .subList(before + 1, rig.graph.accepted().size()))
                    .extracting(GraphFake.Call::text)
                    .containsExactly("a".repeat(4000), "b".repeat(100));
        }
    }

    @Test
    void a_429_and_a_500_are_retried_after_retry_after_and_the_replies_arrive_in_order() {
        try (Rig rig = Rig.start()) {
            rig.graph.failNext(GraphFake.tooManyRequests(1), GraphFake.serverError());
            rig.deliver(Meta.text(KERRY, "Kerry", "wamid.O1", Meta.now(), "one"));
            rig.deliver(Meta.text(KERRY, "Kerry", "wamid.O2", Meta.now(), "two"));

            await().atMost(Rig.WAIT).until(() -> rig.graph.accepted().size() == 2);
            rig.idle();

            List<GraphFake.Call> calls = rig.graph.calls();
            assertThat(rig.graph.accepted())
                    .extracting(GraphFake.Call::text)
                    .containsExactly("answer: one", "answer: two");
            assertThat(calls.get(0).answered()).isEqualTo(429);
            Duration waited = Duration.between(calls.get(0).at(), calls.get(1).at());
            System.out.println("whatsapp: after the 429 with Retry-After: 1 the next attempt came " + waited.toMillis()
                    + " ms later");
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            assertThat(SessionLog.of(rig.cx, rig.onlySessionOf(KERRY).id(), DeliveryFailed.class))
                    .isEmpty();
        }
    }

    @Test
    void a_meta_error_fails_the_delivery_with_its_code_but_not_its_text() {
        try (Rig rig = Rig.start()) {
            rig.graph.failNext(GraphFake.metaError(400, 100, "OAuthException", "Invalid parameter"));
            Session s = conversationWith(rig, "hello");

            List<DeliveryFailed> failed = SessionLog.of(rig.cx, s.id(), DeliveryFailed.class);
            assertThat(failed).hasSize(1);
            assertThat(failed.get(0).attempts()).isEqualTo(1);
            assertThat(failed.get(0).error())
                    .contains("answered 400 (100)")
                    .doesNotContain("Invalid parameter")
                    .doesNotContain("16315551181");
        }
    }

    @Test
    void metas_throttling_code_is_retried_even_when_it_comes_as_a_400() {
        try (Rig rig = Rig.start()) {
            assertThat(rig.deliver(Meta.text(KERRY, "Kerry", "wamid.T0", Meta.now(), "hi"))
                            .status())
                    .isEqualTo(200);
            rig.idle();
            Session s = rig.onlySessionOf(KERRY);
            rig.graph.failNext(GraphFake.metaError(400, 130429, "OAuthException", "Rate limit hit"));

            assertThatThrownBy(() -> rig.channel.send(outbound(s, "t-1", "later")))
                    .isInstanceOfSatisfying(OpenCxException.class, e -> {
                        assertThat(e.isRetriable()).isTrue();
                        assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
                        assertThat(e.getMessage()).contains("(130429)");
                    });
        }
    }

    @Test
    void refuses_a_recipient_without_a_phone_number_permanently() {
        try (Rig rig = Rig.start()) {
            Session s = conversationWith(rig, "hi");
            OutboundMessage m = outbound(s, "x", "hello");
            OutboundMessage toEmail = new OutboundMessage(
                    m.messageId(),
                    m.sessionId(),
                    m.ticket(),
                    m.channel(),
                    Identity.email("kerry@example.com"),
                    "",
                    m.kind(),
                    m.author(),
                    m.authorId(),
                    m.text(),
                    List.of(),
                    "",
                    "x");

            assertThatThrownBy(() -> rig.channel.send(toEmail))
                    .isInstanceOfSatisfying(OpenCxException.class, e -> assertThat(e.isRetriable())
                            .isFalse())
                    .hasMessageContaining("phone");
        }
    }

    @Test
    void fetches_a_customers_media_through_the_graph_api() {
        try (Rig rig = Rig.start()) {
            byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 1, 2, 3};
            rig.graph.media("1479537139650973", jpeg);

            WhatsAppMedia media = rig.channel.fetchMedia("whatsapp-media:1479537139650973");

            assertThat(media.bytes()).isEqualTo(jpeg);
            assertThat(media.contentType()).isEqualTo("image/jpeg");
            assertThatThrownBy(() -> rig.channel.fetchMedia("whatsapp-media:404404"))
                    .isInstanceOfSatisfying(OpenCxException.class, e -> assertThat(e.isRetriable())
                            .isFalse());
            assertThatThrownBy(() -> rig.channel.fetchMedia("https://evil.example/x"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
