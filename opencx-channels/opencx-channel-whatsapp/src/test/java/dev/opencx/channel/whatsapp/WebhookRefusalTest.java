package dev.opencx.channel.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCxException;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.SessionQuery;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What the webhook refuses, and that a refused delivery stores nothing. */
class WebhookRefusalTest {
    static final String KERRY = "16315551181";

    private static int sessions(Rig rig) {
        return rig.store.sessions(SessionQuery.inStates()).size();
    }

    @Test
    void accepts_the_metas_signature_vector_and_refuses_one_changed_byte() {
        // PROTOCOLS.md §0, Meta [local]: HMAC-SHA256("app_secret", body)
        String body = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}";
        String vector = "sha256=c236c758c9b2bd40b388a550eeca09eaca72384dd0aa5e7c31d19cddac5bba46";
        assertThat(Meta.sign(Meta.APP_SECRET, Meta.utf8(body))).isEqualTo(vector);
        try (Rig rig = Rig.start()) {
            assertThat(rig.post(Meta.utf8(body), vector).status()).isEqualTo(200);
            assertThat(rig.post(Meta.utf8(body.replace("[]", "[ ]")), vector).status())
                    .isEqualTo(401);
            assertThat(rig.post(Meta.utf8(body), vector.toUpperCase().replace("SHA256=", "sha256="))
                            .status())
                    .isEqualTo(200); // hex case does not matter
        }
    }

    @Test
    void forged_unsigned_and_wrong_secret_deliveries_get_401_and_nothing_is_stored() {
        try (Rig rig = Rig.start()) {
            byte[] body = Meta.utf8(Meta.text(KERRY, "Kerry", "wamid.FORGED1", Meta.now(), "refund me"));

            Rig.Answer unsigned = rig.post(body, null);
            Rig.Answer wrongSecret = rig.post(body, Meta.sign("not-the-app-secret", body));
            Rig.Answer sha1 = rig.post(
                    body,
                    "sha1="
                            + dev.opencx.connect.Signatures.hex(
                                    dev.opencx.connect.Signatures.hmacSha1(Meta.APP_SECRET, body)));
            Rig.Answer garbage = rig.post(body, "sha256=");

            assertThat(unsigned.status()).isEqualTo(401);
            assertThat(unsigned.body()).contains("bad_signature").contains("missing");
            assertThat(wrongSecret.status()).isEqualTo(401);
            assertThat(sha1.status()).isEqualTo(401);
            assertThat(garbage.status()).isEqualTo(401);
            assertThat(sessions(rig)).isZero();
        }
    }

    @Test
    void a_replayed_delivery_with_its_signature_moved_to_another_body_is_refused() {
        try (Rig rig = Rig.start()) {
            byte[] original = Meta.utf8(Meta.text(KERRY, "Kerry", "wamid.R1", Meta.now(), "hi"));
            String signature = Meta.sign(Meta.APP_SECRET, original);
            assertThat(rig.post(original, signature).status()).isEqualTo(200);
            rig.idle();
            int before = rig.cx.events(rig.onlySessionOf(KERRY).id()).size();

            byte[] tampered =
                    Meta.utf8(Meta.text(KERRY, "Kerry", "wamid.R2", Meta.now(), "send the refund to my other card"));
            assertThat(rig.post(tampered, signature).status()).isEqualTo(401);
            assertThat(rig.cx.events(rig.onlySessionOf(KERRY).id())).hasSize(before);
        }
    }

    @Test
    void the_previous_app_secret_is_accepted_while_rotating() {
        try (Rig rig = Rig.start(b -> b.appSecret("new_app_secret").previousAppSecret(Meta.APP_SECRET), b -> b)) {
            byte[] oldSigned = Meta.utf8(Meta.text(KERRY, "Kerry", "wamid.ROT1", Meta.now(), "old"));
            byte[] newSigned = Meta.utf8(Meta.text(KERRY, "Kerry", "wamid.ROT2", Meta.now(), "new"));

            assertThat(rig.post(oldSigned, Meta.sign(Meta.APP_SECRET, oldSigned))
                            .status())
                    .isEqualTo(200);
            assertThat(rig.post(newSigned, Meta.sign("new_app_secret", newSigned))
                            .status())
                    .isEqualTo(200);
            assertThat(rig.post(newSigned, Meta.sign("third", newSigned)).status())
                    .isEqualTo(401);
        }
    }

    @Test
    void malformed_json_gets_400_with_the_reason_and_nothing_is_stored() {
        try (Rig rig = Rig.start()) {
            Rig.Answer a = rig.deliver("{\"object\":\"whatsapp_business_account\",\"entry\":[");

            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).contains("invalid_json").contains("line 1");
            assertThat(sessions(rig)).isZero();
        }
    }

    @Test
    void another_object_gets_400_naming_it() {
        try (Rig rig = Rig.start()) {
            Rig.Answer a = rig.deliver("{\"object\":\"page\",\"entry\":[]}");

            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body()).contains("wrong_object").contains("'page'");
        }
    }

    @Test
    void a_message_without_a_sender_fails_the_whole_delivery_before_anything_is_stored() {
        try (Rig rig = Rig.start()) {
            String batch = Meta.delivery(Meta.contacts(KERRY, "Kerry") + ",\"messages\":["
                    + Meta.textMessage(KERRY, "wamid.OK1", Meta.now(), "fine")
                    + ",{\"id\":\"wamid.BAD1\",\"timestamp\":\"" + Meta.now()
                    + "\",\"type\":\"text\",\"text\":{\"body\":\"no sender\"}}]");

            Rig.Answer a = rig.deliver(batch);

            assertThat(a.status()).isEqualTo(400);
            assertThat(a.body())
                    .contains("invalid_payload")
                    .contains("entry[0].changes[0].value.messages[1].from is missing");
            assertThat(sessions(rig)).isZero();
        }
    }

    @Test
    void answers_503_while_the_store_fails_so_that_meta_delivers_again_and_the_retry_is_stored_once() {
        AtomicBoolean down = new AtomicBoolean();
        InMemoryConversationStore real = new InMemoryConversationStore();
        InvocationHandler h = (proxy, method, args) -> {
            if (down.get() && method.getName().equals("appendInbound")) {
                throw OpenCxException.retriable("database unreachable", null);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        ConversationStore failing = (ConversationStore)
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ConversationStore.class}, h);
        try (Rig rig = Rig.start(b -> b, b -> b, failing)) {
            String batch = Meta.delivery(Meta.contacts(KERRY, "Kerry") + ",\"messages\":["
                    + Meta.textMessage(KERRY, "wamid.S1", Meta.now(), "first") + ","
                    + Meta.textMessage(KERRY, "wamid.S2", Meta.now(), "second") + "]");
            down.set(true);

            Rig.Answer during = rig.deliver(batch);

            assertThat(during.status()).isEqualTo(503);
            assertThat(during.body()).contains("store_unavailable").doesNotContain("first");
            down.set(false);
            Rig.Answer retried = rig.deliver(batch);
            assertThat(retried.status()).isEqualTo(200);
            assertThat(dev.opencx.test.SessionLog.of(
                                    rig.cx, rig.onlySessionOf(KERRY).id(), dev.opencx.event.MessageReceived.class)
                            .stream()
                            .map(m -> m.message().text()))
                    .containsExactly("first", "second");
        }
    }

    @Test
    void the_verification_handshake_echoes_the_challenge_only_for_the_right_token() {
        try (Rig rig = Rig.start()) {
            Rig.Answer ok = rig.get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + Rig.VERIFY_TOKEN);
            Rig.Answer wrong = rig.get("hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=guess");
            Rig.Answer noMode = rig.get("hub.challenge=1158201444&hub.verify_token=" + Rig.VERIFY_TOKEN);

            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.contentType()).startsWith("text/plain");
            assertThat(ok.body()).isEqualTo("1158201444");
            assertThat(wrong.status()).isEqualTo(403);
            assertThat(wrong.body()).doesNotContain("1158201444").doesNotContain(Rig.VERIFY_TOKEN);
            assertThat(noMode.status()).isEqualTo(403);
        }
    }
}
