package dev.opencx.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.knowledge.Citation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link SlackChannel#send} against Slack's Web API (faked with its exact answers). */
class SlackSendTest {
    static final String ROOT = "1760000000.000100";
    static final Identity ANA = SlackRig.identity("U0ANA0001");

    private final FakeSlack slack = new FakeSlack();
    private final SlackChannel channel = SlackChannel.builder()
            .botToken(FakeSlack.TOKEN)
            .signingSecret(SlackRig.SECRET)
            .botUserId(FakeSlack.BOT_USER)
            .supportChannel(SlackRig.SUPPORT)
            .apiBaseUrl(slack.baseUrl())
            .build();

    @AfterEach
    void close() {
        channel.close();
        slack.close();
    }

    private static OutboundMessage message(String key, String thread, String text, List<Citation> sources) {
        return new OutboundMessage(
                "m-" + key,
                "s-1",
                new TicketNumber(1000),
                ChannelId.SLACK,
                ANA,
                thread,
                OutboundMessage.Kind.AI_REPLY,
                Author.AI,
                "",
                text,
                sources,
                "",
                key);
    }

    private static OutboundMessage inThread(String key, String text) {
        return message(key, SlackRig.SUPPORT + ":" + ROOT, text, List.of());
    }

    @Test
    void posts_mrkdwn_in_the_sessions_thread_as_json_with_the_bot_token() {
        DeliveryReceipt receipt =
                channel.send(inThread("k1", "**Refunds** take 5 days: [details](https://shop.example/r)"));

        FakeSlack.Post p = slack.posts().get(0);
        assertThat(p.channel()).isEqualTo(SlackRig.SUPPORT);
        assertThat(p.threadTs()).isEqualTo(ROOT);
        assertThat(p.text()).isEqualTo("*Refunds* take 5 days: <https://shop.example/r|details>");
        assertThat(p.authorization()).isEqualTo("Bearer " + FakeSlack.TOKEN);
        assertThat(p.contentType()).startsWith("application/json");
        assertThat(receipt.externalId()).isEqualTo(SlackRig.SUPPORT + ":" + p.ts());
    }

    @Test
    void links_the_cited_articles_the_text_does_not_link_already() {
        channel.send(message(
                "k-src",
                SlackRig.SUPPORT + ":" + ROOT,
                "Refunds take 5 days. See [returns](https://shop.example/returns).",
                List.of(
                        new Citation("p1", "returns", "Returns", "https://shop.example/returns"),
                        new Citation("p2", "shipping", "Shipping & delivery", "https://shop.example/shipping"),
                        new Citation("p3", "internal", "No link", ""))));

        assertThat(slack.posts().get(0).text())
                .isEqualTo("Refunds take 5 days. See <https://shop.example/returns|returns>.\n\n"
                        + ":link: <https://shop.example/shipping|Shipping &amp; delivery>");
    }

    @Test
    void a_dm_session_is_answered_at_the_top_level_of_the_dm() {
        channel.send(message("k-dm", "D0ANADM01", "Hello", List.of()));

        assertThat(slack.posts().get(0).channel()).isEqualTo("D0ANADM01");
        assertThat(slack.posts().get(0).threadTs()).isEmpty();
    }

    @Test
    void a_session_without_a_thread_is_answered_in_the_apps_dm_with_its_slack_user() {
        channel.send(message("k-nothread", "", "We found your parcel.", List.of()));

        assertThat(slack.posts().get(0).channel()).isEqualTo("D0ANA0001"); // Slack's DM for user U0ANA0001
    }

    @Test
    void a_session_that_has_no_slack_conversation_fails_permanently() {
        OutboundMessage m = new OutboundMessage(
                "m-x",
                "s-9",
                new TicketNumber(1009),
                ChannelId.SLACK,
                Identity.email("ana@example.com"),
                "",
                OutboundMessage.Kind.AGENT_REPLY,
                Author.AGENT,
                "agent-1",
                "Hi",
                List.of(),
                "",
                "k-x");

        assertThatThrownBy(() -> channel.send(m))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isFalse())
                .hasMessageContaining("no Slack thread");
        assertThat(slack.requestCount()).isZero();
    }

    @Test
    void ok_false_with_a_permanent_error_fails_permanently_naming_the_code() {
        slack.failNextWith("channel_not_found");

        assertThatThrownBy(() -> channel.send(inThread("k2", "Hi")))
                .isInstanceOfSatisfying(SlackApiException.class, e -> {
                    assertThat(e.isRetriable()).isFalse();
                    assertThat(e.error()).isEqualTo("channel_not_found");
                    assertThat(e.method()).isEqualTo("chat.postMessage");
                })
                .hasMessageContaining("channel_not_found")
                .hasMessageNotContaining(FakeSlack.TOKEN);
        for (String code :
                List.of("not_in_channel", "invalid_auth", "account_inactive", "msg_too_long", "is_archived")) {
            slack.failNextWith(code);
            assertThatThrownBy(() -> channel.send(inThread("k-" + code, "Hi")))
                    .isInstanceOfSatisfying(
                            OpenCxException.class,
                            e -> assertThat(e.isRetriable()).as(code).isFalse())
                    .hasMessageContaining(code);
        }
    }

    @Test
    void ok_false_with_a_transient_error_is_retriable() {
        for (String code :
                List.of("ratelimited", "internal_error", "service_unavailable", "fatal_error", "request_timeout")) {
            slack.failNextWith(code);
            assertThatThrownBy(() -> channel.send(inThread("k-" + code, "Hi")))
                    .isInstanceOfSatisfying(
                            OpenCxException.class,
                            e -> assertThat(e.isRetriable()).as(code).isTrue())
                    .hasMessageContaining(code);
        }
        assertThat(slack.posts()).isEmpty();
    }

    @Test
    void a_429_is_retriable_after_slacks_retry_after_and_a_5xx_is_retriable() {
        slack.rateLimitNext(1);
        assertThatThrownBy(() -> channel.send(inThread("k3", "Hi")))
                .isInstanceOfSatisfying(OpenCxException.class, e -> {
                    assertThat(e.isRetriable()).isTrue();
                    assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
                })
                .hasMessageContaining("429")
                .hasMessageContaining("ratelimited");
        slack.failNextWithStatus(503);
        assertThatThrownBy(() -> channel.send(inThread("k3", "Hi")))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue());

        channel.send(inThread("k3", "Hi"));
        assertThat(slack.posts()).hasSize(1);
    }

    @Test
    void the_same_idempotency_key_is_posted_once() {
        DeliveryReceipt first = channel.send(inThread("k4", "Only once"));
        DeliveryReceipt again = channel.send(inThread("k4", "Only once"));

        assertThat(slack.posts()).hasSize(1);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void a_long_reply_is_split_within_the_limit_and_a_retry_does_not_repost_the_parts_already_sent() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; text.length() < 10_000; i++) {
            text.append("Sentence ").append(i).append(" of the return policy explains one more rule. ");
        }
        slack.rateLimitNext(1);
        slack.failuresAfter(1); // the second part is refused once

        assertThatThrownBy(() -> channel.send(inThread("k5", text.toString())))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue());
        assertThat(slack.posts()).hasSize(1);
        channel.send(inThread("k5", text.toString()));

        List<String> parts = slack.posts().stream().map(FakeSlack.Post::text).toList();
        assertThat(parts).hasSize(3).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(4000));
        assertThat(String.join(" ", parts)).isEqualTo(text.toString().strip());
        assertThat(slack.posts()).extracting(FakeSlack.Post::threadTs).containsOnly(ROOT);
    }

    @Test
    void a_closed_channel_refuses_to_send_for_now() {
        channel.close();
        channel.close();

        assertThatThrownBy(() -> channel.send(inThread("k6", "Hi")))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue());
    }
}
