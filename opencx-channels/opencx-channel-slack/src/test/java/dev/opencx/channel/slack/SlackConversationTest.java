package dev.opencx.channel.slack;

import static dev.opencx.channel.slack.SlackRig.SUPPORT;
import static dev.opencx.channel.slack.SlackRig.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.knowledge.Citation;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Whole conversations through the real OpenCX pipeline, from Slack's webhook to Slack's thread. */
class SlackConversationTest {
    static final String ANA = "U0ANA0001";

    /** Answers refunds with a cited article; hands off when asked for a person; echoes the rest. */
    static final Responder RESPONDER = req -> {
        String text = req.message().text();
        if (text.contains("human")) {
            return Reply.noAnswer(HandoffReason.EXPLICIT_REQUEST, "the customer asked for a person", Map.of());
        }
        if (text.contains("refund")) {
            return Reply.answer(
                    "**Refunds** reach your card within *5 business days* after we receive the item.",
                    0.92,
                    List.of(new Citation(
                            "returns#1", "returns", "Returns & refunds", "https://shop.example/help/returns")),
                    "article",
                    Map.of());
        }
        return Reply.answer("You said: " + text, 1.0, List.of(), "echo", Map.of());
    };

    private SlackRig rig;

    @AfterEach
    void close() {
        if (rig != null) {
            rig.close();
        }
    }

    private <T> List<T> events(Session s, Class<T> type) {
        return rig.cx.events(s.id()).stream()
                .map(SessionEvent::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Test
    void a_question_in_the_support_channel_ends_in_an_ai_answer_in_its_thread() {
        rig = SlackRig.start(RESPONDER);
        String root = rig.ts();

        assertThat(rig.deliver(rig.inSupport(ANA, root, "How long does a refund take?"))
                        .status())
                .isEqualTo(200);

        await().atMost(WAIT).until(() -> rig.slack.posts().size() == 1);
        rig.cx.awaitIdle(WAIT);
        FakeSlack.Post answer = rig.slack.posts().get(0);
        assertThat(answer.channel()).isEqualTo(SUPPORT);
        assertThat(answer.threadTs()).isEqualTo(root);
        assertThat(answer.text())
                .isEqualTo("*Refunds* reach your card within _5 business days_ after we receive the item.\n\n"
                        + ":link: <https://shop.example/help/returns|Returns &amp; refunds>");
        Session s = rig.sessionsOf(ANA).get(0);
        assertThat(s.state()).isEqualTo(SessionState.AI_ACTIVE);
        List<MessageDelivered> delivered = events(s, MessageDelivered.class);
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).externalId()).isEqualTo(SUPPORT + ":" + answer.ts());
    }

    @Test
    void a_handoff_in_a_thread_brings_the_agents_reply_back_to_that_thread() {
        rig = SlackRig.start(RESPONDER);
        String root = rig.ts();

        rig.deliver(rig.inSupport(ANA, root, "I want to talk to a human please"));

        await().atMost(WAIT).until(() -> !rig.helpdesk.tickets().isEmpty());
        Session s = rig.sessionsOf(ANA).get(0);
        await().atMost(WAIT).until(() -> rig.cx.session(s.id()).orElseThrow().state() == SessionState.HANDED_OFF);
        await().atMost(WAIT).until(() -> rig.slack.posts().size() == 1);
        FakeSlack.Post notice = rig.slack.posts().get(0);
        assertThat(notice.threadTs()).isEqualTo(root);
        assertThat(notice.text()).contains(Long.toString(s.ticket().value()));
        assertThat(rig.helpdesk.ticket(s.ticket()).orElseThrow().reason()).isEqualTo(HandoffReason.EXPLICIT_REQUEST);

        rig.helpdesk
                .agent()
                .agentReplied(s.ticket(), "agent-7", "Hi, **Sam** here. I'll check your order.", "agent-msg-1");

        await().atMost(WAIT).until(() -> rig.slack.posts().size() == 2);
        FakeSlack.Post reply = rig.slack.posts().get(1);
        assertThat(reply.channel()).isEqualTo(SUPPORT);
        assertThat(reply.threadTs()).isEqualTo(root);
        assertThat(reply.text()).isEqualTo("Hi, *Sam* here. I'll check your order.");

        // the customer answers in the thread: it goes to the agent, the AI stays silent
        rig.deliver(SlackRig.message(ANA, SUPPORT, "channel", rig.ts(), root, "Thanks Sam, order 4411"));
        await().atMost(WAIT).until(() -> !rig.helpdesk.appended().isEmpty());
        rig.cx.awaitIdle(WAIT);
        assertThat(rig.helpdesk.appended().get(0).text()).isEqualTo("Thanks Sam, order 4411");
        assertThat(rig.slack.posts()).hasSize(2);
        assertThat(rig.sessionsOf(ANA)).hasSize(1);
    }

    @Test
    void replies_held_up_by_a_slack_outage_are_delivered_later_once_each_and_in_order() {
        rig = SlackRig.start(RESPONDER);
        String root = rig.ts();
        rig.slack.rateLimitNext(2); // 429 with Retry-After: 1
        rig.slack.failNextWithStatus(503);
        rig.slack.failNextWith("service_unavailable");

        rig.deliver(rig.inSupport(ANA, root, "first question"));
        rig.deliver(SlackRig.message(ANA, SUPPORT, "channel", rig.ts(), root, "second question"));
        rig.deliver(SlackRig.message(ANA, SUPPORT, "channel", rig.ts(), root, "third question"));

        await().atMost(Duration.ofSeconds(30)).until(() -> rig.slack.posts().size() >= 3);
        rig.cx.awaitIdle(WAIT);
        assertThat(rig.postedTexts())
                .containsExactly("You said: first question", "You said: second question", "You said: third question");
        assertThat(rig.slack.posts()).extracting(FakeSlack.Post::threadTs).containsOnly(root);
        Session s = rig.sessionsOf(ANA).get(0);
        List<MessageDelivered> delivered = events(s, MessageDelivered.class);
        assertThat(delivered).hasSize(3);
        assertThat(delivered.get(0).attempts())
                .as("attempts of the first reply")
                .isEqualTo(5);
        System.out.printf(
                "slack outage: attempts per reply %s%n",
                delivered.stream().map(MessageDelivered::attempts).toList());
    }

    @Test
    void a_reply_slack_refuses_for_good_is_recorded_as_failed_naming_slacks_error() {
        rig = SlackRig.start(RESPONDER);
        rig.slack.failNextWith("not_in_channel");

        rig.deliver(rig.inSupport(ANA, rig.ts(), "hello?"));

        Session s = await().atMost(WAIT)
                .until(() -> rig.sessionsOf(ANA), l -> !l.isEmpty())
                .get(0);
        await().atMost(WAIT).until(() -> !events(s, DeliveryFailed.class).isEmpty());
        assertThat(events(s, DeliveryFailed.class).get(0).error()).contains("not_in_channel");
        assertThat(rig.slack.posts()).isEmpty();
    }
}
