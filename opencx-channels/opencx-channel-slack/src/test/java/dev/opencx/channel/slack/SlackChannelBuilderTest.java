package dev.opencx.channel.slack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.IdentityType;
import dev.opencx.responder.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlackChannelBuilderTest {

    @Test
    void reports_every_wrong_setting_at_once() {
        assertThatThrownBy(() -> SlackChannel.builder()
                        .botToken("xoxp-user-token-123")
                        .supportChannel("#support")
                        .botUserId("bot")
                        .apiBaseUrl("slack.com/api")
                        .mountPath("/webhooks/slack/")
                        .maxTextLength(50_000)
                        .ackTimeout(Duration.ofSeconds(5))
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("botToken must be a bot token")
                .hasMessageContaining("signingSecret is required")
                .hasMessageContaining(
                        "supportChannel must be a channel id like C0123ABCD (not its #name), was '#support'")
                .hasMessageContaining("botUserId must be a Slack user id")
                .hasMessageContaining("apiBaseUrl must be an http(s) URL")
                .hasMessageContaining("mountPath must look like /webhooks/slack")
                .hasMessageContaining("maxTextLength must be from 100 to 40000, was 50000")
                .hasMessageContaining("ackTimeout must be from 100 ms to 2.9 s")
                .hasMessageNotContaining("xoxp-user-token-123");
    }

    @Test
    void needs_somewhere_to_listen() {
        assertThatThrownBy(() -> SlackChannel.builder()
                        .botToken(FakeSlack.TOKEN)
                        .signingSecret(SlackRig.SECRET)
                        .build())
                .hasMessageContaining("add a supportChannel(...) and/or directMessages(true)");
    }

    @Test
    void never_shows_the_token_or_the_secrets() {
        SlackChannel.Builder b = SlackChannel.builder()
                .botToken(FakeSlack.TOKEN)
                .signingSecret(SlackRig.SECRET)
                .previousSigningSecret("previous-secret-0123456789abcdef")
                .botUserId(FakeSlack.BOT_USER)
                .directMessages(true);
        SlackChannel channel = b.build();

        assertThat(channel.toString() + b)
                .doesNotContain(FakeSlack.TOKEN)
                .doesNotContain(SlackRig.SECRET)
                .doesNotContain("previous-secret-0123456789abcdef")
                .contains("slack");
        assertThatThrownBy(() -> SlackChannel.builder()
                        .botToken(FakeSlack.TOKEN)
                        .signingSecret("has a space " + SlackRig.SECRET)
                        .directMessages(true)
                        .build())
                .hasMessageNotContaining(SlackRig.SECRET);
        channel.close();
    }

    @Test
    void declares_what_slack_can_show_and_where_it_is_mounted() {
        SlackChannel channel = SlackChannel.builder()
                .botToken(FakeSlack.TOKEN)
                .signingSecret(SlackRig.SECRET)
                .botUserId(FakeSlack.BOT_USER)
                .directMessages(true)
                .build();

        ChannelCapabilities caps = channel.capabilities();
        assertThat(caps.markdown()).isTrue();
        assertThat(caps.threads()).isTrue();
        assertThat(caps.maxTextLength()).isEqualTo(4000);
        assertThat(caps.streaming() || caps.buttons() || caps.voice() || caps.attachments())
                .isFalse();
        assertThat(channel.id()).isEqualTo(ChannelId.SLACK);
        assertThat(channel.mountPath()).isEqualTo("/webhooks/slack");
        assertThat(channel.answersOn()).containsExactly(IdentityType.CUSTOM);
        channel.close();
    }

    @Test
    void learns_its_bot_user_from_auth_test_at_start_and_then_ignores_its_own_messages() {
        try (SlackRig rig = SlackRig.start(
                req -> Reply.answer("You said: " + req.message().text(), 1.0, List.of(), "echo", Map.of()),
                b -> b.botUserId(null))) {
            assertThat(rig.slack.authCalls()).isEqualTo(1);
            // an own message without bot_id (as some Slack clients deliver it): only the user id tells
            String own =
                    SlackRig.message(FakeSlack.BOT_USER, SlackRig.SUPPORT, "channel", rig.ts(), null, "I am the bot");

            assertThat(rig.deliver(own).status()).isEqualTo(200);
            rig.cx.awaitIdle(SlackRig.WAIT);
            assertThat(rig.sessions()).isEmpty();
        }
    }

    @Test
    void a_token_slack_refuses_at_start_fails_the_build_naming_slacks_error() {
        FakeSlack slack = new FakeSlack();
        slack.failAuthWith("invalid_auth");
        SlackChannel channel = SlackChannel.builder()
                .botToken(FakeSlack.TOKEN)
                .signingSecret(SlackRig.SECRET)
                .directMessages(true)
                .apiBaseUrl(slack.baseUrl())
                .build();
        try {
            assertThatThrownBy(() -> OpenCx.builder()
                            .channel(channel)
                            .responder(req -> Reply.answer("x", 1.0, List.of(), "", Map.of()))
                            .build())
                    .hasStackTraceContaining("invalid_auth")
                    .hasStackTraceContaining("botUserId(...)");
        } finally {
            channel.close();
            slack.close();
        }
    }
}
