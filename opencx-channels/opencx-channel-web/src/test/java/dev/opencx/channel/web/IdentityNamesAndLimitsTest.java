package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.opencx.channel.web.internal.Hmac;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetectors;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Over real HTTP: a claimed user id is made canonical before its hash is checked, the anonymous
 * visitors' namespace cannot be claimed, a name given to the widget or the REST API is stored as a
 * placeholder when names are redacted, and a full session refuses the next message with 429.
 */
class IdentityNamesAndLimitsTest {
    private static final byte[] SECRET = Rig.SECRET.getBytes(StandardCharsets.UTF_8);

    private static String json(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        try {
            return Rig.JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Rig.Resp auth(Rig rig, String userId, String hash) {
        return rig.postJson("/widget/v1/auth", json("userId", userId, "userHash", hash));
    }

    private static String openSession(Rig rig, String token) {
        return rig.postJson("/widget/v1/sessions", "{}", "Authorization", "Bearer " + token)
                .json()
                .get("id")
                .asText();
    }

    private static long customerMessages(Rig rig, String sessionId) {
        return rig.cx.events(sessionId).stream()
                .filter(e -> e.payload() instanceof MessageReceived)
                .count();
    }

    // ---- identities ----

    @Test
    void a_user_id_is_checked_in_its_canonical_form_so_spaces_never_make_another_user() {
        try (Rig rig = Rig.start()) {
            String hash = rig.web.userHash("alice");
            assertThat(WebChannel.userHash(SECRET, " alice ")).isEqualTo(hash);

            Rig.Resp padded = auth(rig, " alice ", hash);
            assertThat(padded.status()).isEqualTo(200);
            String first = openSession(rig, padded.json().get("token").asText());
            Rig.Resp plain = auth(rig, "alice", hash);
            assertThat(plain.json().get("session").get("id").asText())
                    .as("' alice ' and 'alice' are one user")
                    .isEqualTo(first);
            assertThat(rig.store.findContact(Identity.custom("alice"))).isPresent();

            // a hash made over the untrimmed id is not the user's: refused, with a hint
            Rig.Resp rawHash = auth(rig, " alice ", Hmac.sha256Hex(SECRET, " alice "));
            assertThat(rawHash.status()).isEqualTo(401);
            assertThat(rawHash.errorCode()).isEqualTo("identity_unverified");
            assertThat(rawHash.json().get("error").get("message").asText()).contains("leading and trailing spaces");
        }
    }

    @Test
    void the_anonymous_visitors_namespace_can_never_be_claimed_with_any_hash() {
        try (Rig rig = Rig.start()) {
            String visitor = rig.visitor();
            String session = openSession(rig, visitor);
            Contact owner = rig.store
                    .contact(rig.cx.session(session).orElseThrow().contactId())
                    .orElseThrow();
            String visitorId = owner.identities().get(0).value();
            assertThat(visitorId).startsWith("web-visitor:");

            for (String claim : new String[] {
                " " + visitorId,
                visitorId,
                visitorId + "\t",
                "\u00a0" + visitorId,
                "\u200b" + visitorId,
                "WEB-VISITOR:" + visitorId.substring("web-visitor:".length())
            }) {
                for (String hash : new String[] {
                    Hmac.sha256Hex(SECRET, claim),
                    Hmac.sha256Hex(SECRET, claim.strip()),
                    Hmac.sha256Hex(SECRET, visitorId)
                }) {
                    Rig.Resp r = auth(rig, claim, hash);
                    assertThat(r.status()).as("claim '%s'", claim).isEqualTo(400);
                    assertThat(r.errorCode()).isEqualTo("invalid_request");
                    assertThat(r.json().get("error").get("message").asText()).contains("reserved");
                }
            }
            assertThat(rig.store.contact(owner.id()).orElseThrow().identities())
                    .containsExactlyElementsOf(owner.identities());
            assertThat(rig.store.sessionsOfContact(owner.id())).hasSize(1);
            assertThatThrownBy(() -> rig.web.userHash(" " + visitorId))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reserved");
        }
    }

    @Test
    void a_user_id_that_is_blank_once_trimmed_is_refused_with_a_clear_error() {
        try (Rig rig = Rig.start()) {
            for (String blank : new String[] {"", "   ", "\t\n", "\u00a0\u2003", "\u200b"}) {
                Rig.Resp r = auth(rig, blank, Hmac.sha256Hex(SECRET, blank));
                assertThat(r.status()).as("'%s'", blank).isEqualTo(400);
                assertThat(r.json().get("error").get("message").asText())
                        .contains("'userId'")
                        .contains("identity is blank");
            }
            Rig.Resp control = auth(rig, "ali\u0000ce", Hmac.sha256Hex(SECRET, "ali\u0000ce"));
            assertThat(control.status()).isEqualTo(400);
            assertThat(control.json().get("error").get("message").asText()).contains("control character");
            assertThat(rig.sessionCount()).isZero();
        }
    }

    // ---- names ----

    private static Rig redactingRig(byte[] key) {
        return Rig.withClient(b -> b.pii(PiiDetectors.pattern(PiiType.EMAIL, "\\S+@\\S+\\.\\w+"), PiiPolicy.defaults())
                .piiVault(PiiVault.aesGcm(key)));
    }

    @Test
    void the_name_a_user_signs_in_with_is_stored_as_a_placeholder_and_revealed_as_the_policy_allows() {
        byte[] key = PiiVault.newKey();
        try (Rig rig = redactingRig(key)) {
            Rig.Resp ana = rig.postJson(
                    "/widget/v1/auth",
                    json("userId", "user-8", "userHash", rig.web.userHash("user-8"), "name", " Ana Lima "));
            String token = ana.json().get("token").asText();
            String payload = new String(
                    Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))), StandardCharsets.UTF_8);
            assertThat(payload).as("the name travels sealed in the token").doesNotContain("Ana");

            Contact contact = rig.store.findContact(Identity.custom("user-8")).orElseThrow();
            assertThat(contact.displayName()).isEqualTo(PiiRedactor.CONTACT_NAME);

            String session = openSession(rig, token);
            assertThat(rig.cx.contactName(session, PiiDestination.AGENT_VIEW)).isEqualTo("Ana Lima");
            assertThat(rig.cx.contactName(session, PiiDestination.HELPDESK)).isEqualTo("Ana Lima");
            assertThat(rig.cx.contactName(session, PiiDestination.MODEL)).isEqualTo(PiiRedactor.CONTACT_NAME);
            assertThat(rig.cx.store().vaultEntries(session)).singleElement().satisfies(v -> assertThat(v.sealedValue())
                    .doesNotContain("Ana"));

            // the customer typing their own name gets the same placeholder
            Rig.Resp posted = rig.postJson(
                    "/widget/v1/sessions/" + session + "/messages",
                    json("text", "hello, ana lima here"),
                    "Authorization",
                    "Bearer " + token);
            assertThat(posted.status()).isEqualTo(202);
            MessageReceived stored = (MessageReceived) rig.cx.events(session).stream()
                    .filter(e -> e.payload() instanceof MessageReceived)
                    .findFirst()
                    .orElseThrow()
                    .payload();
            assertThat(stored.message().text()).isEqualTo("hello, [PERSON_0] here");
        }
    }

    @Test
    void the_name_given_to_the_rest_api_is_stored_as_a_placeholder_and_a_later_session_gets_it_too() {
        try (Rig rig = redactingRig(PiiVault.newKey())) {
            Rig.Resp created = rig.postJson(
                    "/api/v1/sessions",
                    json("contact", Map.of("email", "ana@example.com"), "name", "Ana Lima"),
                    "Authorization",
                    "Bearer " + Rig.API_KEY);
            assertThat(created.status()).isEqualTo(201);
            String first = created.json().get("id").asText();
            assertThat(rig.store
                            .findContact(Identity.email("ana@example.com"))
                            .orElseThrow()
                            .displayName())
                    .isEqualTo(PiiRedactor.CONTACT_NAME);
            assertThat(rig.cx.contactName(first, PiiDestination.AGENT_VIEW)).isEqualTo("Ana Lima");

            // a second session, created without a name, carries a copy sealed for itself
            String second = rig.apiSession("ana@example.com");
            assertThat(second).isNotEqualTo(first);
            assertThat(rig.cx.contactName(second, PiiDestination.AGENT_VIEW)).isEqualTo("Ana Lima");
        }
    }

    // ---- the per-session message cap ----

    @Test
    void a_full_session_refuses_the_next_message_with_429_and_stores_nothing_of_it() {
        try (Rig rig = Rig.withClient(b -> b.maxMessagesPerSession(3))) {
            String api = rig.apiSession("cap@example.com");
            for (int i = 1; i <= 3; i++) {
                Rig.Resp ok = rig.postJson(
                        "/api/v1/sessions/" + api + "/messages",
                        json("text", "question " + i),
                        "Authorization",
                        "Bearer " + Rig.API_KEY);
                assertThat(ok.status()).isEqualTo(202);
            }
            Rig.Resp full = rig.postJson(
                    "/api/v1/sessions/" + api + "/messages",
                    json("text", "question 4", "clientMessageId", "q4"),
                    "Authorization",
                    "Bearer " + Rig.API_KEY);
            assertThat(full.status()).isEqualTo(429);
            assertThat(full.errorCode()).isEqualTo("session_message_limit");
            assertThat(full.json().get("error").get("message").asText())
                    .contains("3 customer messages")
                    .contains("maxMessagesPerSession")
                    .contains("not stored");
            assertThat(full.header("Retry-After")).isNull();
            assertThat(customerMessages(rig, api)).isEqualTo(3);

            String visitor = rig.visitor();
            String widget = openSession(rig, visitor);
            int status = 0;
            for (int i = 1; i <= 4; i++) {
                status = rig.postJson(
                                "/widget/v1/sessions/" + widget + "/messages",
                                json("text", "hello " + i),
                                "Authorization",
                                "Bearer " + visitor)
                        .status();
                assertThat(status).isEqualTo(i <= 3 ? 202 : 429);
            }
            assertThat(customerMessages(rig, widget)).isEqualTo(3);
            Session s = rig.cx.session(widget).orElseThrow();
            assertThat(s.state().isOpen()).isTrue();
        }
    }
}
