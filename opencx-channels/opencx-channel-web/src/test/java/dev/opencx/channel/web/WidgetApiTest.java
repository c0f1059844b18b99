package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.conversation.Identity;
import dev.opencx.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The widget API over real HTTP: tokens, identity verification, isolation between visitors, CORS. */
class WidgetApiTest {
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
    void an_anonymous_visitor_gets_a_token_and_keeps_their_session_when_they_come_back() {
        Rig.Resp auth = rig.postJson("/widget/v1/auth", "{}");
        assertThat(auth.status()).isEqualTo(200);
        assertThat(auth.json().get("anonymous").asBoolean()).isTrue();
        assertThat(auth.json().get("session").isNull()).isTrue();
        String token = auth.json().get("token").asText();

        Rig.Resp created =
                rig.postJson("/widget/v1/sessions", "{\"locale\":\"pt-BR\"}", "Authorization", "Bearer " + token);
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("locale").asText()).isEqualTo("pt-BR");
        String id = created.json().get("id").asText();
        Rig.Resp again = rig.postJson("/widget/v1/sessions", "{}", "Authorization", "Bearer " + token);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("id").asText()).isEqualTo(id);

        Rig.Resp back = rig.postJson("/widget/v1/auth", "{\"visitorToken\":\"" + token + "\"}");
        assertThat(back.json().get("session").get("id").asText()).isEqualTo(id);
        Rig.Resp tampered = rig.postJson("/widget/v1/auth", "{\"visitorToken\":\"" + token.replace('.', 'x') + "\"}");
        assertThat(tampered.json().get("session").isNull())
                .as("a broken token is a new visitor")
                .isTrue();
    }

    @Test
    void a_verified_user_with_the_right_hash_is_identified_and_a_wrong_claim_is_refused() {
        String hash = rig.web.userHash("user-42");
        assertThat(hash)
                .isEqualTo(WebChannel.userHash(Rig.SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "user-42"))
                .hasSize(64);
        Rig.Resp ok = rig.postJson(
                "/widget/v1/auth",
                "{\"userId\":\"user-42\",\"userHash\":\"" + hash.toUpperCase() + "\",\"name\":\"Ana\"}");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("anonymous").asBoolean()).isFalse();
        assertThat(rig.store
                        .findContact(Identity.custom("user-42"))
                        .orElseThrow()
                        .displayName())
                .isEqualTo("Ana");

        String other = rig.web.userHash("user-43");
        for (String body : new String[] {
            "{\"userId\":\"user-666\",\"userHash\":\"" + other + "\"}",
            "{\"userId\":\"user-666\"}",
            "{\"userId\":\"user-666\",\"userHash\":\"\"}",
            "{\"userId\":\"user-666\",\"userHash\":\"zz\"}",
            "{\"userHash\":\"" + other + "\"}"
        }) {
            Rig.Resp r = rig.postJson("/widget/v1/auth", body);
            assertThat(r.status()).as(body).isEqualTo(401);
            assertThat(r.errorCode()).isEqualTo("identity_unverified");
        }
        assertThat(rig.store.findContact(Identity.custom("user-666"))).isEmpty();
        String visitorHash = dev.opencx.channel.web.internal.Hmac.sha256Hex(
                Rig.SECRET.getBytes(java.nio.charset.StandardCharsets.UTF_8), "web-visitor:abc");
        assertThat(rig.postJson(
                                "/widget/v1/auth",
                                "{\"userId\":\"web-visitor:abc\",\"userHash\":\"" + visitorHash + "\"}")
                        .status())
                .isEqualTo(400);
    }

    @Test
    void without_a_secret_identity_claims_are_refused_and_without_anonymous_visitors_a_claim_is_required() {
        try (Rig open = Rig.start(b -> WebChannel.builder().allowedOrigins("https://shop.example"))) {
            Rig.Resp r =
                    open.postJson("/widget/v1/auth", "{\"userId\":\"u1\",\"userHash\":\"" + "a".repeat(64) + "\"}");
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("error").get("message").asText()).contains("not configured");
            assertThatThrownBy(() -> open.web.userHash("u1")).isInstanceOf(IllegalStateException.class);
        }
        try (Rig strict = Rig.start(b -> b.anonymousVisitors(false))) {
            assertThat(strict.postJson("/widget/v1/auth", "{}").errorCode()).isEqualTo("identity_required");
            assertThat(strict.postJson(
                                    "/widget/v1/auth",
                                    "{\"userId\":\"u1\",\"userHash\":\"" + strict.web.userHash("u1") + "\"}")
                            .status())
                    .isEqualTo(200);
        }
    }

    @Test
    void a_visitor_can_never_read_or_write_another_visitors_session() {
        String ana = rig.visitor();
        String bob = rig.visitor();
        String anaSession = rig.session(ana);
        rig.postJson(
                "/widget/v1/sessions/" + anaSession + "/messages",
                "{\"text\":\"my secret order 123\"}",
                "Authorization",
                "Bearer " + ana);

        String bobAuth = "Bearer " + bob;
        assertThat(rig.get("/widget/v1/sessions/" + anaSession, "Authorization", bobAuth)
                        .status())
                .isEqualTo(404);
        assertThat(rig.get("/widget/v1/sessions/" + anaSession + "/messages", "Authorization", bobAuth)
                        .status())
                .isEqualTo(404);
        Rig.Resp write = rig.postJson(
                "/widget/v1/sessions/" + anaSession + "/messages", "{\"text\":\"hi\"}", "Authorization", bobAuth);
        assertThat(write.status()).isEqualTo(404);
        assertThat(write.errorCode()).isEqualTo("session_not_found");
        try (SseClient s = rig.sse("/widget/v1/sessions/" + anaSession + "/events?access_token=" + bob)) {
            assertThat(s.status).isEqualTo(404);
        }
        // a session of the REST channel is not the widget's either
        String apiSession = rig.apiSession("carol@example.com");
        assertThat(rig.get("/widget/v1/sessions/" + apiSession, "Authorization", bobAuth)
                        .status())
                .isEqualTo(404);

        // forged and expired tokens
        String[] parts = ana.split("\\.");
        String forgedPayload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("1|a|9999999999|custom:web-visitor:someone-else")
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String forged : new String[] {forgedPayload + "." + parts[1], ana + "x", "garbage", ""}) {
            Rig.Resp r =
                    rig.get("/widget/v1/sessions/" + anaSession + "/messages", "Authorization", "Bearer " + forged);
            assertThat(r.status()).as(forged).isEqualTo(401);
        }
        assertThat(rig.get("/widget/v1/sessions/" + anaSession + "/messages").status())
                .isEqualTo(401);

        JsonNode items = rig.get("/widget/v1/sessions/" + anaSession + "/messages", "Authorization", "Bearer " + ana)
                .json()
                .get("items");
        assertThat(items.get(0).get("text").asText()).isEqualTo("my secret order 123");
        assertThat(items.findValuesAsText("text")).doesNotContain("hi");
    }

    @Test
    void tokens_expire() {
        TestClock clock = new TestClock(Instant.parse("2030-01-01T00:00:00Z"));
        try (Rig timed = Rig.start(b -> b.clock(clock).tokenTtl(Duration.ofHours(1)))) {
            String token = timed.visitor();
            String id = timed.session(token);
            assertThat(timed.get("/widget/v1/sessions/" + id, "Authorization", "Bearer " + token)
                            .status())
                    .isEqualTo(200);
            clock.advance(Duration.ofHours(2));
            Rig.Resp r = timed.get("/widget/v1/sessions/" + id, "Authorization", "Bearer " + token);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.json().get("error").get("message").asText()).contains("expired");
        }
    }

    @Test
    void sends_are_idempotent_per_session_by_client_message_id() {
        String ana = rig.visitor();
        String id = rig.session(ana);
        String body = "{\"text\":\"do you ship to canada\",\"clientMessageId\":\"c-1\"}";
        Rig.Resp first =
                rig.postJson("/widget/v1/sessions/" + id + "/messages", body, "Authorization", "Bearer " + ana);
        assertThat(first.json().get("duplicate").asBoolean()).isFalse();
        Rig.Resp again =
                rig.postJson("/widget/v1/sessions/" + id + "/messages", body, "Authorization", "Bearer " + ana);
        assertThat(again.status()).isEqualTo(202);
        assertThat(again.json().get("duplicate").asBoolean()).isTrue();
        // the resend learns the ids it may have missed: a widget resuming after eventId sees what follows
        assertThat(again.json().get("eventId").asText()).isNotEqualTo("0");
        for (String field : List.of("sessionId", "messageId", "eventId", "clientMessageId")) {
            assertThat(again.json().get(field)).as(field).isEqualTo(first.json().get(field));
        }
        Rig.Resp changed = rig.postJson(
                "/widget/v1/sessions/" + id + "/messages",
                "{\"text\":\"do you ship to mexico\",\"clientMessageId\":\"c-1\"}",
                "Authorization",
                "Bearer " + ana);
        assertThat(changed.status()).isEqualTo(409);
        assertThat(changed.json().get("error").get("code").asText()).isEqualTo("message_id_conflict");
        String bob = rig.visitor();
        String bobSession = rig.session(bob);
        assertThat(rig.postJson(
                                "/widget/v1/sessions/" + bobSession + "/messages",
                                body,
                                "Authorization",
                                "Bearer " + bob)
                        .json()
                        .get("duplicate")
                        .asBoolean())
                .as("another visitor's same client id is their own message")
                .isFalse();
        rig.cx.awaitIdle(Rig.WAIT);
        JsonNode items = rig.get("/widget/v1/sessions/" + id + "/messages", "Authorization", "Bearer " + ana)
                .json()
                .get("items");
        long customer = 0;
        for (JsonNode i : items) {
            if (i.path("author").asText().equals("customer")) {
                customer++;
                assertThat(i.get("clientMessageId").asText()).isEqualTo("c-1");
            }
        }
        assertThat(customer).isEqualTo(1);
    }

    @Test
    void after_a_resolution_posting_is_409_and_a_new_session_opens() {
        String ana = rig.visitor();
        String id = rig.session(ana);
        rig.cx.resolve(id, "agent-9");
        Rig.Resp r = rig.postJson(
                "/widget/v1/sessions/" + id + "/messages",
                "{\"text\":\"one more thing\"}",
                "Authorization",
                "Bearer " + ana);
        assertThat(r.status()).isEqualTo(409);
        Rig.Resp fresh = rig.postJson("/widget/v1/sessions", "{}", "Authorization", "Bearer " + ana);
        assertThat(fresh.status()).isEqualTo(201);
        assertThat(fresh.json().get("id").asText()).isNotEqualTo(id);
    }

    @Test
    void cors_allows_configured_origins_and_the_servers_own_and_refuses_others() {
        Rig.Resp preflight = rig.send(
                java.net.http.HttpRequest.newBuilder(rig.uri("/widget/v1/auth"))
                        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()),
                "Origin",
                "https://shop.example",
                "Access-Control-Request-Method",
                "POST",
                "Access-Control-Request-Headers",
                "content-type,authorization");
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
        assertThat(preflight.header("Access-Control-Allow-Headers"))
                .contains("Authorization", "Content-Type", "Last-Event-ID");
        assertThat(preflight.header("Vary")).isEqualTo("Origin");

        Rig.Resp evilPreflight = rig.send(
                java.net.http.HttpRequest.newBuilder(rig.uri("/widget/v1/auth"))
                        .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody()),
                "Origin",
                "https://evil.example",
                "Access-Control-Request-Method",
                "POST");
        assertThat(evilPreflight.status()).isEqualTo(403);
        assertThat(evilPreflight.header("Access-Control-Allow-Origin")).isNull();

        int sessions = rig.sessionCount();
        String token = rig.visitor();
        Rig.Resp evil = rig.postJson(
                "/widget/v1/sessions", "{}", "Authorization", "Bearer " + token, "Origin", "https://evil.example");
        assertThat(evil.status()).isEqualTo(403);
        assertThat(evil.errorCode()).isEqualTo("origin_not_allowed");
        assertThat(rig.sessionCount()).isEqualTo(sessions);

        Rig.Resp allowed = rig.postJson("/widget/v1/auth", "{}", "Origin", "https://shop.example");
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo("https://shop.example");
        String self = "http://" + rig.uri("/").getHost() + ":" + rig.server.port();
        assertThat(rig.postJson("/widget/v1/auth", "{}", "Origin", self).status())
                .isEqualTo(200);
        assertThat(rig.postJson("/widget/v1/auth", "{}", "Origin", "https://shop.example.evil.example")
                        .status())
                .isEqualTo(403);
    }

    @Test
    void bad_widget_requests_get_reasons() {
        String token = rig.visitor();
        String id = rig.session(token);
        String auth = "Bearer " + token;
        assertThat(rig.post("/widget/v1/auth", "{}", "Content-Type", "text/plain")
                        .status())
                .isEqualTo(415);
        assertThat(rig.postJson("/widget/v1/auth", "{").errorCode()).isEqualTo("invalid_json");
        assertThat(rig.postJson("/widget/v1/auth", "{\"name\":\"" + "n".repeat(101) + "\"}")
                        .status())
                .isEqualTo(400);
        assertThat(rig.postJson(
                                "/widget/v1/sessions/" + id + "/messages",
                                "{\"text\":\"x\",\"pad\":\"" + "p".repeat(70_000) + "\"}",
                                "Authorization",
                                auth)
                        .status())
                .isEqualTo(413);
        assertThat(rig.get("/widget/v1/auth").status()).isEqualTo(405);
        assertThat(rig.get("/widget/v1/sessions/" + id + "/nothing", "Authorization", auth)
                        .status())
                .isEqualTo(404);
        assertThat(rig.get("/widget/v1/sessions/" + id + "/messages?after=x", "Authorization", auth)
                        .status())
                .isEqualTo(400);
        assertThat(rig.get("/widget/v1/sessions/" + id + "/messages", "Authorization", auth)
                        .json()
                        .get("items"))
                .isEmpty();
    }

    @Test
    void the_channel_builder_fails_fast_naming_the_bad_value() {
        assertThatThrownBy(() -> WebChannel.builder().secret("too short")).hasMessageContaining("was 9");
        assertThatThrownBy(() -> WebChannel.builder().allowedOrigins("*")).hasMessageContaining("'*'");
        assertThatThrownBy(() -> WebChannel.builder().allowedOrigins("https://shop.example/path"))
                .hasMessageContaining("'https://shop.example/path'");
        assertThatThrownBy(() -> WebChannel.builder().allowedOrigins("ftp://shop.example"))
                .hasMessageContaining("ftp://");
        assertThatThrownBy(() -> WebChannel.builder().tokenTtl(Duration.ZERO)).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> WebChannel.builder().heartbeat(Duration.ofMillis(5)))
                .hasMessageContaining("PT0.005S");
        assertThatThrownBy(() -> WebChannel.builder().maxBodyBytes(100)).hasMessageContaining("was 100");
        assertThatThrownBy(() -> WebChannel.builder().anonymousVisitors(false).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("secret");
        assertThat(WebChannel.builder()
                        .allowedOrigins("HTTPS://Shop.Example:8443/")
                        .build()
                        .allowedOrigins())
                .containsExactly("https://shop.example:8443");
    }
}
