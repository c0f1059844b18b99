package dev.opencx.channel.slack;

import static dev.opencx.channel.slack.SlackRig.SUPPORT;
import static dev.opencx.channel.slack.SlackRig.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.responder.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The parser accepts every field of Slack's payloads: the shape samples of Slack's Java SDK (every
 * field present; see {@code src/test/resources/slack-samples/README.md}) with only the values the
 * channel reads filled in, sent signed through the real webhook.
 */
class SlackPayloadSamplesTest {
    private final SlackRig rig =
            SlackRig.start(req -> Reply.answer("You said: " + req.message().text(), 1.0, List.of(), "echo", Map.of()));

    @AfterEach
    void close() {
        rig.close();
    }

    private static ObjectNode sample(String name) {
        try (InputStream in = SlackPayloadSamplesTest.class.getResourceAsStream("/slack-samples/" + name + ".json")) {
            return (ObjectNode) SlackRig.JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The envelope's values Slack always fills. */
    private static ObjectNode envelope(ObjectNode root, String eventId) {
        root.put("type", "event_callback").put("team_id", FakeSlack.TEAM).put("event_id", eventId);
        return (ObjectNode) root.get("event");
    }

    private MessageReceived onlyMessage() {
        await().atMost(WAIT).until(() -> rig.slack.posts().size() == 1);
        rig.cx.awaitIdle(WAIT);
        List<Session> sessions = rig.sessions();
        assertThat(sessions).hasSize(1);
        return rig.cx.events(sessions.get(0).id()).stream()
                .map(SessionEvent::payload)
                .filter(MessageReceived.class::isInstance)
                .map(MessageReceived.class::cast)
                .findFirst()
                .orElseThrow();
    }

    @Test
    void accepts_a_message_event_with_every_field() {
        ObjectNode root = sample("MessagePayload");
        String ts = rig.ts();
        envelope(root, "Ev0SAMPLE01")
                .put("user", "U0ANA0001")
                .put("channel", SUPPORT)
                .put("channel_type", "channel")
                .put("ts", ts)
                .put("event_ts", ts)
                .put("text", "Where is my *parcel*?");

        assertThat(rig.deliver(root.toString()).status()).isEqualTo(200);

        MessageReceived in = onlyMessage();
        assertThat(in.message().text()).isEqualTo("Where is my *parcel*?");
        assertThat(in.message().externalId()).isEqualTo(SUPPORT + ":" + ts);
        assertThat(rig.sessions().get(0).threadId()).isEqualTo(SUPPORT + ":" + ts);
    }

    @Test
    void accepts_an_app_mention_with_every_field_and_takes_the_name_from_its_profile() {
        ObjectNode root = sample("AppMentionPayload");
        String ts = rig.ts();
        ObjectNode event = envelope(root, "Ev0SAMPLE02")
                .put("user", "U0BEN0002")
                .put("channel", SUPPORT)
                .put("ts", ts)
                .put("event_ts", ts)
                .put("text", "<@" + FakeSlack.BOT_USER + "> do you ship to Canada?");
        ((ObjectNode) event.get("user_profile")).put("display_name", "Ben").put("real_name", "Ben Okafor");

        assertThat(rig.deliver(root.toString()).status()).isEqualTo(200);

        assertThat(onlyMessage().message().text()).isEqualTo("do you ship to Canada?");
        assertThat(rig.cx
                        .store()
                        .findContact(SlackRig.identity("U0BEN0002"))
                        .orElseThrow()
                        .displayName())
                .isNotEmpty();
    }

    @Test
    void accepts_a_file_share_with_every_field_and_keeps_the_file_as_a_reference() {
        ObjectNode root = sample("MessageFileSharePayload");
        String ts = rig.ts();
        ObjectNode event = envelope(root, "Ev0SAMPLE03")
                .put("user", "U0ANA0001")
                .put("channel", SUPPORT)
                .put("channel_type", "channel")
                .put("ts", ts)
                .put("event_ts", ts)
                .put("text", "");
        ((ObjectNode) event.get("files").get(0))
                .put("name", "broken-lid.jpg")
                .put("mimetype", "image/jpeg")
                .put("url_private", "https://files.slack.com/files-pri/T0TEAM01-F0PHOTO01/broken-lid.jpg");

        assertThat(rig.deliver(root.toString()).status()).isEqualTo(200);

        MessageReceived in = onlyMessage();
        assertThat(in.message().text()).isEmpty();
        assertThat(in.message().attachments()).singleElement().satisfies(a -> {
            assertThat(a.url()).isEqualTo("https://files.slack.com/files-pri/T0TEAM01-F0PHOTO01/broken-lid.jpg");
            assertThat(a.contentType()).isEqualTo("image/jpeg");
            assertThat(a.name()).isEqualTo("broken-lid.jpg");
            assertThat(a.sizeBytes()).isEqualTo(123);
        });
    }

    @Test
    void an_edit_and_a_deletion_with_every_field_are_acknowledged_and_ignored() {
        for (String name : List.of("MessageChangedPayload", "MessageDeletedPayload")) {
            ObjectNode root = sample(name);
            String ts = rig.ts();
            envelope(root, "Ev0" + name.toUpperCase().substring(0, 9))
                    .put("channel", SUPPORT)
                    .put("channel_type", "channel")
                    .put("ts", ts)
                    .put("event_ts", ts);

            assertThat(rig.deliver(root.toString()).status()).as(name).isEqualTo(200);
        }
        rig.cx.awaitIdle(WAIT);

        assertThat(rig.sessions()).isEmpty();
        assertThat(rig.slack.posts()).isEmpty();
    }
}
