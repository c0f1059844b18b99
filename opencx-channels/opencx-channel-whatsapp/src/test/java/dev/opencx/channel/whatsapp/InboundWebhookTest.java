package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.test.SessionLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InboundWebhookTest {
    static final String KERRY = "16315551181";
    final Rig rig = Rig.start(
            b -> b,
            b -> b.responder(req -> dev.opencx.responder.Reply.noAnswer(
                    dev.opencx.handoff.HandoffReason.MISSING_KNOWLEDGE, "silent", java.util.Map.of())));

    @AfterEach
    void close() {
        rig.close();
    }

    private List<Message> messagesOf(String waId) {
        Session s = rig.onlySessionOf(waId);
        return SessionLog.of(rig.cx, s.id(), MessageReceived.class).stream()
                .map(MessageReceived::message)
                .toList();
    }

    @Test
    void stores_a_text_message_with_the_senders_phone_name_wamid_and_time() {
        String ts = "1767225600"; // 2026-01-01T00:00:00Z
        Rig.Answer a = rig.deliver(Meta.text(KERRY, "Kerry", "wamid.ABGGFlA5FpafAgo6EhAj0A", ts, "hello"));

        assertThat(a.status()).isEqualTo(200);
        Message m = messagesOf(KERRY).get(0);
        assertThat(m.text()).isEqualTo("hello");
        assertThat(m.externalId()).isEqualTo("wamid.ABGGFlA5FpafAgo6EhAj0A");
        assertThat(m.at()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        assertThat(rig.cx.sessionAccess().findContact(dev.opencx.conversation.Identity.phone("+16315551181")))
                .hasValueSatisfying(c -> assertThat(c.displayName()).isEqualTo("Kerry"));
    }

    @Test
    void reads_non_ascii_text_that_meta_sends_escaped_and_checks_the_signature_over_the_raw_bytes() {
        // Meta escapes non-ASCII as \u00e4 (lower-case hex); re-serializing would break the signature
        String escaped = "Gr\\u00fc\\u00dfe aus M\\u00fcnchen \\ud83d\\ude00, wo ist mein P\\u00e4ckchen?";
        Rig.Answer a = rig.deliver(Meta.text(KERRY, "J\\u00fcrgen", "wamid.UMLAUT1", Meta.now(), escaped));

        assertThat(a.status()).isEqualTo(200);
        assertThat(messagesOf(KERRY).get(0).text()).isEqualTo("Grüße aus München 😀, wo ist mein Päckchen?");
        assertThat(rig.cx.sessionAccess().findContact(dev.opencx.conversation.Identity.phone("+" + KERRY)))
                .hasValueSatisfying(c -> assertThat(c.displayName()).isEqualTo("Jürgen"));
    }

    @Test
    void keeps_media_as_whatsapp_media_references_with_type_caption_and_file_name() {
        rig.deliver(Meta.image(KERRY, "Kerry", "wamid.IMG1", "1479537139650973", "my broken cable"));
        rig.deliver(Meta.document(KERRY, "Kerry", "wamid.DOC1", "982374982374", "invoice-0042.pdf"));

        List<Message> ms = messagesOf(KERRY);
        assertThat(ms).hasSize(2);
        assertThat(ms.get(0).text()).isEqualTo("my broken cable");
        assertThat(ms.get(0).attachments())
                .containsExactly(new Attachment("whatsapp-media:1479537139650973", "image/jpeg", "", -1));
        assertThat(ms.get(1).text()).isEmpty();
        assertThat(ms.get(1).attachments())
                .containsExactly(
                        new Attachment("whatsapp-media:982374982374", "application/pdf", "invoice-0042.pdf", -1));
    }

    @Test
    void button_list_and_template_replies_become_the_title_the_customer_tapped() {
        rig.deliver(Meta.buttonReply(KERRY, "Kerry", "wamid.BTN1", "wamid.OURS1", "refund-yes", "Yes, refund me"));
        rig.deliver(Meta.listReply(KERRY, "Kerry", "wamid.LIST1", "ship-express", "Express shipping"));
        rig.deliver(Meta.templateButton(KERRY, "Kerry", "wamid.TPL1", "Talk to us", "reengage"));

        assertThat(messagesOf(KERRY))
                .extracting(Message::text)
                .containsExactly("Yes, refund me", "Express shipping", "Talk to us");
    }

    @Test
    void a_location_becomes_its_name_address_and_a_geo_uri() {
        rig.deliver(Meta.location(KERRY, "Kerry", "wamid.LOC1"));

        assertThat(messagesOf(KERRY).get(0).text()).isEqualTo("Alexanderplatz\n10178 Berlin\ngeo:52.520008,13.404954");
    }

    @Test
    void reactions_system_and_unsupported_messages_are_acknowledged_and_not_stored() {
        assertThat(rig.deliver(Meta.reaction(KERRY, "Kerry", "wamid.REACT1", "wamid.OURS1"))
                        .status())
                .isEqualTo(200);
        assertThat(rig.deliver(Meta.unsupported(KERRY, "Kerry", "wamid.UNSUP1")).status())
                .isEqualTo(200);
        assertThat(rig.deliver(Meta.system(KERRY, "wamid.SYS1")).status()).isEqualTo(200);

        assertThat(rig.sessionsOf(KERRY)).isEmpty();
    }

    @Test
    void a_new_message_type_and_unknown_fields_do_not_fail_the_delivery() {
        String future = Meta.delivery(Meta.contacts(KERRY, "Kerry") + ",\"messages\":[{\"from\":\"" + KERRY
                + "\",\"id\":\"wamid.NEW1\",\"timestamp\":\"" + Meta.now() + "\",\"type\":\"hologram\","
                + "\"hologram\":{\"id\":\"1\"},\"brand_new_field\":{\"x\":[1,2]}},"
                + Meta.textMessage(KERRY, "wamid.NEW2", Meta.now(), "still here") + "],\"another_new_field\":true");

        assertThat(rig.deliver(future).status()).isEqualTo(200);
        assertThat(messagesOf(KERRY)).extracting(Message::text).containsExactly("still here");
    }

    @Test
    void stores_every_message_of_a_batch_with_several_entries_in_order_before_answering() {
        String batch = "{\"object\":\"whatsapp_business_account\",\"entry\":["
                + Meta.entry(
                        Meta.PHONE_NUMBER_ID,
                        Meta.contacts(KERRY, "Kerry") + ",\"messages\":["
                                + Meta.textMessage(KERRY, "wamid.B1", Meta.now(), "one") + ","
                                + Meta.textMessage(KERRY, "wamid.B2", Meta.now(), "two") + "]")
                + ","
                + Meta.entry(
                        Meta.PHONE_NUMBER_ID,
                        Meta.contacts("4915112345678", "Lena") + ",\"messages\":["
                                + Meta.textMessage("4915112345678", "wamid.B3", Meta.now(), "drei") + "]")
                + "]}";

        Rig.Answer a = rig.deliver(batch);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo("{\"stored\":3,\"duplicates\":0,\"statuses\":0}");
        assertThat(messagesOf(KERRY)).extracting(Message::text).containsExactly("one", "two");
        assertThat(messagesOf("4915112345678")).extracting(Message::text).containsExactly("drei");
    }

    @Test
    void a_retried_delivery_is_stored_once() {
        String once = Meta.text(KERRY, "Kerry", "wamid.RETRY1", Meta.now(), "is my order shipped?");

        assertThat(rig.deliver(once).status()).isEqualTo(200);
        Rig.Answer again = rig.deliver(once);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).contains("\"duplicates\":1");
        assertThat(messagesOf(KERRY)).hasSize(1);
    }

    @Test
    void skips_changes_for_another_phone_number_of_the_same_account() {
        String other = Meta.delivery(
                "999888777",
                Meta.contacts(KERRY, "Kerry") + ",\"messages\":["
                        + Meta.textMessage(KERRY, "wamid.OTHER1", Meta.now(), "for the other number") + "]");

        assertThat(rig.deliver(other).status()).isEqualTo(200);
        assertThat(rig.sessionsOf(KERRY)).isEmpty();
    }

    @Test
    void skips_other_fields_of_the_account() {
        String templateStatus = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + Meta.WABA_ID
                + "\",\"time\":1767225600,\"changes\":[{\"value\":{\"event\":\"APPROVED\",\"message_template_id\":"
                + "594425479261596,\"message_template_name\":\"reply_waiting\",\"message_template_language\":\"en_US\","
                + "\"reason\":\"NONE\"},\"field\":\"message_template_status_update\"}]}]}";

        assertThat(rig.deliver(templateStatus).status()).isEqualTo(200);
    }

    @Test
    void an_account_level_error_beside_the_messages_is_acknowledged() {
        String errors = Meta.delivery("\"errors\":[{\"code\":131000,\"title\":\"Something went wrong\","
                + "\"message\":\"Something went wrong\",\"error_data\":{\"details\":\"Unknown error\"}}]");

        assertThat(rig.deliver(errors).status()).isEqualTo(200);
        assertThat(rig.sessionsOf(KERRY)).isEmpty();
    }
}
