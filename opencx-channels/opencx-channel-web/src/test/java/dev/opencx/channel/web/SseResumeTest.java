package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.PartialReply;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Live events over SSE: replies, typing, handoff, agents; resuming after a drop and after a restart. */
class SseResumeTest {
    private static final Duration T = Duration.ofSeconds(10);

    @Test
    void a_visitor_sees_typing_then_the_sourced_answer_live() {
        try (Rig rig = Rig.start()) {
            String token = rig.visitor();
            String id = rig.session(token);
            try (SseClient s = rig.sse("/widget/v1/sessions/" + id + "/events?access_token=" + token)) {
                assertThat(s.status).isEqualTo(200);
                assertThat(s.contentType).startsWith("text/event-stream");
                rig.postJson(
                        "/widget/v1/sessions/" + id + "/messages",
                        "{\"text\":\"when do refunds reach my card\",\"clientMessageId\":\"a1\"}",
                        "Authorization",
                        "Bearer " + token);
                List<SseClient.Event> got = s.until(
                        e -> e.event().equals("message")
                                && json(e).get("author").asText().equals("ai"),
                        T);
                SseClient.Event echo = got.get(0);
                List<SseClient.Event> more = new ArrayList<>(got);
                more.addAll(s.drain(Duration.ofMillis(500)));
                assertThat(echo.event()).isEqualTo("message");
                assertThat(json(echo).get("clientMessageId").asText()).isEqualTo("a1");
                // typing names the message it is about: a client that already has a later reply ignores it
                assertThat(more).anySatisfy(e -> {
                    assertThat(e.event()).isEqualTo("typing");
                    assertThat(json(e).get("after").asText()).isEqualTo(echo.id());
                });
                assertThat(more.stream().filter(e -> e.event().equals("typing")))
                        .allSatisfy(e -> assertThat(e.id())
                                .as("transient events do not move Last-Event-ID")
                                .isIn(echo.id(), got.get(got.size() - 1).id()));
                JsonNode reply = json(got.get(got.size() - 1));
                assertThat(reply.get("text").asText()).contains("five business days");
                assertThat(reply.get("sources").get(0).get("title").asText()).isEqualTo("Returns and refunds");
                assertThat(Long.parseLong(got.get(got.size() - 1).id())).isGreaterThan(Long.parseLong(echo.id()));
            }
        }
    }

    @Test
    void an_agent_joining_and_resolving_reach_an_open_stream_at_once_not_at_the_next_heartbeat() {
        // a heartbeat of 5 minutes: within the 10 s wait, only the channel's sessionChanged hook wakes the stream
        try (Rig rig = Rig.start(b -> b.heartbeat(Duration.ofMinutes(5)))) {
            String token = rig.visitor();
            String id = rig.session(token);
            try (SseClient s = rig.sse("/widget/v1/sessions/" + id + "/events", "Authorization", "Bearer " + token)) {
                post(rig, token, id, "I want to talk to a person", "h1");
                s.until(e -> e.event().equals("handoff"), T);
                Session session = rig.cx.session(id).orElseThrow();

                rig.helpdesk.agent().agentJoined(session.ticket(), "maria");
                assertThat(s.until(e -> e.event().equals("agent_joined"), T)).isNotEmpty();
                rig.helpdesk.agent().resolved(session.ticket(), "maria");
                assertThat(s.until(e -> e.event().equals("resolved"), T)).isNotEmpty();
            }
        }
    }

    @Test
    void a_dropped_stream_resumes_from_last_event_id_without_loss_or_duplicates() {
        try (Rig rig = Rig.start()) {
            String token = rig.visitor();
            String id = rig.session(token);
            String events = "/widget/v1/sessions/" + id + "/events";
            List<SseClient.Event> seen = new ArrayList<>();
            try (SseClient s = rig.sse(events, "Authorization", "Bearer " + token)) {
                post(rig, token, id, "I want to talk to a person", "h1");
                seen.addAll(durable(s.until(e -> e.event().equals("handoff"), T)));
            }
            // the notice the outbox sent, with the ticket number
            Session handedOff = rig.cx.session(id).orElseThrow();
            assertThat(json(seen.get(seen.size() - 1)).get("text").asText())
                    .contains(handedOff.ticket().toString());
            Session session = rig.cx.session(id).orElseThrow();
            // while the visitor is offline: the agent joins and writes three messages
            rig.helpdesk.agent().agentJoined(session.ticket(), "maria");
            for (int i = 1; i <= 3; i++) {
                rig.helpdesk.agent().agentReplied(session.ticket(), "maria", "agent message " + i, "ext-" + i);
            }
            rig.cx.awaitIdle(T);
            String last = seen.get(seen.size() - 1).id();
            try (SseClient s = rig.sse(events, "Authorization", "Bearer " + token, "Last-Event-ID", last)) {
                List<SseClient.Event> resumed = durable(s.until(e -> e.data().contains("agent message 3"), T));
                resumed.addAll(durable(s.drain(Duration.ofMillis(700))));
                seen.addAll(resumed);
                assertThat(resumed).first().satisfies(e -> assertThat(e.event()).isEqualTo("agent_joined"));
                assertThat(resumed.stream()
                                .filter(e -> e.event().equals("message"))
                                .map(e -> json(e).get("text").asText()))
                        .containsExactly("agent message 1", "agent message 2", "agent message 3");
            }
            assertThat(seen.stream().map(SseClient.Event::id)).doesNotHaveDuplicates();
            assertThat(seen.stream().mapToLong(e -> Long.parseLong(e.id()))).isSorted();
            // the whole conversation, once each: what the messages endpoint says too
            JsonNode all = rig.get("/widget/v1/sessions/" + id + "/messages", "Authorization", "Bearer " + token)
                    .json()
                    .get("items");
            assertThat(seen.stream().map(SseClient.Event::id)).containsExactlyElementsOf(all.findValuesAsText("id"));
        }
    }

    @Test
    void closing_every_stream_makes_clients_resume_where_they_were() {
        try (Rig rig = Rig.start()) {
            String token = rig.visitor();
            String id = rig.session(token);
            String events = "/widget/v1/sessions/" + id + "/events?access_token=" + token;
            String last;
            try (SseClient s = rig.sse(events)) {
                post(rig, token, id, "do you ship to canada", "c1");
                last = s.until(e -> e.event().equals("message") && e.data().contains("\"ai\""), T).stream()
                        .filter(e -> !e.id().isEmpty())
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .id();
                await().atMost(T).until(() -> rig.web.openStreams() == 1);
                rig.web.closeStreams();
                await().atMost(T).until(s::ended);
                assertThat(rig.web.openStreams()).isZero();
            }
            post(rig, token, id, "when do refunds reach my card", "c2");
            rig.cx.awaitIdle(T);
            try (SseClient s = rig.sse(events + "&after=0", "Last-Event-ID", last)) {
                List<SseClient.Event> got = durable(s.until(e -> e.data().contains("five business days"), T));
                assertThat(got).hasSize(2);
                assertThat(json(got.get(0)).get("clientMessageId").asText()).isEqualTo("c2");
            }
        }
    }

    @Test
    void after_a_restart_of_the_server_the_stream_resumes_from_the_durable_log(@TempDir Path dir) throws IOException {
        String token;
        String id;
        String last;
        try (Rig first = Rig.start(JdbcConversationStore.sqlite(dir), 0)) {
            token = first.visitor();
            id = first.session(token);
            try (SseClient s = first.sse("/widget/v1/sessions/" + id + "/events?access_token=" + token)) {
                post(first, token, id, "I want to talk to a person", "r1");
                last = s.until(e -> e.event().equals("handoff"), T).stream()
                        .filter(e -> !e.id().isEmpty())
                        .reduce((a, b) -> b)
                        .orElseThrow()
                        .id();
            }
            first.cx.awaitIdle(T);
        }
        try (Rig second = Rig.start(JdbcConversationStore.sqlite(dir), 0)) {
            Session s = second.cx.session(id).orElseThrow();
            second.helpdesk.agent().agentJoined(s.ticket(), "maria");
            second.helpdesk.agent().agentReplied(s.ticket(), "maria", "Hi, **Maria** here!", "m-1");
            second.cx.awaitIdle(T);
            // same secret: the visitor's token still works after the restart
            try (SseClient stream =
                    second.sse("/widget/v1/sessions/" + id + "/events?access_token=" + token, "Last-Event-ID", last)) {
                List<SseClient.Event> got = durable(stream.until(e -> e.data().contains("Maria"), T));
                got.addAll(durable(stream.drain(Duration.ofMillis(700))));
                assertThat(got).extracting(SseClient.Event::event).containsExactly("agent_joined", "message");
                assertThat(json(got.get(1)).get("author").asText()).isEqualTo("agent");
                assertThat(Long.parseLong(got.get(0).id())).isGreaterThan(Long.parseLong(last));
            }
        }
    }

    @Test
    void a_resumed_stream_shows_the_handoff_notice_after_ten_thousand_later_deliveries() {
        try (Rig rig = Rig.start()) { // the in-memory store: it drops a delivered message's payload
            String token = rig.visitor();
            String id = rig.session(token);
            post(rig, token, id, "I want to talk to a person", "h1");
            rig.cx.awaitIdle(T);
            String ticket = rig.cx.session(id).orElseThrow().ticket().toString();
            // the channel then delivers 10,000 messages of other sessions
            for (int i = 0; i < 10_000; i++) {
                rig.web.send(new OutboundMessage(
                        "m" + i,
                        "other-session-" + i,
                        TicketNumber.of(5000 + i),
                        ChannelId.WEB,
                        Identity.custom("web-visitor:other-" + i),
                        "",
                        OutboundMessage.Kind.AI_REPLY,
                        Author.AI,
                        "",
                        "an answer",
                        List.of(),
                        "",
                        "msg-m" + i));
            }
            // the visitor reloads the page: the stream resumes from the start
            try (SseClient s = rig.sse("/widget/v1/sessions/" + id + "/events?after=0&access_token=" + token)) {
                List<SseClient.Event> got = s.until(e -> e.event().equals("handoff"), T);
                assertThat(json(got.get(got.size() - 1)).get("text").asText()).contains(ticket);
            }
        }
    }

    @Test
    void drafts_of_a_streamed_reply_and_their_discard_reach_open_streams() {
        try (Rig rig = Rig.start()) {
            String token = rig.visitor();
            String id = rig.session(token);
            Session s = rig.cx.session(id).orElseThrow();
            try (SseClient stream = rig.sse("/widget/v1/sessions/" + id + "/events?access_token=" + token)) {
                await().atMost(T).until(() -> rig.web.openStreams() == 1);
                rig.web.partialReply(new PartialReply(
                        PartialReply.Kind.DELTA, id, s.ticket(), Identity.custom("x"), "", "", 0, "Refunds take"));
                rig.web.partialReply(new PartialReply(
                        PartialReply.Kind.DISCARD, id, s.ticket(), Identity.custom("x"), "", "", 1, ""));
                List<SseClient.Event> got = stream.until(e -> e.event().equals("draft_discard"), T);
                assertThat(got.get(0).event()).isEqualTo("draft");
                assertThat(json(got.get(0)).get("text").asText()).isEqualTo("Refunds take");
                assertThat(got).allSatisfy(e -> assertThat(e.id()).isEmpty());
            }
        }
    }

    @Test
    void idle_streams_get_heartbeats_and_the_rest_api_streams_too() {
        try (Rig rig = Rig.start()) {
            String id = rig.apiSession("stream@example.com");
            try (SseClient s =
                    rig.sse("/api/v1/sessions/" + id + "/events", "Authorization", "Bearer " + Rig.API_KEY)) {
                assertThat(s.status).isEqualTo(200);
                rig.postJson(
                        "/api/v1/sessions/" + id + "/messages",
                        "{\"text\":\"do you ship to canada\"}",
                        "Authorization",
                        "Bearer " + Rig.API_KEY);
                List<SseClient.Event> got = s.until(e -> e.data().contains("\"ai\""), T);
                assertThat(json(got.get(got.size() - 1))
                                .get("sources")
                                .get(0)
                                .get("url")
                                .asText())
                        .isEqualTo("https://shop.example/help/shipping");
                await().atMost(T).until(() -> s.comments.contains("ping"));
            }
            try (SseClient s = rig.sse("/api/v1/sessions/" + id + "/events")) {
                assertThat(s.status).isEqualTo(401);
            }
        }
    }

    private static void post(Rig rig, String token, String id, String text, String clientId) {
        Rig.Resp r = rig.postJson(
                "/widget/v1/sessions/" + id + "/messages",
                "{\"text\":\"" + text + "\",\"clientMessageId\":\"" + clientId + "\"}",
                "Authorization",
                "Bearer " + token);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
    }

    /** The events with an id (the ones resumed after a reconnect). */
    private static List<SseClient.Event> durable(List<SseClient.Event> events) {
        List<SseClient.Event> out = new ArrayList<>();
        for (SseClient.Event e : events) {
            if (!e.id().isEmpty() && !e.event().equals("typing")) {
                out.add(e);
            }
        }
        return out;
    }

    private static JsonNode json(SseClient.Event e) {
        try {
            return Rig.JSON.readTree(e.data());
        } catch (IOException ex) {
            throw new AssertionError(e.data(), ex);
        }
    }
}
