package dev.opencx.helpdesk.inbox.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.ActionCalled;
import dev.opencx.helpdesk.inbox.InboxTicket;
import dev.opencx.helpdesk.inbox.web.InboxRig.Browser;
import dev.opencx.helpdesk.inbox.web.InboxRig.Resp;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.test.TestClock;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The inbox's HTTP surface against a real server: sign-in, sessions, CSRF, the API and its traces. */
class InboxWebTest {
    private InboxRig rig;
    private Browser agent;

    @BeforeEach
    void start() {
        rig = new InboxRig();
        agent = rig.new Browser();
    }

    @AfterEach
    void stop() {
        rig.close();
    }

    @Test
    void an_agent_signs_in_and_gets_a_hardened_session_cookie() {
        Resp unsigned = agent.get("/inbox/");
        assertThat(unsigned.status()).isEqualTo(303);
        assertThat(unsigned.header("Location")).isEqualTo("/inbox/login");

        Resp form = agent.get("/inbox/login");
        assertThat(form.status()).isEqualTo(200);
        assertThat(form.header("Set-Cookie"))
                .startsWith("opencx_inbox=")
                .contains("; Path=/inbox", "; HttpOnly", "; SameSite=Strict")
                .doesNotContain("Secure");
        String preSignIn = agent.cookie;
        Resp in = agent.postForm(
                "/inbox/login",
                "csrf=" + InboxRig.csrfOf(form.body()) + "&login=Maria&password=" + InboxRig.enc(InboxRig.PASSWORD));
        assertThat(in.status()).isEqualTo(303);
        assertThat(in.header("Location")).isEqualTo("/inbox/");
        assertThat(agent.cookie).as("a new session id at sign-in").isNotEqualTo(preSignIn);

        Resp app = agent.get("/inbox/");
        assertThat(app.status()).isEqualTo(200);
        assertThat(app.body()).contains("Maria Silva", "/inbox/assets/inbox.js");
        assertThat(app.header("Content-Security-Policy")).contains("script-src 'self'", "frame-ancestors 'none'");
        assertThat(app.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(app.header("Cache-Control")).isEqualTo("no-store");
        JsonNode state = agent.get("/inbox/api/state").json();
        assertThat(state.path("me").path("id").asText()).isEqualTo("maria");
    }

    @Test
    void a_wrong_password_and_an_unknown_name_get_the_same_refusal() {
        Resp wrong = agent.signIn("maria", "not the password");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.body()).contains("Wrong name or password.");
        assertThat(agent.get("/inbox/api/state").status()).isEqualTo(401);
        Resp unknown = agent.signIn("nobody", "whatever it is");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.body()).contains("Wrong name or password.");
        assertThat(agent.signIn("maria", InboxRig.PASSWORD).status())
                .as("two wrong attempts slow nobody down (3 are free in this rig)")
                .isEqualTo(303);
    }

    @Test
    void the_login_form_needs_its_csrf_token() {
        agent.get("/inbox/login");
        Resp r = agent.postForm("/inbox/login", "csrf=forged&login=maria&password=" + InboxRig.enc(InboxRig.PASSWORD));
        assertThat(r.status()).isEqualTo(403);
        assertThat(agent.get("/inbox/api/state").status()).isEqualTo(401);
    }

    @Test
    void a_post_without_the_csrf_token_is_refused_and_changes_nothing() {
        ReceiveReceipt r = handOff("ana@example.com");
        agent.signIn("maria", InboxRig.PASSWORD);
        String path = "/inbox/api/tickets/" + r.ticket().value() + "/resolve";

        assertThat(agent.postJson(path, "{}").status()).isEqualTo(403);
        assertThat(agent.postJson(path, "{}", "X-CSRF-Token", "forged").status())
                .isEqualTo(403);
        Resp crossSite = agent.postJson(path, "{}", "X-CSRF-Token", agent.csrf(), "Sec-Fetch-Site", "cross-site");
        assertThat(crossSite.status()).isEqualTo(403);
        assertThat(crossSite.json().path("error").path("code").asText()).isEqualTo("cross_site");
        assertThat(rig.inbox.ticket(r.ticket()).orElseThrow().status()).isEqualTo(InboxTicket.Status.WAITING);
        assertThat(rig.cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.HANDED_OFF);

        Resp ok = agent.postJson(path, "{}", "X-CSRF-Token", agent.csrf());
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().path("status").asText()).isEqualTo("RESOLVED");
    }

    @Test
    void claim_reply_note_and_resolve_through_the_api() {
        ReceiveReceipt r = handOff("ana@example.com");
        agent.signIn("maria", InboxRig.PASSWORD);
        String csrf = agent.csrf();
        JsonNode state = agent.get("/inbox/api/state").json();
        assertThat(state.path("queue")).singleElement().satisfies(t -> {
            assertThat(t.path("ticket").asText()).isEqualTo(r.ticket().toString());
            assertThat(t.path("reason").asText()).isEqualTo("EXPLICIT_REQUEST");
            assertThat(t.path("preview").asText()).isEqualTo("I want to talk to a person");
            assertThat(t.path("waitingSeconds").asLong()).isGreaterThanOrEqualTo(0);
        });
        String base = "/inbox/api/tickets/" + r.ticket().value();
        assertThat(agent.postJson(base + "/claim", "{}", "X-CSRF-Token", csrf)
                        .json()
                        .path("assignee")
                        .asText())
                .isEqualTo("maria");
        assertThat(agent.postJson(base + "/note", "{\"text\":\"VIP, refund at once\"}", "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(200);
        assertThat(agent.postJson(base + "/reply", "{\"text\":\"Hi Ana, Maria here.\"}", "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(200);
        rig.cx.awaitIdle(InboxRig.WAIT);
        assertThat(rig.toApiCustomer)
                .extracting(OutboundMessage::text)
                .contains("Hi Ana, Maria here.")
                .noneMatch(t -> t.contains("VIP"));
        assertThat(agent.postJson(base + "/reply", "{\"text\":\"  \"}", "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(400);

        JsonNode conv = agent.get("/inbox/api/sessions/" + r.sessionId()).json();
        assertThat(kinds(conv)).containsSubsequence("customer", "handoff", "joined", "note", "agent");
        assertThat(agent.postJson(base + "/resolve", "{}", "X-CSRF-Token", csrf).status())
                .isEqualTo(200);
        rig.cx.awaitIdle(InboxRig.WAIT);
        assertThat(rig.cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.RESOLVED);
        assertThat(agent.postJson("/inbox/api/tickets/999999/claim", "{}", "X-CSRF-Token", csrf)
                        .status())
                .isEqualTo(404);
    }

    @Test
    void a_contact_name_stored_as_a_placeholder_is_shown_to_agents() {
        rig.model.answer("Happy to help.", 0.9);
        ReceiveReceipt r = rig.api
                .receive(InboundMessage.builder(ChannelId.API)
                        .from(Identity.email("ana@example.com"))
                        .displayName("Ana Lima")
                        .text("hello, a question about my order")
                        .build())
                .join();
        rig.cx.awaitIdle(InboxRig.WAIT);
        assertThat(rig.cx
                        .store()
                        .contact(rig.cx.session(r.sessionId()).orElseThrow().contactId())
                        .orElseThrow()
                        .displayName())
                .as("stored redacted")
                .isEqualTo(PiiRedactor.CONTACT_NAME);

        agent.signIn("maria", InboxRig.PASSWORD);
        JsonNode live = agent.get("/inbox/api/state").json().path("live");
        assertThat(live)
                .singleElement()
                .satisfies(s -> assertThat(s.path("contactName").asText()).isEqualTo("Ana Lima"));
        JsonNode conv = agent.get("/inbox/api/sessions/" + r.sessionId()).json();
        assertThat(conv.toString()).contains("\"contactName\":\"Ana Lima\"").doesNotContain("[PERSON_0]");
    }

    @Test
    void the_conversation_shows_what_the_ai_saw_with_pii_revealed_only_where_the_policy_allows() {
        rig.model.toolCall("get_order", "{\"order_id\":\"1042\"}").answer("Order 1042 has shipped.", 0.9);
        ReceiveReceipt r = rig.api
                .receive(
                        Identity.email("ana@example.com"),
                        "where is my order 1042? I'm ana@example.com, card 4111 1111 1111 1111")
                .join();
        rig.cx.awaitIdle(InboxRig.WAIT);
        assertThat(rig.orderCalls.get()).isEqualTo(1);
        assertThat(rig.cx.events(r.sessionId())).anyMatch(e -> e.payload() instanceof ActionCalled);

        agent.signIn("maria", InboxRig.PASSWORD);
        JsonNode live = agent.get("/inbox/api/state").json().path("live");
        assertThat(live)
                .singleElement()
                .satisfies(s -> assertThat(s.path("sessionId").asText()).isEqualTo(r.sessionId()));
        JsonNode conv = agent.get("/inbox/api/sessions/" + r.sessionId()).json();
        JsonNode customer = item(conv, "customer");
        assertThat(customer.path("text").asText())
                .as("e-mail revealed to agents, the card never")
                .isEqualTo("where is my order 1042? I'm ana@example.com, card [CARD_1]");
        JsonNode trace = item(conv, "ai").path("trace");
        assertThat(trace.path("autopilot").path("outcome").asText()).isEqualTo("AI_REPLIES");
        assertThat(trace.path("autopilot").path("explanation").asText()).isNotBlank();
        assertThat(trace.path("passages")).isNotEmpty();
        assertThat(trace.path("passages").get(0).path("score").isNumber()).isTrue();
        assertThat(trace.path("actions")).singleElement().satisfies(a -> {
            assertThat(a.path("action").asText()).isEqualTo("get_order");
            assertThat(a.path("status").asInt()).isEqualTo(200);
            assertThat(a.path("request").asText()).contains("GET", "/orders/1042");
            assertThat(a.path("latencyMs").isNumber()).isTrue();
        });
        assertThat(trace.path("tools"))
                .singleElement()
                .satisfies(t -> assertThat(t.path("name").asText()).isEqualTo("get_order"));
        assertThat(trace.path("models")).hasSize(2);
        assertThat(trace.path("reply").path("confidence").asDouble()).isEqualTo(0.9);
        assertThat(trace.path("reply").path("threshold").asDouble()).isEqualTo(0.5);
        assertThat(trace.path("pii").path("counts").path("CARD").asInt()).isEqualTo(1);
    }

    @Test
    void an_agent_takes_over_a_live_ai_session_and_the_ai_pauses() {
        rig.model.answer("Refunds take five business days.", 0.9);
        Identity ana = Identity.email("ana@example.com");
        ReceiveReceipt r = rig.api.receive(ana, "how long do refunds take").join();
        rig.cx.awaitIdle(InboxRig.WAIT);
        int modelCalls = rig.model.requests().size();

        agent.signIn("maria", InboxRig.PASSWORD);
        Resp taken = agent.postJson(
                "/inbox/api/sessions/" + r.sessionId() + "/takeover",
                "{\"text\":\"Hi, Maria here: I'll check your refund myself.\"}",
                "X-CSRF-Token",
                agent.csrf());
        assertThat(taken.status()).isEqualTo(200);
        assertThat(taken.json().path("assignee").asText()).isEqualTo("maria");
        rig.cx.awaitIdle(InboxRig.WAIT);
        assertThat(rig.cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.AGENT_ACTIVE);
        assertThat(rig.toApiCustomer)
                .extracting(OutboundMessage::text)
                .contains("Hi, Maria here: I'll check your refund myself.");

        rig.api.receive(ana, "thanks, it's order 1042").join();
        rig.cx.awaitIdle(InboxRig.WAIT);
        assertThat(rig.model.requests()).as("the AI stays silent").hasSize(modelCalls);
        assertThat(rig.inbox.ticket(r.ticket()).orElseThrow().transcript())
                .extracting(m -> m.text())
                .contains("thanks, it's order 1042");
        assertThat(agent.get("/inbox/api/state").json().path("claimed"))
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.path("reason").asText()).isEqualTo("CUSTOM");
                    assertThat(t.path("detail").asText()).contains("taken over from the AI by maria");
                });
    }

    @Test
    void autopilot_changes_need_csrf_and_are_audited() {
        agent.signIn("maria", InboxRig.PASSWORD);
        JsonNode before = agent.get("/inbox/api/state").json().path("autopilot");
        assertThat(names(before.path("channels"), "channel")).contains("web", "api");
        assertThat(names(before.path("topics"), "topic")).contains("orders", "billing");

        assertThat(agent.postJson("/inbox/api/autopilot", "{\"channel\":\"web\",\"on\":false}")
                        .status())
                .isEqualTo(403);
        assertThat(rig.cx.autopilot().isOn(ChannelId.WEB)).isTrue();

        String csrf = agent.csrf();
        JsonNode after = agent.postJson(
                        "/inbox/api/autopilot", "{\"channel\":\"web\",\"on\":false}", "X-CSRF-Token", csrf)
                .json();
        assertThat(rig.cx.autopilot().isOn(ChannelId.WEB)).isFalse();
        assertThat(after.path("changes")).singleElement().satisfies(c -> {
            assertThat(c.path("agentId").asText()).isEqualTo("maria");
            assertThat(c.path("setting").asText()).isEqualTo("channel:web");
            assertThat(c.path("before").asText()).isEqualTo("on");
            assertThat(c.path("after").asText()).isEqualTo("off");
        });
        agent.postJson("/inbox/api/autopilot", "{\"topic\":\"billing\",\"gate\":\"HANDOFF\"}", "X-CSRF-Token", csrf);
        assertThat(rig.cx.autopilot().gate("billing"))
                .isEqualTo(dev.opencx.autopilot.AutopilotPolicy.GateAction.HANDOFF);
        assertThat(rig.inboxWeb.autopilotChanges())
                .extracting(AutopilotChange::setting, AutopilotChange::after)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("channel:web", "off"),
                        org.assertj.core.groups.Tuple.tuple("topic:billing", "HANDOFF"));
        Resp bad = agent.postJson(
                "/inbox/api/autopilot", "{\"topic\":\"billing\",\"gate\":\"MAYBE\"}", "X-CSRF-Token", csrf);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("error").path("message").asText()).contains("REPLY or HANDOFF");
    }

    @Test
    void autopilot_refuses_channels_and_topics_it_does_not_know_with_a_reason_and_changes_nothing() {
        agent.signIn("maria", InboxRig.PASSWORD);
        String csrf = agent.csrf();
        assertThat(names(agent.get("/inbox/api/state").json().path("autopilot").path("channels"), "channel"))
                .containsExactly("api", "web");

        Resp channel =
                agent.postJson("/inbox/api/autopilot", "{\"channel\":\"fax\",\"on\":false}", "X-CSRF-Token", csrf);
        assertThat(channel.status()).isEqualTo(400);
        assertThat(channel.json().path("error").path("code").asText()).isEqualTo("unknown_channel");
        assertThat(channel.json().path("error").path("message").asText())
                .isEqualTo("channel 'fax' is not registered with OpenCX; channels: [api, web]");

        Resp topic = agent.postJson(
                "/inbox/api/autopilot", "{\"topic\":\"astrology\",\"gate\":\"HANDOFF\"}", "X-CSRF-Token", csrf);
        assertThat(topic.status()).isEqualTo(400);
        assertThat(topic.json().path("error").path("code").asText()).isEqualTo("unknown_topic");
        assertThat(topic.json().path("error").path("message").asText())
                .startsWith("topic 'astrology' is not a configured topic; topics: [billing, orders]");

        assertThat(rig.cx.autopilot().channels()).doesNotContainKey(ChannelId.of("fax"));
        assertThat(rig.cx.autopilot().gates()).doesNotContainKey("astrology");
        assertThat(rig.inboxWeb.autopilotChanges()).isEmpty();
        assertThat(agent.postJson(
                                "/inbox/api/autopilot",
                                "{\"topic\":\"orders\",\"gate\":\"HANDOFF\"}",
                                "X-CSRF-Token",
                                csrf)
                        .status())
                .as("a configured topic")
                .isEqualTo(200);
    }

    @Test
    void internal_notes_are_stored_redacted_and_agents_see_what_the_pii_policy_reveals() {
        ReceiveReceipt r = handOff("ana@example.com");
        agent.signIn("maria", InboxRig.PASSWORD);
        Resp note = agent.postJson(
                "/inbox/api/tickets/" + r.ticket().value() + "/note",
                "{\"text\":\"Refund to card 4111 1111 1111 1111, confirm with ana@example.com\"}",
                "X-CSRF-Token",
                agent.csrf());
        assertThat(note.status()).isEqualTo(200);

        String stored = rig.cx.events(r.sessionId()).stream()
                .map(e -> e.payload())
                .filter(p -> p instanceof dev.opencx.event.NoteAdded)
                .map(p -> ((dev.opencx.event.NoteAdded) p).text())
                .findFirst()
                .orElseThrow();
        assertThat(stored).isEqualTo("Refund to card [CARD_1], confirm with [EMAIL_1]");
        assertThat(rig.inbox.ticket(r.ticket()).orElseThrow().notes())
                .extracting(InboxTicket.Note::text)
                .containsExactly(stored);

        JsonNode shown = item(agent.get("/inbox/api/sessions/" + r.sessionId()).json(), "note");
        assertThat(shown.path("author").asText()).isEqualTo("maria");
        assertThat(shown.path("text").asText())
                .as("like a customer message: the e-mail revealed to agents, the card never")
                .isEqualTo("Refund to card [CARD_1], confirm with ana@example.com");
    }

    @Test
    void a_long_conversation_comes_a_page_at_a_time_with_a_cursor_for_older_items() {
        ReceiveReceipt r = handOff("ana@example.com");
        Identity ana = Identity.email("ana@example.com");
        for (int i = 0; i < 130; i++) {
            rig.api.receive(ana, "message #" + i + " " + "x".repeat(2_000)).join();
        }
        rig.cx.awaitIdle(InboxRig.WAIT);
        agent.signIn("maria", InboxRig.PASSWORD);
        String path = "/inbox/api/sessions/" + r.sessionId();

        Resp latest = agent.get(path);
        JsonNode first = latest.json();
        assertThat(first.path("items")).hasSize(50);
        assertThat(first.path("page").path("size").asInt()).isEqualTo(50);
        assertThat(first.path("page").path("older").asText()).isNotBlank();
        assertThat(texts(first)).last().asString().startsWith("message #129 ");

        java.util.List<JsonNode> all = new java.util.ArrayList<>();
        JsonNode page = first;
        int pages = 1;
        long totalBytes = latest.body().length();
        while (true) {
            java.util.List<JsonNode> items = new java.util.ArrayList<>();
            page.path("items").forEach(items::add);
            all.addAll(0, items);
            if (page.path("page").path("older").isNull()) {
                break;
            }
            Resp older = agent.get(
                    path + "?before=" + page.path("page").path("older").asText());
            assertThat(older.status()).isEqualTo(200);
            totalBytes += older.body().length();
            page = older.json();
            pages++;
        }
        java.util.List<Long> ids =
                all.stream().map(i -> Long.parseLong(i.path("id").asText())).toList();
        assertThat(ids)
                .as("no item twice, none missing between pages")
                .isSorted()
                .doesNotHaveDuplicates();
        java.util.Set<String> shownKinds = java.util.Set.of(
                "MessageReceived",
                "ReplySent",
                "HandoffRequested",
                "AgentReplied",
                "AgentJoined",
                "MessageForwarded",
                "SessionResolved",
                "SessionClosed",
                "NoteAdded");
        long itemEvents = rig.cx.events(r.sessionId()).stream()
                .filter(e -> shownKinds.contains(e.payload().getClass().getSimpleName()))
                .count();
        assertThat((long) all.size()).isEqualTo(itemEvents);
        java.util.List<String> customer = all.stream()
                .filter(i -> i.path("kind").asText().equals("customer"))
                .map(i -> i.path("text").asText().split(" ")[0] + " "
                        + i.path("text").asText().split(" ")[1])
                .toList();
        assertThat(customer).hasSize(131).startsWith("I want").contains("message #0", "message #64", "message #129");
        System.out.printf(
                "InboxWebTest: a conversation of %d items: the first page %d bytes, all %d pages %d bytes%n",
                all.size(), latest.body().length(), pages, totalBytes);
        assertThat(latest.body().length()).isLessThan((int) (totalBytes / 3));

        assertThat(agent.get(path + "?before=abc")
                        .json()
                        .path("error")
                        .path("code")
                        .asText())
                .isEqualTo("invalid_cursor");
        assertThat(agent.get(path + "?limit=0").status()).isEqualTo(400);
        assertThat(agent.get(path + "?limit=3").json().path("items")).hasSize(3);
    }

    @Test
    void an_ai_reply_at_the_top_of_a_page_keeps_its_whole_trace() {
        Identity bo = Identity.email("bo@example.com");
        String sessionId = "";
        for (int i = 0; i < 3; i++) {
            rig.model.answer("Order 10" + i + " has shipped.", 0.9);
            sessionId = rig.api.receive(bo, "where is my order 10" + i).join().sessionId();
            rig.cx.awaitIdle(InboxRig.WAIT);
        }
        agent.signIn("maria", InboxRig.PASSWORD);
        JsonNode page =
                agent.get("/inbox/api/sessions/" + sessionId + "?limit=1").json();
        assertThat(page.path("items")).singleElement().satisfies(ai -> {
            assertThat(ai.path("kind").asText()).isEqualTo("ai");
            assertThat(ai.path("text").asText()).isEqualTo("Order 102 has shipped.");
            assertThat(ai.path("trace").path("autopilot").path("outcome").asText())
                    .isEqualTo("AI_REPLIES");
            assertThat(ai.path("trace").path("topic").path("topic").asText()).isEqualTo("orders");
            assertThat(ai.path("trace").path("passages")).isNotEmpty();
        });
        JsonNode before = agent.get("/inbox/api/sessions/" + sessionId + "?limit=1&before="
                        + page.path("page").path("older").asText())
                .json();
        assertThat(before.path("items"))
                .singleElement()
                .satisfies(c -> assertThat(c.path("text").asText()).isEqualTo("where is my order 102"));
    }

    @Test
    void sign_out_ends_the_session() {
        agent.signIn("maria", InboxRig.PASSWORD);
        String csrf = agent.csrf();
        String cookie = agent.cookie;
        assertThat(agent.postForm("/inbox/logout", "").status()).isEqualTo(403);
        Resp out = agent.postForm("/inbox/logout", "csrf=" + csrf);
        assertThat(out.status()).isEqualTo(303);
        agent.cookie = cookie; // a stolen copy of the old cookie is worth nothing now
        assertThat(agent.get("/inbox/api/state").status()).isEqualTo(401);
    }

    @Test
    void a_queued_sign_in_is_answered_later_with_every_header_of_the_inbox() throws Exception {
        try (InboxWeb web = InboxWeb.builder(rig.cx, rig.inbox)
                .agent(AgentAccount.of("maria", "Maria Silva", InboxRig.MARIA_HASH))
                .build()) {
            WebResponse form = call(web, "GET", "/login", "");
            String cookie = form.header("Set-Cookie").split(";", 2)[0];
            long start = System.nanoTime();
            WebResponse pending = web.handler()
                    .handle(WebRequest.builder("POST", "/login")
                            .header("Cookie", cookie)
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .body(("csrf=" + InboxRig.csrfOf(form.bodyText()) + "&login=maria&password="
                                            + InboxRig.enc(InboxRig.PASSWORD))
                                    .getBytes(StandardCharsets.UTF_8))
                            .build());
            long returnedMs = (System.nanoTime() - start) / 1_000_000;
            // the caller's thread does not wait for the 600,000-round check: the answer comes later
            assertThat(pending.isDeferred()).isTrue();
            WebResponse in = pending.completion().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            long answeredMs = (System.nanoTime() - start) / 1_000_000;
            System.out.println("InboxWebTest: sign-in handler returned in " + returnedMs + " ms, answered in "
                    + answeredMs + " ms");
            assertThat(in.status()).isEqualTo(303);
            assertThat(in.header("Location")).isEqualTo("/inbox/");
            assertThat(in.header("Set-Cookie")).startsWith("opencx_inbox=").contains("HttpOnly");
            // the inbox's security headers are applied to the eventual answer
            assertThat(in.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
            assertThat(in.header("Cache-Control")).isEqualTo("no-store");
        }
    }

    @Test
    void sessions_expire_when_idle_and_after_the_absolute_limit() {
        TestClock clock = new TestClock(Instant.parse("2026-01-01T09:00:00Z"));
        try (InboxWeb web = InboxWeb.builder(rig.cx, rig.inbox)
                .agent(AgentAccount.of("maria", "Maria Silva", InboxRig.MARIA_HASH))
                .idleTimeout(Duration.ofMinutes(30))
                .absoluteTimeout(Duration.ofHours(2))
                .secureCookies(true)
                .clock(clock)
                .build()) {
            String cookie = signInDirect(web);
            assertThat(call(web, "GET", "/api/state", cookie).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(29));
            assertThat(call(web, "GET", "/api/state", cookie).status()).isEqualTo(200);
            clock.advance(Duration.ofMinutes(31));
            assertThat(call(web, "GET", "/api/state", cookie).status())
                    .as("idle 31 min")
                    .isEqualTo(401);

            cookie = signInDirect(web);
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofMinutes(25));
                assertThat(call(web, "GET", "/api/state", cookie).status()).isEqualTo(200);
            }
            clock.advance(Duration.ofMinutes(25));
            assertThat(call(web, "GET", "/api/state", cookie).status())
                    .as("past 2 h")
                    .isEqualTo(401);
        }
    }

    // ---- helpers ----

    private String signInDirect(InboxWeb web) {
        WebResponse form = call(web, "GET", "/login", "");
        String setCookie = form.header("Set-Cookie");
        assertThat(setCookie).contains("; Secure");
        String cookie = setCookie.split(";", 2)[0];
        WebResponse in = web.handler()
                .handle(WebRequest.builder("POST", "/login")
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body(("csrf=" + InboxRig.csrfOf(form.bodyText()) + "&login=maria&password="
                                        + InboxRig.enc(InboxRig.PASSWORD))
                                .getBytes(StandardCharsets.UTF_8))
                        .build())
                .await(Duration.ofSeconds(30));
        assertThat(in.status()).isEqualTo(303);
        return in.header("Set-Cookie").split(";", 2)[0];
    }

    private static WebResponse call(InboxWeb web, String method, String path, String cookie) {
        WebRequest.Builder b = WebRequest.builder(method, path);
        if (!cookie.isEmpty()) {
            b.header("Cookie", cookie);
        }
        return web.handler().handle(b.build());
    }

    @Test
    void inspect_mode_shows_module_events_and_unknown_ones_with_their_type_and_fields() {
        ReceiveReceipt r = handOff("ana@example.com");
        rig.cx.sessionAccess().append(r.sessionId(), new InboxRig.OrderFlagged("A-17", "chargeback"));
        rig.cx
                .store()
                .append(
                        r.sessionId(),
                        new dev.opencx.event.UnknownEvent(
                                "elsewhere.survey_sent", "{\"type\":\"elsewhere.survey_sent\",\"score\":4}"));
        agent.signIn("maria", InboxRig.PASSWORD);

        JsonNode conv = agent.get("/inbox/api/sessions/" + r.sessionId()).json();
        List<JsonNode> events = StreamSupport.stream(conv.path("items").spliterator(), false)
                .filter(i -> i.path("kind").asText().equals("event"))
                .toList();
        assertThat(events).hasSize(2);
        assertThat(events.get(0).path("type").asText()).isEqualTo("acme.order_flagged");
        assertThat(events.get(0).path("known").asBoolean()).isTrue();
        assertThat(events.get(0).path("fields").path("orderId").asText()).isEqualTo("A-17");
        assertThat(events.get(0).path("fields").has("type")).isFalse();
        assertThat(events.get(1).path("type").asText()).isEqualTo("elsewhere.survey_sent");
        assertThat(events.get(1).path("known").asBoolean()).isFalse();
        assertThat(events.get(1).path("fields").path("score").asInt()).isEqualTo(4);
    }

    @Test
    void agents_see_when_a_message_did_not_reach_the_customer_and_why() {
        ReceiveReceipt r = handOff("ana@example.com");
        rig.cx
                .store()
                .append(
                        r.sessionId(),
                        new dev.opencx.event.DeliveryUpdated(
                                "m-1",
                                "api",
                                "SM123",
                                dev.opencx.event.DeliveryUpdated.State.DELIVERED,
                                "delivered",
                                ""));
        rig.cx
                .store()
                .append(
                        r.sessionId(),
                        new dev.opencx.event.DeliveryUpdated(
                                "m-2",
                                "api",
                                "SM124",
                                dev.opencx.event.DeliveryUpdated.State.FAILED,
                                "undelivered",
                                "30003 unreachable handset"));
        rig.cx.store().append(r.sessionId(), new dev.opencx.event.DeliveryFailed("m-3", "api", "HTTP 400", 1));
        agent.signIn("maria", InboxRig.PASSWORD);

        JsonNode conv = agent.get("/inbox/api/sessions/" + r.sessionId()).json();

        List<JsonNode> undelivered = StreamSupport.stream(conv.path("items").spliterator(), false)
                .filter(i -> i.path("kind").asText().equals("undelivered"))
                .toList();
        assertThat(undelivered)
                .extracting(i -> i.path("error").asText())
                .containsExactly("30003 unreachable handset", "HTTP 400");
        assertThat(undelivered.get(1).path("attempts").asInt()).isEqualTo(1);
    }

    private ReceiveReceipt handOff(String email) {
        ReceiveReceipt r = rig.api
                .receive(Identity.email(email), "I want to talk to a person")
                .join();
        rig.cx.awaitIdle(InboxRig.WAIT);
        await().atMost(InboxRig.WAIT).until(() -> rig.inbox.ticket(r.ticket()).isPresent());
        return r;
    }

    private static java.util.List<String> kinds(JsonNode conv) {
        return StreamSupport.stream(conv.path("items").spliterator(), false)
                .map(i -> i.path("kind").asText())
                .toList();
    }

    private static java.util.List<String> texts(JsonNode conv) {
        return StreamSupport.stream(conv.path("items").spliterator(), false)
                .filter(i -> i.has("text"))
                .map(i -> i.path("text").asText())
                .toList();
    }

    private static java.util.List<String> names(JsonNode array, String field) {
        return StreamSupport.stream(array.spliterator(), false)
                .map(i -> i.path(field).asText())
                .toList();
    }

    private static JsonNode item(JsonNode conv, String kind) {
        return StreamSupport.stream(conv.path("items").spliterator(), false)
                .filter(i -> i.path("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " item in " + conv));
    }
}
