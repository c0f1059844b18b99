package dev.opencx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.SessionMessageLimitException;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.event.MessageReceived;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.jdbc.JdbcConversationStore;
import dev.opencx.test.RecordingChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-session cap on customer messages: refused clearly, nothing stored, counted from the log. */
class SessionMessageCapTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Identity ANA = Identity.email("ana@example.com");

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Responder echo = req -> Reply.answer("ok", 0.9, List.of(), "echo", Map.of());

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private OpenCx client(ConversationStore store, RecordingChannel channel, int cap) {
        OpenCx cx = OpenCx.builder()
                .store(store)
                .channel(channel)
                .responder(echo)
                .maxMessagesPerSession(cap)
                .build();
        toClose.add(cx);
        return cx;
    }

    private static long customerMessages(OpenCx cx, String session) {
        return cx.events(session).stream()
                .filter(e -> e.payload() instanceof MessageReceived)
                .count();
    }

    private static SessionMessageLimitException refusal(RecordingChannel channel, InboundMessage m) {
        try {
            channel.receive(m).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof SessionMessageLimitException full) {
                return full;
            }
            throw e;
        }
        throw new AssertionError("the message was accepted");
    }

    private static InboundMessage msg(String text, String externalId) {
        return InboundMessage.builder(ChannelId.API)
                .from(ANA)
                .text(text)
                .externalId(externalId)
                .build();
    }

    @Test
    void the_message_after_the_cap_is_refused_with_a_clear_error_and_nothing_of_it_is_stored() {
        RecordingChannel api = new RecordingChannel(ChannelId.API);
        OpenCx cx = client(new InMemoryConversationStore(), api, 3);
        String session = null;
        for (int i = 1; i <= 3; i++) {
            session = api.receive(msg("question " + i, "m" + i)).join().sessionId();
            assertThat(cx.awaitIdle(WAIT)).isTrue();
        }
        long events = cx.events(session).size();

        SessionMessageLimitException full = refusal(api, msg("question 4", "m4"));
        assertThat(full).isInstanceOf(IllegalArgumentException.class);
        assertThat(full.sessionId()).isEqualTo(session);
        assertThat(full.limit()).isEqualTo(3);
        assertThat(full.ticket()).isEqualTo(cx.session(session).orElseThrow().ticket());
        assertThat(full.getMessage()).contains("3 customer messages", "maxMessagesPerSession", "not stored");
        assertThat(cx.events(session)).hasSize((int) events);
        assertThat(customerMessages(cx, session)).isEqualTo(3);
        assertThat(cx.store().isDuplicate(ChannelId.API, "m4")).isFalse();

        // a redelivery of a message already stored is still a duplicate, not a refusal
        ReceiveReceipt again = api.receive(msg("question 2", "m2")).join();
        assertThat(again.duplicate()).isTrue();
    }

    @Test
    void once_the_full_session_is_resolved_the_next_message_opens_a_new_one() {
        RecordingChannel api = new RecordingChannel(ChannelId.API);
        OpenCx cx = client(new InMemoryConversationStore(), api, 2);
        String first = api.receive(ANA, "one").join().sessionId();
        api.receive(ANA, "two").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        refusal(api, msg("three", ""));

        cx.resolve(first, "agent-1");
        ReceiveReceipt next = api.receive(ANA, "three").join();
        assertThat(next.sessionId()).isNotEqualTo(first);
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(customerMessages(cx, next.sessionId())).isEqualTo(1);
    }

    @Test
    void the_count_comes_from_the_log_so_another_client_on_the_same_store_and_a_restart_keep_it() {
        try (JdbcConversationStore store = JdbcConversationStore.h2(dir.resolve("h2"))) {
            RecordingChannel a = new RecordingChannel(ChannelId.API);
            RecordingChannel b = new RecordingChannel(ChannelId.API);
            OpenCx first = client(store, a, 30);
            OpenCx second = client(store, b, 30);
            String session = null;
            for (int i = 1; i <= 30; i++) {
                RecordingChannel via = i % 2 == 0 ? a : b;
                session = via.receive(ANA, "message " + i).join().sessionId();
                assertThat((i % 2 == 0 ? first : second).awaitIdle(WAIT)).isTrue();
            }
            assertThat(customerMessages(first, session)).isEqualTo(30);
            assertThat(refusal(a, msg("31", "")).limit()).isEqualTo(30);
            assertThat(refusal(b, msg("31", "")).limit()).isEqualTo(30);
            first.close();
            second.close();

            RecordingChannel c = new RecordingChannel(ChannelId.API);
            client(store, c, 30);
            assertThat(refusal(c, msg("after a restart", "")).sessionId()).isEqualTo(session);
            assertThat(customerMessages(first, session)).isEqualTo(30);
        }
    }

    @Test
    void build_refuses_a_cap_below_one_and_names_the_setting() {
        assertThatThrownBy(() -> OpenCx.builder()
                        .channel(new RecordingChannel(ChannelId.API))
                        .responder(echo)
                        .maxMessagesPerSession(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxMessagesPerSession")
                .hasMessageContaining("was 0");
    }
}
