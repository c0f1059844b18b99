package dev.opencx.channel.slack;

import static dev.opencx.channel.slack.SlackRig.SUPPORT;
import static dev.opencx.channel.slack.SlackRig.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Events API request URL, driven over HTTP with payloads as Slack sends them. */
class SlackWebhookTest {
    static final String ANA = "U0ANA0001";
    static final String BEN = "U0BEN0002";

    static final Responder ECHO = req -> req.message().text().contains("human")
            ? Reply.noAnswer(HandoffReason.EXPLICIT_REQUEST, "asked for a person", Map.of())
            : Reply.answer("You said: " + req.message().text(), 1.0, List.of(), "echo", Map.of());

    private SlackRig rig = SlackRig.start(ECHO);

    @AfterEach
    void close() {
        rig.close();
    }

    private void awaitPosts(int n) {
        await().atMost(WAIT).until(() -> rig.slack.posts().size() >= n);
        rig.cx.awaitIdle(WAIT);
    }

    @Test
    void answers_url_verification_with_its_challenge() {
        String body = "{\"token\":\"Jhj5dZrVaK7ZwHHjRyZWjbDl\",\"challenge\":"
                + "\"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P\",\"type\":\"url_verification\"}";

        SlackRig.Resp r = rig.deliver(body);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
        assertThat(r.header("Content-Type")).startsWith("text/plain");
    }

    @Test
    void an_unsigned_url_verification_is_refused() {
        String body = "{\"token\":\"t\",\"challenge\":\"abc\",\"type\":\"url_verification\"}";

        SlackRig.Resp r = rig.post(body.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("abc");
    }

    @Test
    void a_top_level_message_in_the_support_channel_starts_a_session_answered_in_its_thread() {
        String ts = rig.ts();

        SlackRig.Resp r = rig.deliver(rig.inSupport(ANA, ts, "Where is my parcel?"));

        assertThat(r.status()).isEqualTo(200);
        awaitPosts(1);
        FakeSlack.Post post = rig.slack.posts().get(0);
        assertThat(post.channel()).isEqualTo(SUPPORT);
        assertThat(post.threadTs()).isEqualTo(ts);
        assertThat(post.text()).isEqualTo("You said: Where is my parcel?");
        Session s = rig.sessionsOf(ANA).get(0);
        assertThat(s.threadId()).isEqualTo(SUPPORT + ":" + ts);
        assertThat(rig.received(s)).containsExactly("Where is my parcel?");
        MessageReceived in = rig.cx.events(s.id()).stream()
                .map(SessionEvent::payload)
                .filter(MessageReceived.class::isInstance)
                .map(MessageReceived.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(in.message().externalId()).isEqualTo(SUPPORT + ":" + ts);
    }

    @Test
    void a_reply_in_the_thread_continues_the_session_and_is_answered_in_the_same_thread() {
        String root = rig.ts();
        rig.deliver(rig.inSupport(ANA, root, "Where is my parcel?"));
        awaitPosts(1);

        String reply = rig.ts();
        assertThat(rig.deliver(SlackRig.message(ANA, SUPPORT, "channel", reply, root, "It was due Monday"))
                        .status())
                .isEqualTo(200);
        awaitPosts(2);

        assertThat(rig.sessionsOf(ANA)).hasSize(1);
        assertThat(rig.received(rig.sessionsOf(ANA).get(0)))
                .containsExactly("Where is my parcel?", "It was due Monday");
        assertThat(rig.slack.posts()).extracting(FakeSlack.Post::threadTs).containsExactly(root, root);
    }

    @Test
    void each_top_level_message_starts_its_own_thread_and_session() {
        String first = rig.ts();
        String second = rig.ts();
        rig.deliver(rig.inSupport(ANA, first, "Question one"));
        rig.deliver(rig.inSupport(ANA, second, "Another topic"));
        awaitPosts(2);

        assertThat(rig.sessionsOf(ANA))
                .extracting(Session::threadId)
                .containsExactlyInAnyOrder(SUPPORT + ":" + first, SUPPORT + ":" + second);
        assertThat(rig.slack.posts()).extracting(FakeSlack.Post::threadTs).containsExactlyInAnyOrder(first, second);
    }

    @Test
    void a_direct_message_conversation_is_one_session_answered_in_the_dm() {
        rig.deliver(SlackRig.message(ANA, "D0ANADM01", "im", rig.ts(), null, "Hello"));
        awaitPosts(1);
        rig.deliver(SlackRig.message(ANA, "D0ANADM01", "im", rig.ts(), null, "Are you there?"));
        awaitPosts(2);

        assertThat(rig.sessionsOf(ANA)).hasSize(1);
        assertThat(rig.sessionsOf(ANA).get(0).threadId()).isEqualTo("D0ANADM01");
        assertThat(rig.slack.posts()).allSatisfy(p -> {
            assertThat(p.channel()).isEqualTo("D0ANADM01");
            assertThat(p.threadTs()).isEmpty();
        });
        assertThat(rig.postedTexts()).containsExactly("You said: Hello", "You said: Are you there?");
    }

    @Test
    void two_people_get_two_sessions_as_two_contacts() {
        rig.deliver(rig.inSupport(ANA, rig.ts(), "Mine is late"));
        rig.deliver(rig.inSupport(BEN, rig.ts(), "Mine is broken"));
        awaitPosts(2);

        assertThat(rig.sessionsOf(ANA)).hasSize(1);
        assertThat(rig.sessionsOf(BEN)).hasSize(1);
        assertThat(rig.sessionsOf(ANA).get(0).contactId())
                .isNotEqualTo(rig.sessionsOf(BEN).get(0).contactId());
    }

    @Test
    void a_forged_signature_is_refused_with_401_and_nothing_is_stored() {
        String body = rig.inSupport(ANA, rig.ts(), "Refund me to this account");

        SlackRig.Resp wrongSecret =
                rig.deliverAt(Instant.now().getEpochSecond(), "not-the-signing-secret-000000000", body);
        SlackRig.Resp noSignature = rig.post(
                body.getBytes(StandardCharsets.UTF_8),
                "X-Slack-Request-Timestamp",
                Long.toString(Instant.now().getEpochSecond()));
        SlackRig.Resp tampered = rig.post(
                body.replace("Refund me", "Refund ME").getBytes(StandardCharsets.UTF_8),
                "X-Slack-Request-Timestamp",
                "1700000000",
                "X-Slack-Signature",
                SlackSignature.sign(SlackRig.SECRET, "1700000000", body.getBytes(StandardCharsets.UTF_8)));

        assertThat(List.of(wrongSecret.status(), noSignature.status(), tampered.status()))
                .containsOnly(401);
        assertThat(wrongSecret.json().path("error").path("code").asText()).isEqualTo("invalid_signature");
        assertThat(wrongSecret.body()).doesNotContain(SlackRig.SECRET);
        rig.cx.awaitIdle(WAIT);
        assertThat(rig.sessions()).isEmpty();
        assertThat(rig.slack.posts()).isEmpty();
    }

    @Test
    void a_replayed_request_older_or_newer_than_five_minutes_is_refused_even_when_correctly_signed() {
        String body = rig.inSupport(ANA, rig.ts(), "Hi");
        long now = Instant.now().getEpochSecond();

        SlackRig.Resp old = rig.deliverAt(now - 301, SlackRig.SECRET, body);
        SlackRig.Resp future = rig.deliverAt(now + 301, SlackRig.SECRET, body);

        assertThat(old.status()).isEqualTo(401);
        assertThat(old.json().path("error").path("message").asText()).contains("replay");
        assertThat(future.status()).isEqualTo(401);
        rig.cx.awaitIdle(WAIT);
        assertThat(rig.sessions()).isEmpty();
    }

    @Test
    void slacks_retries_of_one_event_are_processed_once() {
        String ts = rig.ts();
        String body = rig.inSupport(ANA, ts, "Can I change my address?");

        SlackRig.Resp first = rig.deliver(body);
        // Slack re-signs each retry with a new timestamp and says why it retries
        SlackRig.Resp retry1 = rig.deliver(body, "X-Slack-Retry-Num", "1", "X-Slack-Retry-Reason", "http_timeout");
        SlackRig.Resp retry2 = rig.deliver(body, "X-Slack-Retry-Num", "2", "X-Slack-Retry-Reason", "http_error");
        awaitPosts(1);

        assertThat(List.of(first.status(), retry1.status(), retry2.status())).containsOnly(200);
        assertThat(rig.sessions()).hasSize(1);
        assertThat(rig.received(rig.sessions().get(0))).containsExactly("Can I change my address?");
        assertThat(rig.postedTexts()).containsExactly("You said: Can I change my address?");
    }

    @Test
    void a_mention_of_the_app_and_the_message_event_of_the_same_message_are_processed_once() {
        String ts = rig.ts();
        String text = "<@" + FakeSlack.BOT_USER + "> can you help with my invoice?";
        ObjectNode mention = SlackRig.JSON
                .createObjectNode()
                .put("type", "app_mention")
                .put("user", ANA)
                .put("text", text)
                .put("ts", ts)
                .put("channel", SUPPORT)
                .put("event_ts", ts);

        assertThat(rig.deliver(SlackRig.callback(mention, "Ev0MENTION1")).status())
                .isEqualTo(200);
        assertThat(rig.deliver(SlackRig.message(ANA, SUPPORT, "channel", ts, null, text))
                        .status())
                .isEqualTo(200);
        awaitPosts(1);

        assertThat(rig.sessions()).hasSize(1);
        assertThat(rig.received(rig.sessions().get(0))).containsExactly("can you help with my invoice?");
        assertThat(rig.postedTexts()).containsExactly("You said: can you help with my invoice?");
    }

    @Test
    void the_apps_own_messages_other_bots_and_system_subtypes_are_ignored() {
        String root = rig.ts();
        rig.deliver(rig.inSupport(ANA, root, "Hello"));
        awaitPosts(1);
        FakeSlack.Post answer = rig.slack.posts().get(0);

        // Slack sends the app's own reply back as a message event in the thread
        ObjectNode own = SlackRig.JSON
                .createObjectNode()
                .put("type", "message")
                .put("user", FakeSlack.BOT_USER)
                .put("bot_id", FakeSlack.BOT_ID)
                .put("app_id", "A0APP0001")
                .put("text", answer.text())
                .put("ts", answer.ts())
                .put("thread_ts", root)
                .put("channel", SUPPORT)
                .put("channel_type", "channel");
        ObjectNode ownWithoutBotId = own.deepCopy();
        ownWithoutBotId.remove("bot_id");
        ObjectNode otherBot = own.deepCopy()
                .put("user", "U0OTHERBOT")
                .put("bot_id", "B0OTHER01")
                .put("ts", rig.ts());
        ObjectNode botMessage = SlackRig.JSON
                .createObjectNode()
                .put("type", "message")
                .put("subtype", "bot_message")
                .put("bot_id", "B0LEGACY1")
                .put("text", "Deploy finished")
                .put("ts", rig.ts())
                .put("channel", SUPPORT)
                .put("channel_type", "channel");
        ObjectNode join = SlackRig.JSON
                .createObjectNode()
                .put("type", "message")
                .put("subtype", "channel_join")
                .put("user", BEN)
                .put("text", "<@" + BEN + "> has joined the channel")
                .put("ts", rig.ts())
                .put("channel", SUPPORT)
                .put("channel_type", "channel");
        ObjectNode edit = SlackRig.JSON
                .createObjectNode()
                .put("type", "message")
                .put("subtype", "message_changed")
                .put("hidden", true)
                .put("ts", rig.ts())
                .put("channel", SUPPORT)
                .put("channel_type", "channel");
        edit.putObject("message")
                .put("type", "message")
                .put("user", ANA)
                .put("text", "Hello!")
                .put("ts", root);

        for (ObjectNode e : List.of(own, ownWithoutBotId, otherBot, botMessage, join, edit)) {
            assertThat(rig.deliver(SlackRig.callback(
                                    e, "Ev" + e.path("ts").asText().replace(".", "")))
                            .status())
                    .as("status for %s", e)
                    .isEqualTo(200);
        }
        rig.cx.awaitIdle(WAIT);

        assertThat(rig.sessions()).hasSize(1);
        assertThat(rig.received(rig.sessions().get(0))).containsExactly("Hello");
        assertThat(rig.slack.posts()).hasSize(1);
    }

    @Test
    void messages_outside_support_channels_group_dms_and_disabled_dms_are_ignored() {
        rig.close();
        rig = SlackRig.start(ECHO, b -> b.directMessages(false));

        for (String body : List.of(
                SlackRig.message(ANA, "C0RANDOM01", "channel", rig.ts(), null, "lunch?"),
                SlackRig.message(ANA, "G0GROUPDM1", "mpim", rig.ts(), null, "hi all"),
                SlackRig.message(ANA, "D0ANADM01", "im", rig.ts(), null, "hi bot"))) {
            assertThat(rig.deliver(body).status()).isEqualTo(200);
        }
        rig.cx.awaitIdle(WAIT);

        assertThat(rig.sessions()).isEmpty();
        assertThat(rig.slack.posts()).isEmpty();
    }

    @Test
    void malformed_payloads_get_a_400_with_the_reason_and_no_retry_and_nothing_is_stored() {
        SlackRig.Resp broken = rig.deliver("{\"type\":\"event_callback\",\"event\":{\"type\":\"message\",");
        ObjectNode noUser = SlackRig.JSON
                .createObjectNode()
                .put("type", "message")
                .put("text", "who am I")
                .put("ts", rig.ts())
                .put("channel", SUPPORT)
                .put("channel_type", "channel");
        SlackRig.Resp withoutUser = rig.deliver(SlackRig.callback(noUser, "Ev0NOUSER1"));
        SlackRig.Resp badTs = rig.deliver(SlackRig.message(ANA, SUPPORT, "channel", "yesterday", null, "hi"));
        SlackRig.Resp noEvent = rig.deliver("{\"type\":\"event_callback\",\"event_id\":\"Ev1\"}");
        SlackRig.Resp notAnObject = rig.deliver("[1,2,3]");

        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("error").path("message").asText()).contains("not JSON");
        assertThat(broken.header("X-Slack-No-Retry")).isEqualTo("1");
        assertThat(withoutUser.status()).isEqualTo(400);
        assertThat(withoutUser.json().path("error").path("message").asText()).contains("'user'");
        assertThat(badTs.status()).isEqualTo(400);
        assertThat(noEvent.status()).isEqualTo(400);
        assertThat(notAnObject.status()).isEqualTo(400);
        rig.cx.awaitIdle(WAIT);
        assertThat(rig.sessions()).isEmpty();
    }

    @Test
    void other_event_types_and_payload_kinds_are_acknowledged_and_ignored() {
        ObjectNode reaction = SlackRig.JSON
                .createObjectNode()
                .put("type", "reaction_added")
                .put("user", ANA)
                .put("reaction", "thumbsup")
                .put("event_ts", rig.ts());
        reaction.putObject("item")
                .put("type", "message")
                .put("channel", SUPPORT)
                .put("ts", rig.ts());

        assertThat(rig.deliver(SlackRig.callback(reaction, "Ev0REACT01")).status())
                .isEqualTo(200);
        assertThat(rig.deliver("{\"token\":\"t\",\"team_id\":\"T0TEAM01\",\"minute_rate_limited\":1518467820,"
                                + "\"api_app_id\":\"A0APP0001\",\"type\":\"app_rate_limited\"}")
                        .status())
                .isEqualTo(200);
        assertThat(rig.sessions()).isEmpty();
    }

    @Test
    void the_bots_mention_is_removed_and_slack_markup_is_read_as_plain_text() {
        rig.deliver(rig.inSupport(
                ANA,
                rig.ts(),
                "<@" + FakeSlack.BOT_USER + "> my order &amp; <https://shop.example/o/42|order 42> &lt;urgent&gt;"));
        awaitPosts(1);

        assertThat(rig.received(rig.sessions().get(0)))
                .containsExactly("my order & order 42 (https://shop.example/o/42) <urgent>");
    }

    @Test
    void a_shared_file_is_kept_as_a_reference_with_its_text() {
        ObjectNode event = SlackRig.JSON
                .createObjectNode()
                .put("type", "message")
                .put("subtype", "file_share")
                .put("text", "here is the receipt")
                .put("user", ANA)
                .put("ts", rig.ts())
                .put("channel", SUPPORT)
                .put("channel_type", "channel");
        event.putArray("files")
                .addObject()
                .put("id", "F0RECEIPT1")
                .put("name", "receipt.pdf")
                .put("mimetype", "application/pdf")
                .put("size", 52_311)
                .put("url_private", "https://files.slack.com/files-pri/T0TEAM01-F0RECEIPT1/receipt.pdf");

        assertThat(rig.deliver(SlackRig.callback(event, "Ev0FILE001")).status()).isEqualTo(200);
        awaitPosts(1);

        MessageReceived in = rig.cx.events(rig.sessions().get(0).id()).stream()
                .map(SessionEvent::payload)
                .filter(MessageReceived.class::isInstance)
                .map(MessageReceived.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(in.message().text()).isEqualTo("here is the receipt");
        assertThat(in.message().attachments())
                .containsExactly(new Attachment(
                        "https://files.slack.com/files-pri/T0TEAM01-F0RECEIPT1/receipt.pdf",
                        "application/pdf",
                        "receipt.pdf",
                        52_311));
    }

    @Test
    void every_message_of_a_burst_is_acknowledged_with_200_well_inside_slacks_3_seconds() {
        int n = 200;
        long[] millis = new long[n];
        for (int i = 0; i < n; i++) {
            String user = String.format("U0BURST%03d", i % 20);
            long started = System.nanoTime();
            SlackRig.Resp r = rig.deliver(rig.inSupport(user, rig.ts(), "question " + i));
            millis[i] = (System.nanoTime() - started) / 1_000_000;
            assertThat(r.status()).as("status of webhook %d", i).isEqualTo(200);
        }
        awaitPosts(n);

        java.util.Arrays.sort(millis);
        System.out.printf(
                "slack webhook acknowledgement over HTTP, %d sequential messages (in-memory store):"
                        + " p50 %d ms, p99 %d ms, max %d ms%n",
                n, millis[n / 2], millis[n * 99 / 100], millis[n - 1]);
        assertThat(millis[n - 1]).as("slowest acknowledgement (ms)").isLessThan(2500);
        assertThat(rig.sessions()).hasSize(n);
        assertThat(rig.slack.posts()).hasSize(n);
    }

    @Test
    void a_wrong_path_or_method_is_refused() {
        SlackRig.Resp get = rig.send("GET", "/webhooks/slack");
        SlackRig.Resp elsewhere = rig.send("POST", "/webhooks/slack/other");

        assertThat(get.status()).isEqualTo(405);
        assertThat(elsewhere.status()).isEqualTo(404);
    }
}
