package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.MessageDelivered;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.responder.Reply;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.SessionLog;
import dev.opencx.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WhatsApp's 24-hour customer service window: text inside it, the template (or a logged failure) outside. */
class ServiceWindowTest {
    static final String KERRY = "16315551181";
    static final WhatsAppTemplate WAITING = WhatsAppTemplate.builder("reply_waiting", "en_US")
            .parameters(m -> List.of(m.ticket().toString(), "Your  refund\nis on its way"))
            .build();

    private final TestClock clock = new TestClock(Instant.now());

    /** A rig whose AI hands every message off, so that agent replies can come at any time. */
    private Rig rig(boolean withTemplate) {
        return Rig.start(
                b -> withTemplate ? b.clock(clock).template(WAITING) : b.clock(clock),
                b -> b.responder(req -> Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "nothing known", Map.of())));
    }

    private static Session handedOff(Rig rig) {
        assertThat(rig.deliver(Meta.text(KERRY, "Kerry", "wamid.W1", Meta.now(), "where is my refund?"))
                        .status())
                .isEqualTo(200);
        rig.idle();
        return rig.onlySessionOf(KERRY);
    }

    @Test
    void inside_the_window_an_agent_reply_goes_out_as_text() {
        try (Rig rig = rig(true)) {
            Session s = handedOff(rig);
            clock.advance(Duration.ofHours(23).plusMinutes(59));

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Your refund is on its way.", "a-1");
            rig.idle();

            assertThat(rig.graph.accepted()).extracting(GraphFake.Call::type).containsOnly("text");
            assertThat(rig.graph.accepted())
                    .last()
                    .extracting(GraphFake.Call::text)
                    .isEqualTo("Your refund is on its way.");
        }
    }

    @Test
    void outside_the_window_the_configured_template_is_sent_instead_and_the_log_says_so() {
        try (Rig rig = rig(true)) {
            Session s = handedOff(rig);
            int before = rig.graph.accepted().size();
            clock.advance(Duration.ofHours(24).plusMinutes(1));

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Your refund is on its way.", "a-1");
            rig.idle();

            List<GraphFake.Call> after =
                    rig.graph.accepted().subList(before, rig.graph.accepted().size());
            assertThat(after).hasSize(1);
            GraphFake.Call template = after.get(0);
            String callback = template.body().path("biz_opaque_callback_data").asText();
            assertThat(template.body().toString())
                    .isEqualTo("{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\"+"
                            + KERRY
                            + "\",\"type\":\"template\",\"biz_opaque_callback_data\":\"" + callback + "\",\"template\":"
                            + "{\"name\":\"reply_waiting\",\"language\":{\"code\":\"en_US\"},\"components\":[{\"type\":"
                            + "\"body\",\"parameters\":[{\"type\":\"text\",\"text\":\"" + s.ticket() + "\"},"
                            + "{\"type\":\"text\",\"text\":\"Your refund is on its way\"}]}]}}");
            assertThat(callback).startsWith("ocx1|" + s.id() + "|");
            assertThat(SessionLog.of(rig.cx, s.id(), DeliveryUpdated.class))
                    .singleElement()
                    .satisfies(u -> {
                        assertThat(u.externalId()).isEqualTo(rig.graph.lastWamid());
                        assertThat(u.providerStatus()).isEqualTo("template reply_waiting (24-hour window closed)");
                    });
            assertThat(SessionLog.of(rig.cx, s.id(), MessageDelivered.class))
                    .last()
                    .extracting(MessageDelivered::externalId)
                    .isEqualTo(rig.graph.lastWamid());
        }
    }

    @Test
    void outside_the_window_without_a_template_the_delivery_fails_with_the_reason_in_the_log() {
        try (Rig rig = rig(false)) {
            Session s = handedOff(rig);
            int calls = rig.graph.calls().size();
            clock.advance(Duration.ofHours(30));

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Your refund is on its way.", "a-1");
            rig.idle();

            assertThat(rig.graph.calls()).hasSize(calls); // nothing was even tried: WhatsApp would refuse it
            assertThat(SessionLog.of(rig.cx, s.id(), DeliveryFailed.class))
                    .singleElement()
                    .satisfies(f -> {
                        assertThat(f.attempts()).isEqualTo(1);
                        assertThat(f.error())
                                .contains("24-hour customer service window is closed for " + s.ticket())
                                .contains("no template is configured");
                    });
        }
    }

    @Test
    void metas_error_131047_sends_the_template_instead() {
        try (Rig rig = rig(true)) {
            Session s = handedOff(rig);
            rig.graph.failNext(GraphFake.metaError(400, 131047, "OAuthException", "Re-engagement message"));

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Your refund is on its way.", "a-1");
            rig.idle();

            List<GraphFake.Call> calls = rig.graph.calls();
            assertThat(calls.get(calls.size() - 2).type()).isEqualTo("text");
            assertThat(calls.get(calls.size() - 2).answered()).isEqualTo(400);
            assertThat(calls.get(calls.size() - 1).type()).isEqualTo("template");
            assertThat(calls.get(calls.size() - 1).answered()).isEqualTo(200);
            assertThat(SessionLog.of(rig.cx, s.id(), DeliveryFailed.class)).isEmpty();
        }
    }

    @Test
    void metas_error_131047_without_a_template_fails_the_delivery_naming_the_code() {
        try (Rig rig = rig(false)) {
            Session s = handedOff(rig);
            rig.graph.failNext(GraphFake.metaError(400, 131047, "OAuthException", "Re-engagement message"));

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Your refund is on its way.", "a-1");
            rig.idle();

            assertThat(SessionLog.of(rig.cx, s.id(), DeliveryFailed.class))
                    .singleElement()
                    .satisfies(f -> assertThat(f.error()).contains("131047").contains("no template is configured"));
        }
    }

    @Test
    void the_window_counts_from_when_the_customer_wrote_even_when_meta_delivers_it_late() {
        try (Rig rig = rig(true)) {
            String written =
                    Long.toString(clock.instant().minus(Duration.ofHours(25)).getEpochSecond());
            rig.deliver(Meta.text(KERRY, "Kerry", "wamid.LATE1", written, "hello from yesterday"));
            rig.idle();

            // the handoff notice could only go out as the template
            assertThat(rig.graph.accepted()).extracting(GraphFake.Call::type).containsExactly("template");
        }
    }

    @Test
    void the_window_is_read_from_the_session_log_so_it_survives_a_restart() {
        InMemoryConversationStore store = new InMemoryConversationStore();
        Session s;
        try (Rig first = Rig.start(
                b -> b.clock(clock),
                b -> b.responder(req -> Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "nothing known", Map.of())),
                store)) {
            s = handedOff(first);
        }
        clock.advance(Duration.ofHours(2));
        try (Rig second = Rig.start(b -> b.clock(clock).template(WAITING), b -> b, store)) {
            second.helpdesk.agent().agentReplied(s.ticket(), "maria", "Back from lunch: refund done.", "a-2");
            await().atMost(Rig.WAIT).until(() -> !second.graph.accepted().isEmpty());

            assertThat(second.graph.accepted()).singleElement().satisfies(c -> {
                assertThat(c.type()).isEqualTo("text");
                assertThat(c.text()).isEqualTo("Back from lunch: refund done.");
            });
        }
    }
}
