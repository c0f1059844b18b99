package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ReplySent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.responder.EmbeddedResponder;
import dev.opencx.responder.Reply;
import dev.opencx.test.SessionLog;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole conversations over WhatsApp through the real OpenCX pipeline. */
class ConversationTest {
    static final String KERRY = "16315551181";

    @Test
    void a_customer_asks_on_whatsapp_and_the_ai_answers_there_from_the_help_center() {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(new KnowledgeDocument(
                "returns",
                "Returns and refunds",
                "Refunds reach your card within five business days after we receive the item.",
                BodyFormat.MARKDOWN,
                "https://shop.example/help/returns",
                "en",
                "",
                Map.of()));
        try (Rig rig = Rig.startWithDefaultResponder(
                b -> b.knowledge(knowledge).confidenceModel(new EmbeddedResponder.ConfidenceModel(20, 0, 0, 0, 0)))) {
            Rig.Answer a = rig.deliver(Meta.text(
                    KERRY,
                    "Kerry",
                    "wamid.HBgLMTYzMTU1NTExODEVAgASGBQzQTZ",
                    Meta.now(),
                    "When will my refund reach my card?"));
            assertThat(a.status()).isEqualTo(200);
            rig.idle();

            Session s = rig.onlySessionOf(KERRY);
            assertThat(s.channel().value()).isEqualTo("whatsapp");
            GraphFake.Call answer = rig.graph.accepted().get(0);
            assertThat(answer.to()).isEqualTo("+" + KERRY);
            assertThat(answer.text()).contains("five business days").contains("https://shop.example/help/returns");
            assertThat(SessionLog.of(rig.cx, s.id(), ReplySent.class)).hasSize(1);
            assertThat(SessionLog.of(rig.cx, s.id(), MessageDelivered.class))
                    .singleElement()
                    .satisfies(d -> assertThat(d.externalId()).isEqualTo(rig.graph.lastWamid()));
            assertThat(SessionLog.of(rig.cx, s.id(), HandoffRequested.class)).isEmpty();
        }
    }

    @Test
    void a_handed_off_customer_gets_the_agents_reply_on_whatsapp() {
        try (Rig rig = Rig.start(
                b -> b,
                b -> b.responder(req -> req.message().text().contains("invoice")
                        ? Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "no article about invoices", Map.of())
                        : Rig.echo().respond(req)))) {
            rig.deliver(Meta.text(KERRY, "Kerry", "wamid.H1", Meta.now(), "My invoice shows the wrong VAT number"));
            rig.idle();
            Session s = rig.onlySessionOf(KERRY);

            // the customer hears that a human takes over, on WhatsApp, with the ticket number
            assertThat(rig.graph.accepted()).singleElement().satisfies(c -> assertThat(c.text())
                    .contains(s.ticket().toString()));
            HandoffTicket ticket = rig.helpdesk.ticket(s.ticket()).orElseThrow();
            assertThat(ticket.reason()).isEqualTo(HandoffReason.MISSING_KNOWLEDGE);
            assertThat(ticket.transcript()).extracting(m -> m.text()).contains("My invoice shows the wrong VAT number");

            // while handed off the AI stays silent; the helpdesk gets the customer's next message
            rig.deliver(Meta.image(KERRY, "Kerry", "wamid.H2", "1479537139650973", "here is the invoice"));
            rig.idle();
            await().atMost(Rig.WAIT).until(() -> rig.helpdesk.appended().size() == 1);
            assertThat(rig.helpdesk.appended().get(0).attachments().get(0).url())
                    .isEqualTo("whatsapp-media:1479537139650973");
            assertThat(rig.graph.accepted()).hasSize(1);

            rig.helpdesk
                    .agent()
                    .agentReplied(
                            s.ticket(),
                            "maria",
                            "Hi Kerry, **Maria** here. I corrected the VAT number.",
                            "zd-comment-1");
            rig.idle();

            assertThat(rig.graph.accepted()).hasSize(2);
            assertThat(rig.graph.accepted().get(1).to()).isEqualTo("+" + KERRY);
            assertThat(rig.graph.accepted().get(1).text())
                    .isEqualTo("Hi Kerry, *Maria* here. I corrected the VAT number.");
            assertThat(SessionLog.of(rig.cx, s.id(), MessageReceived.class)).hasSize(2);
            assertThat(rig.cx.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.AGENT_ACTIVE);
        }
    }
}
