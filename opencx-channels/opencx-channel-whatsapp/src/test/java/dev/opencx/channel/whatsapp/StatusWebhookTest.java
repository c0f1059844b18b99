package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.DeliveryUpdated.State;
import dev.opencx.event.ReplySent;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.SessionLog;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Meta's status webhooks land, once each, on the session of the message they report. */
class StatusWebhookTest {
    static final String KERRY = "16315551181";

    private record Sent(Session session, String messageId, String wamid, String callback) {}

    private static Sent answered(Rig rig) {
        assertThat(rig.deliver(Meta.text(KERRY, "Kerry", "wamid.Q" + System.nanoTime(), Meta.now(), "hello"))
                        .status())
                .isEqualTo(200);
        rig.idle();
        Session s = rig.onlySessionOf(KERRY);
        GraphFake.Call reply = rig.graph.accepted().get(rig.graph.accepted().size() - 1);
        String messageId =
                SessionLog.of(rig.cx, s.id(), ReplySent.class).get(0).message().id();
        return new Sent(
                s,
                messageId,
                rig.graph.lastWamid(),
                reply.body().path("biz_opaque_callback_data").asText());
    }

    @Test
    void sent_delivered_and_read_are_recorded_on_the_replys_session_with_its_message_id() {
        try (Rig rig = Rig.start()) {
            Sent sent = answered(rig);

            for (String status : List.of("sent", "delivered", "read")) {
                assertThat(rig.deliver(Meta.status(sent.wamid(), status, KERRY, sent.callback()))
                                .status())
                        .isEqualTo(200);
            }

            assertThat(SessionLog.of(rig.cx, sent.session().id(), DeliveryUpdated.class))
                    .extracting(
                            DeliveryUpdated::state,
                            DeliveryUpdated::messageId,
                            DeliveryUpdated::externalId,
                            DeliveryUpdated::channel)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple(State.SENT, sent.messageId(), sent.wamid(), "whatsapp"),
                            org.assertj.core.groups.Tuple.tuple(
                                    State.DELIVERED, sent.messageId(), sent.wamid(), "whatsapp"),
                            org.assertj.core.groups.Tuple.tuple(
                                    State.READ, sent.messageId(), sent.wamid(), "whatsapp"));
        }
    }

    @Test
    void a_repeated_status_is_recorded_once_also_after_a_restart() {
        InMemoryConversationStore store = new InMemoryConversationStore();
        Sent sent;
        String delivered;
        try (Rig rig = Rig.start(b -> b, b -> b, store)) {
            sent = answered(rig);
            delivered = Meta.status(sent.wamid(), "delivered", KERRY, sent.callback());
            rig.deliver(delivered);
            rig.deliver(delivered);
            assertThat(SessionLog.of(rig.cx, sent.session().id(), DeliveryUpdated.class))
                    .hasSize(1);
        }
        try (Rig restarted = Rig.start(b -> b, b -> b, store)) {
            assertThat(restarted.deliver(delivered).status()).isEqualTo(200);
            assertThat(SessionLog.of(restarted.cx, sent.session().id(), DeliveryUpdated.class))
                    .hasSize(1);
        }
    }

    @Test
    void without_the_callback_data_the_channel_still_knows_its_own_recent_messages() {
        try (Rig rig = Rig.start()) {
            Sent sent = answered(rig);

            rig.deliver(Meta.status(sent.wamid(), "delivered", KERRY, null));

            assertThat(SessionLog.of(rig.cx, sent.session().id(), DeliveryUpdated.class))
                    .singleElement()
                    .satisfies(u -> assertThat(u.messageId()).isEqualTo(sent.messageId()));
        }
    }

    @Test
    void a_failed_status_is_recorded_with_metas_error_code_and_title() {
        try (Rig rig = Rig.start()) {
            Sent sent = answered(rig);

            rig.deliver(Meta.failedStatus(sent.wamid(), KERRY, sent.callback(), 131047, "Re-engagement message"));

            assertThat(SessionLog.of(rig.cx, sent.session().id(), DeliveryUpdated.class))
                    .singleElement()
                    .satisfies(u -> {
                        assertThat(u.state()).isEqualTo(State.FAILED);
                        assertThat(u.providerStatus()).isEqualTo("failed");
                        assertThat(u.error()).isEqualTo("131047 Re-engagement message");
                    });
        }
    }

    @Test
    void statuses_of_messages_sent_by_someone_else_are_acknowledged_and_ignored() {
        try (Rig rig = Rig.start()) {
            Sent sent = answered(rig);
            int events = rig.cx.events(sent.session().id()).size();

            assertThat(rig.deliver(Meta.status("wamid.SOMEONEELSE", "read", KERRY, null))
                            .status())
                    .isEqualTo(200);
            assertThat(rig.deliver(Meta.status("wamid.FOREIGN", "read", KERRY, "crm-campaign-42"))
                            .status())
                    .isEqualTo(200);
            assertThat(rig.deliver(Meta.status("wamid.GONE", "read", KERRY, "ocx1|no-such-session|m1"))
                            .status())
                    .isEqualTo(200);

            assertThat(rig.cx.events(sent.session().id())).hasSize(events);
        }
    }

    @Test
    void messages_and_statuses_in_one_delivery_are_all_handled() {
        try (Rig rig = Rig.start()) {
            Sent sent = answered(rig);
            String both = Meta.delivery(Meta.contacts(KERRY, "Kerry") + ",\"messages\":["
                    + Meta.textMessage(KERRY, "wamid.MIX1", Meta.now(), "thanks!") + "],\"statuses\":["
                    + Meta.statusObject(sent.wamid(), "read", KERRY, sent.callback(), "") + "]");

            Rig.Answer a = rig.deliver(both);

            assertThat(a.body()).isEqualTo("{\"stored\":1,\"duplicates\":0,\"statuses\":1}");
            assertThat(SessionLog.of(rig.cx, sent.session().id(), DeliveryUpdated.class))
                    .extracting(DeliveryUpdated::state)
                    .containsExactly(State.READ);
        }
    }
}
