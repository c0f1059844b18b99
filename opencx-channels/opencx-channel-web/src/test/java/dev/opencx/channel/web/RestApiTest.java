package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.conversation.Identity;
import dev.opencx.event.NoteAdded;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The REST API channel over real HTTP: the happy path and every refusal, with nothing stored from a bad request. */
class RestApiTest {
    static final String AUTH = "Bearer " + Rig.API_KEY;
    static Rig rig;

    @BeforeAll
    static void start() {
        rig = Rig.start();
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    @Test
    void creates_a_session_posts_a_message_and_reads_the_sourced_answer() {
        Rig.Resp created = rig.postJson(
                "/api/v1/sessions",
                "{\"contact\":{\"email\":\"Ana@Example.com\"},\"name\":\"Ana\",\"locale\":\"en\"}",
                "Authorization",
                AUTH);
        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("id").asText();
        assertThat(created.header("Location")).isEqualTo("/v1/sessions/" + id);
        assertThat(created.json().get("state").asText()).isEqualTo("AI_ACTIVE");
        assertThat(created.json().get("ticket").asText()).startsWith("#");

        Rig.Resp posted = rig.postJson(
                "/api/v1/sessions/" + id + "/messages",
                "{\"text\":\"when do refunds reach my card\",\"clientMessageId\":\"m-1\"}",
                "Authorization",
                AUTH);
        assertThat(posted.status()).isEqualTo(202);
        assertThat(posted.json().get("duplicate").asBoolean()).isFalse();
        assertThat(posted.json().get("sessionId").asText()).isEqualTo(id);

        await().atMost(Rig.WAIT).until(() -> messages(id).size() >= 2);
        List<JsonNode> items = messages(id);
        assertThat(items.get(0).get("author").asText()).isEqualTo("customer");
        assertThat(items.get(0).get("clientMessageId").asText()).isEqualTo("m-1");
        JsonNode reply = items.get(1);
        assertThat(reply.get("author").asText()).isEqualTo("ai");
        assertThat(reply.get("text").asText()).contains("five business days");
        assertThat(reply.get("sources").get(0).get("url").asText()).isEqualTo("https://shop.example/help/returns");
        assertThat(Long.parseLong(reply.get("id").asText()))
                .isGreaterThan(Long.parseLong(items.get(0).get("id").asText()));

        Rig.Resp state = rig.get("/api/v1/sessions/" + id, "Authorization", AUTH);
        assertThat(state.status()).isEqualTo(200);
        assertThat(state.json().get("contactId").asText())
                .isEqualTo(rig.store
                        .findContact(Identity.email("ana@example.com"))
                        .orElseThrow()
                        .id());

        // an agent's internal note is in the session log but never in what the customer's side reads
        rig.store.append(id, new NoteAdded("maria", "internal: refund approved by finance"));
        Rig.Resp after = rig.get(
                "/api/v1/sessions/" + id + "/messages?after=" + reply.get("id").asText(), "Authorization", AUTH);
        assertThat(after.json().get("items")).isEmpty();
        assertThat(messages(id)).hasSize(2);
    }

    @Test
    void a_repeated_client_message_id_is_stored_once() {
        String id = rig.apiSession("dup@example.com");
        String body = "{\"text\":\"do you ship to canada\",\"clientMessageId\":\"retry-7\"}";
        Rig.Resp first = rig.postJson("/api/v1/sessions/" + id + "/messages", body, "Authorization", AUTH);
        Rig.Resp again = rig.postJson("/api/v1/sessions/" + id + "/messages", body, "Authorization", AUTH);
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        assertThat(again.json().get("eventId").asText()).isNotEqualTo("0");
        for (String field : List.of("sessionId", "messageId", "eventId", "clientMessageId")) {
            assertThat(again.json().get(field)).as(field).isEqualTo(first.json().get(field));
        }
        rig.cx.awaitIdle(Rig.WAIT);
        assertThat(messages(id).stream().filter(m -> m.get("author").asText().equals("customer")))
                .hasSize(1);

        // the same client id in another session is another message
        String other = rig.apiSession("dup2@example.com");
        assertThat(rig.postJson("/api/v1/sessions/" + other + "/messages", body, "Authorization", AUTH)
                        .json()
                        .get("duplicate")
                        .asBoolean())
                .isFalse();
    }

    @Test
    void a_different_text_under_a_used_client_message_id_is_409_and_nothing_is_stored() {
        String id = rig.apiSession("conflict@example.com");
        String path = "/api/v1/sessions/" + id + "/messages";
        Rig.Resp first =
                rig.postJson(path, "{\"text\":\"cancel my order\",\"clientMessageId\":\"m-9\"}", "Authorization", AUTH);
        assertThat(first.status()).isEqualTo(202);
        rig.cx.awaitIdle(Rig.WAIT);
        int logged = rig.cx.events(id).size();

        Rig.Resp other =
                rig.postJson(path, "{\"text\":\"keep my order\",\"clientMessageId\":\"m-9\"}", "Authorization", AUTH);

        assertThat(other.status()).isEqualTo(409);
        assertThat(other.json().get("error").get("code").asText()).isEqualTo("message_id_conflict");
        assertThat(other.json().get("error").get("message").asText())
                .contains("m-9")
                .doesNotContain("order");
        rig.cx.awaitIdle(Rig.WAIT);
        assertThat(rig.cx.events(id)).hasSize(logged);
        assertThat(messages(id).stream().filter(m -> m.get("author").asText().equals("customer")))
                .extracting(m -> m.get("text").asText())
                .containsExactly("cancel my order");
    }

    @Test
    void refuses_missing_and_wrong_api_keys() {
        Rig.Resp none = rig.postJson("/api/v1/sessions", "{\"contact\":{\"email\":\"k@example.com\"}}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.errorCode()).isEqualTo("unauthorized");
        assertThat(none.header("WWW-Authenticate")).startsWith("Bearer");
        Rig.Resp wrong = rig.postJson(
                "/api/v1/sessions",
                "{\"contact\":{\"email\":\"k@example.com\"}}",
                "Authorization",
                "Bearer nope-nope-nope-nope");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.json().get("error").get("message").asText()).doesNotContain("nope");
        Rig.Resp prefix = rig.postJson(
                "/api/v1/sessions",
                "{\"contact\":{\"email\":\"k@example.com\"}}",
                "Authorization",
                "Bearer " + Rig.API_KEY.substring(0, 10));
        assertThat(prefix.status()).isEqualTo(401);
        assertThat(rig.get("/api/v1/sessions/whatever", "Authorization", "Basic abc")
                        .status())
                .isEqualTo(401);
        assertThat(rig.store.findContact(Identity.email("k@example.com"))).isEmpty();
    }

    @Test
    void every_bad_request_gets_a_json_reason_and_stores_nothing() {
        int sessions = rig.sessionCount();
        List<Object[]> cases = new ArrayList<>();
        cases.add(bad(
                rig.post(
                        "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"x1@example.com\"}}",
                        "Authorization",
                        AUTH,
                        "Content-Type",
                        "text/plain"),
                415,
                "unsupported_media_type"));
        cases.add(bad(
                rig.post("/api/v1/sessions", "{\"contact\":{\"email\":\"x1@example.com\"}}", "Authorization", AUTH),
                415,
                "unsupported_media_type"));
        cases.add(bad(
                rig.postJson("/api/v1/sessions", "{\"contact\":{\"email\":\"x1@example.com\"", "Authorization", AUTH),
                400,
                "invalid_json"));
        cases.add(bad(rig.postJson("/api/v1/sessions", "", "Authorization", AUTH), 400, "invalid_json"));
        cases.add(bad(rig.postJson("/api/v1/sessions", "[1,2]", "Authorization", AUTH), 400, "invalid_json"));
        cases.add(bad(rig.postJson("/api/v1/sessions", "{}", "Authorization", AUTH), 400, "invalid_request"));
        cases.add(bad(
                rig.postJson("/api/v1/sessions", "{\"contact\":\"x1@example.com\"}", "Authorization", AUTH),
                400,
                "invalid_request"));
        cases.add(bad(
                rig.postJson("/api/v1/sessions", "{\"contact\":{\"email\":\"not-an-email\"}}", "Authorization", AUTH),
                400,
                "invalid_request"));
        cases.add(bad(
                rig.postJson(
                        "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"x1@example.com\",\"phone\":\"+14155550100\"}}",
                        "Authorization",
                        AUTH),
                400,
                "invalid_request"));
        cases.add(bad(
                rig.postJson(
                        "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"x1@example.com\"},\"locale\":\"<script>\"}",
                        "Authorization",
                        AUTH),
                400,
                "invalid_request"));
        cases.add(bad(
                rig.postJson(
                        "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"x1@example.com\"},\"name\":42}",
                        "Authorization",
                        AUTH),
                400,
                "invalid_request"));
        cases.add(bad(
                rig.postJson(
                        "/api/v1/sessions",
                        "{\"contact\":{\"email\":\"x1@example.com\"},\"pad\":\"" + "x".repeat(70_000) + "\"}",
                        "Authorization",
                        AUTH),
                413,
                "payload_too_large"));
        cases.add(bad(rig.get("/api/v1/sessions", "Authorization", AUTH), 405, "method_not_allowed"));
        cases.add(bad(rig.get("/api/v1/nothing", "Authorization", AUTH), 404, "not_found"));
        for (Object[] c : cases) {
            Rig.Resp r = (Rig.Resp) c[0];
            assertThat(r.status()).as(r.body()).isEqualTo(c[1]);
            assertThat(r.errorCode()).as(r.body()).isEqualTo(c[2]);
            assertThat(r.json().get("error").get("message").asText()).isNotBlank();
            assertThat(r.header("Content-Type")).startsWith("application/json");
        }
        assertThat(rig.sessionCount()).isEqualTo(sessions);
        assertThat(rig.store.findContact(Identity.email("x1@example.com"))).isEmpty();
    }

    @Test
    void bad_messages_are_refused_and_not_stored() {
        String id = rig.apiSession("msgs@example.com");
        String path = "/api/v1/sessions/" + id + "/messages";
        assertThat(rig.postJson(path, "{\"text\":\"   \"}", "Authorization", AUTH)
                        .errorCode())
                .isEqualTo("invalid_request");
        assertThat(rig.postJson(path, "{\"text\":5}", "Authorization", AUTH).errorCode())
                .isEqualTo("invalid_request");
        assertThat(rig.postJson(path, "{}", "Authorization", AUTH).errorCode()).isEqualTo("invalid_request");
        assertThat(rig.postJson(path, "{\"text\":\"hi\",\"clientMessageId\":\"has space\"}", "Authorization", AUTH)
                        .status())
                .isEqualTo(400);
        Rig.Resp tooLong = rig.postJson(path, "{\"text\":\"" + "a".repeat(16_001) + "\"}", "Authorization", AUTH);
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.json().get("error").get("message").asText()).contains("16000");
        assertThat(rig.post(path, "{\"text\":\"hi\"}", "Authorization", AUTH, "Content-Type", "application/xml")
                        .status())
                .isEqualTo(415);
        assertThat(rig.postJson(path, "{\"text\":\"hi\"", "Authorization", AUTH).errorCode())
                .isEqualTo("invalid_json");
        assertThat(rig.postJson("/api/v1/sessions/nope/messages", "{\"text\":\"hi\"}", "Authorization", AUTH)
                        .status())
                .isEqualTo(404);
        assertThat(rig.postJson("/api/v1/sessions/bad%20id/messages", "{\"text\":\"hi\"}", "Authorization", AUTH)
                        .status())
                .isEqualTo(404);
        assertThat(rig.get(path + "?after=-1", "Authorization", AUTH).status()).isEqualTo(400);
        assertThat(rig.get(path + "?limit=0", "Authorization", AUTH).status()).isEqualTo(400);
        assertThat(messages(id)).isEmpty();
    }

    @Test
    void unknown_sessions_and_sessions_of_other_channels_are_404() {
        Rig.Resp unknown = rig.get("/api/v1/sessions/AAAAAAAAAAAAAAAAAAAAAA", "Authorization", AUTH);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("session_not_found");
        String webSession = rig.session(rig.visitor());
        assertThat(rig.get("/api/v1/sessions/" + webSession, "Authorization", AUTH)
                        .status())
                .isEqualTo(404);
        assertThat(rig.get("/api/v1/sessions/" + webSession + "/messages", "Authorization", AUTH)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_resolved_session_refuses_new_messages_with_409() {
        String id = rig.apiSession("resolved@example.com");
        rig.cx.resolve(id, "agent-1");
        Rig.Resp r = rig.postJson(
                "/api/v1/sessions/" + id + "/messages", "{\"text\":\"hello again\"}", "Authorization", AUTH);
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.errorCode()).isEqualTo("session_closed");
        assertThat(rig.get("/api/v1/sessions/" + id, "Authorization", AUTH)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("RESOLVED");
    }

    @Test
    void the_channel_builder_fails_fast_naming_the_bad_value() {
        assertThatThrownBy(() -> RestApiChannel.builder().apiKey("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("had 5 characters");
        assertThatThrownBy(() -> RestApiChannel.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("apiKey");
        assertThatThrownBy(() -> RestApiChannel.builder().maxBodyBytes(10)).hasMessageContaining("was 10");
    }

    private static Object[] bad(Rig.Resp r, int status, String code) {
        return new Object[] {r, status, code};
    }

    private static List<JsonNode> messages(String id) {
        JsonNode items = rig.get("/api/v1/sessions/" + id + "/messages", "Authorization", AUTH)
                .json()
                .get("items");
        List<JsonNode> out = new ArrayList<>();
        items.forEach(i -> {
            if (i.get("type").asText().equals("message")) {
                out.add(i);
            }
        });
        return out;
    }
}
