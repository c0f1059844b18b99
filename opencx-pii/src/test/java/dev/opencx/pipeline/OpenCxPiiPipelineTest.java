package dev.opencx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Message;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.PiiRedacted;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.PiiVault;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.EventCodec;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.VaultEntry;
import dev.opencx.store.jdbc.JdbcConversationStore;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PII redaction in the real pipeline: what the store, the model, the helpdesk and the customer see. */
class OpenCxPiiPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Identity ANA = Identity.email("ana.lima@example.com");
    private static final String EMAIL = "ana.lima@example.com";
    private static final String PHONE = "+44 20 7946 0958";
    private static final String CARD = "4111 1111 1111 1111";

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingChannel api = new RecordingChannel(ChannelId.API);
    private final RecordingChannel web = new RecordingChannel(ChannelId.WEB);
    private final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    private final List<ResponderRequest> seenByModel = new CopyOnWriteArrayList<>();
    private final byte[] key = PiiVault.newKey();

    @TempDir
    Path dir;

    /** Records what it was given; "human…" hands off, anything else is echoed back. */
    private final Responder recording = req -> {
        seenByModel.add(req);
        if (req.message().text().startsWith("human")) {
            return Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "asked for a person", Map.of());
        }
        return Reply.answer("noted: " + req.message().text(), 0.9, List.of(), "echo", Map.of());
    };

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private OpenCx.Builder base(ConversationStore store) {
        return OpenCx.builder()
                .store(store)
                .channel(api)
                .helpdesk(helpdesk)
                .responder(recording)
                .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults())
                .piiVault(PiiVault.aesGcm(key))
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50));
    }

    private OpenCx build(OpenCx.Builder b) {
        OpenCx cx = b.build();
        toClose.add(cx);
        return cx;
    }

    private static InboundMessage msg(String text) {
        return InboundMessage.builder(ChannelId.API).from(ANA).text(text).build();
    }

    private static void assertNoRawPii(String s) {
        assertThat(s).doesNotContain(EMAIL, PHONE, CARD, "4111111111111111", "Ana Lima");
    }

    private static InboundMessage withId(String text, String externalId) {
        return InboundMessage.builder(ChannelId.API)
                .from(ANA)
                .text(text)
                .externalId(externalId)
                .build();
    }

    @Test
    void a_resend_of_a_message_with_pii_gets_the_original_ids_and_a_changed_text_is_refused() {
        InMemoryConversationStore store = new InMemoryConversationStore();
        OpenCx cx = build(base(store));
        String text = "Mail me at " + EMAIL + " or call " + PHONE;
        ReceiveReceipt first = cx.receive(withId(text, "m-1")).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        int logged = cx.events(first.sessionId()).size();
        List<VaultEntry> vault = store.vaultEntries(first.sessionId());

        ReceiveReceipt again = cx.receive(withId(text, "m-1")).join();

        assertThat(again)
                .isEqualTo(new ReceiveReceipt(first.sessionId(), first.ticket(), first.messageId(), first.seq(), true));
        assertThatThrownBy(() -> cx.receive(withId("Mail me at " + EMAIL + " tomorrow", "m-1"))
                        .join())
                .hasCauseInstanceOf(MessageIdConflictException.class)
                .satisfies(e -> assertNoRawPii(e.getCause().getMessage()));
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(cx.events(first.sessionId())).as("nothing was stored").hasSize(logged);
        assertThat(store.vaultEntries(first.sessionId()))
                .as("no placeholder was taken for a message that is not kept")
                .isEqualTo(vault);
    }

    @Test
    void without_a_vault_a_resend_with_pii_is_still_recognized_although_its_values_get_new_numbers() {
        // one-way redaction: a value seen before is unknown to the session, so redacting the resend
        // with the session's placeholders would read [EMAIL_2]; the comparison ignores the numbers
        OpenCx cx = build(OpenCx.builder()
                .store(new InMemoryConversationStore())
                .channel(api)
                .helpdesk(helpdesk)
                .responder(recording)
                .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults()));
        String text = "Mail me at " + EMAIL + " or call " + PHONE;
        ReceiveReceipt first = cx.receive(withId(text, "m-1")).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(cx.receive(withId(text, "m-1")).join())
                .isEqualTo(new ReceiveReceipt(first.sessionId(), first.ticket(), first.messageId(), first.seq(), true));
        assertThatThrownBy(() -> cx.receive(withId("Mail me at " + PHONE + " or call " + EMAIL, "m-1"))
                        .join())
                .as("the same words with the PII in other places")
                .hasCauseInstanceOf(MessageIdConflictException.class);
    }

    @Test
    void the_stored_event_and_the_responder_request_hold_placeholders_never_the_values() {
        OpenCx cx = build(base(new InMemoryConversationStore()));

        String sessionId = cx.receive(msg("Hi, my name is Ana Lima. Mail me at " + EMAIL + " or call " + PHONE
                        + ". My card " + CARD + " was charged twice."))
                .join()
                .sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        List<SessionEvent> log = cx.events(sessionId);
        MessageReceived stored = (MessageReceived) log.get(1).payload();
        assertThat(stored.message().text())
                .isEqualTo(
                        "Hi, my name is [PERSON_1]. Mail me at [EMAIL_1] or call [PHONE_1]. My card [CARD_1] was charged twice.");
        for (SessionEvent e : log) {
            assertNoRawPii(EventCodec.toJson(e.payload()));
        }
        PiiRedacted why = (PiiRedacted) log.get(2).payload();
        assertThat(why.messageId()).isEqualTo(stored.message().id());
        assertThat(why.counts())
                .containsExactlyInAnyOrderEntriesOf(Map.of("PERSON", 1, "EMAIL", 1, "PHONE", 1, "CARD", 1));
        assertThat(why.reversible()).isTrue();

        ResponderRequest req = seenByModel.get(0);
        assertThat(req.message().text()).isEqualTo(stored.message().text());
        assertThat(req.contact().identities())
                .as("the model does not get the e-mail identity")
                .isEmpty();
        assertThat(req.contact().displayName()).isEmpty();
        // the vault in the store holds sealed values only
        assertThat(cx.store().vaultEntries(sessionId))
                .extracting(VaultEntry::placeholder)
                .containsExactly("[PERSON_1]", "[EMAIL_1]", "[PHONE_1]", "[CARD_1]");
        for (VaultEntry v : cx.store().vaultEntries(sessionId)) {
            assertNoRawPii(v.sealedValue());
        }
    }

    @Test
    void the_same_value_gets_the_same_placeholder_across_messages_of_a_session() {
        OpenCx cx = build(base(new InMemoryConversationStore()));

        String sessionId = cx.receive(msg("my email is " + EMAIL)).join().sessionId();
        cx.receive(msg("again: " + EMAIL.toUpperCase() + ", and my work one is bo@corp.example"))
                .join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(seenByModel)
                .extracting(r -> r.message().text())
                .containsExactly("my email is [EMAIL_1]", "again: [EMAIL_1], and my work one is [EMAIL_2]");
        assertThat(seenByModel.get(1).history()).extracting(Message::text).contains("my email is [EMAIL_1]");
    }

    @Test
    void the_helpdesk_gets_real_values_where_the_policy_allows_and_placeholders_otherwise() {
        OpenCx cx = build(base(new InMemoryConversationStore()));

        String sessionId = cx.receive(msg("human please. I'm Ana Lima, " + EMAIL + ", card " + CARD))
                .join()
                .sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        HandoffTicket ticket = helpdesk.tickets().values().iterator().next();
        String transcript = ticket.transcript().get(0).text();
        assertThat(transcript).contains(EMAIL, "Ana Lima").contains("[CARD_1]").doesNotContain(CARD);
        assertThat(ticket.summary()).contains(EMAIL).doesNotContain(CARD);
        // the log keeps placeholders; the agent view and actions follow the policy
        String stored = ((MessageReceived) cx.events(sessionId).get(1).payload())
                .message()
                .text();
        assertNoRawPii(stored);
        assertThat(cx.reveal(sessionId, stored, PiiDestination.AGENT_VIEW))
                .contains(EMAIL)
                .contains("[CARD_1]");
        assertThat(cx.reveal(sessionId, stored, PiiDestination.MODEL)).isEqualTo(stored);
        assertThat(cx.reveal(sessionId, stored, PiiDestination.LOG)).isEqualTo(stored);

        // a later message goes to the ticket with the values the helpdesk may see
        cx.receive(msg("my phone is " + PHONE)).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(helpdesk.appended()).extracting(Message::text).containsExactly("my phone is " + PHONE);
    }

    @Test
    void an_agent_reply_quoting_the_customer_is_stored_with_placeholders_and_delivered_with_values() {
        OpenCx cx = build(base(new InMemoryConversationStore()));
        String sessionId =
                cx.receive(msg("human please, I'm at " + EMAIL)).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        var ticket = cx.session(sessionId).orElseThrow().ticket();

        helpdesk.agent().agentReplied(ticket, "maria", "I sent the label to " + EMAIL, "ext-1");
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(api.texts()).contains("I sent the label to " + EMAIL);
        for (SessionEvent e : cx.events(sessionId)) {
            assertNoRawPii(EventCodec.toJson(e.payload()));
        }
        for (var entry : cx.store().outbox(sessionId)) {
            assertNoRawPii(entry.item().payload());
        }
    }

    @Test
    void an_internal_note_is_stored_with_placeholders_and_agents_see_what_the_policy_reveals() {
        OpenCx cx = build(base(new InMemoryConversationStore()));
        String sessionId =
                cx.receive(msg("human please, I'm at " + EMAIL)).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        var ticket = cx.session(sessionId).orElseThrow().ticket();

        SessionEvent note = helpdesk.agent().noteAdded(ticket, "maria", "refund to card " + CARD + ", mail " + EMAIL);

        assertThat(note.payload()).isInstanceOf(dev.opencx.event.NoteAdded.class);
        String stored = ((dev.opencx.event.NoteAdded) note.payload()).text();
        assertThat(stored).matches("refund to card \\[CARD_\\d+], mail \\[EMAIL_1]");
        for (SessionEvent e : cx.events(sessionId)) {
            assertNoRawPii(EventCodec.toJson(e.payload()));
        }
        assertThat(cx.reveal(sessionId, stored, PiiDestination.AGENT_VIEW))
                .as("the e-mail is revealed to agents, the card never (PiiPolicy.defaults())")
                .matches("refund to card \\[CARD_\\d+], mail " + EMAIL.replace(".", "\\."));
        assertThat(api.texts()).as("never sent to the customer").noneMatch(t -> t.contains("refund to card"));
        assertThatThrownBy(() -> helpdesk.agent().noteAdded(ticket, "maria", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void a_strict_policy_keeps_placeholders_in_the_helpdesk_and_the_customer_gets_their_values_back() {
        PiiPolicy strict =
                PiiPolicy.builder().revealByDefault(PiiDestination.CUSTOMER).build();
        OpenCx cx = build(base(new InMemoryConversationStore()).pii(BuiltInPiiDetectors.all(), strict));

        cx.receive(msg("write to " + EMAIL)).join();
        cx.receive(msg("human now, " + EMAIL)).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(api.texts().get(0)).isEqualTo("noted: write to " + EMAIL);
        HandoffTicket ticket = helpdesk.tickets().values().iterator().next();
        assertThat(ticket.transcript())
                .extracting(Message::text)
                .allSatisfy(t -> assertThat(t).doesNotContain(EMAIL))
                .contains("write to [EMAIL_1]", "noted: write to [EMAIL_1]");
    }

    @Test
    void the_pii_policy_and_prohibited_topics_can_differ_per_channel() {
        OpenCx cx = build(base(new InMemoryConversationStore()).channel(web).piiPolicy(ChannelId.WEB, PiiPolicy.off()));

        cx.receive(msg("mail " + EMAIL)).join();
        web.receive(ANA, "mail " + EMAIL).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(seenByModel)
                .extracting(r -> r.message().text())
                .containsExactlyInAnyOrder("mail [EMAIL_1]", "mail " + EMAIL);
        assertThat(cx.piiPolicy(ChannelId.WEB).isEnabled()).isFalse();
        assertThat(cx.piiPolicy(ChannelId.API).redacts(PiiType.EMAIL)).isTrue();
    }

    @Test
    void the_vault_survives_a_restart_on_a_durable_store_and_only_opens_with_the_key() {
        Path data = dir.resolve("data");
        String sessionId;
        String stored;
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            OpenCx cx = base(store).build();
            sessionId = cx.receive(msg("call me on " + PHONE)).join().sessionId();
            assertThat(cx.awaitIdle(WAIT)).isTrue();
            stored = ((MessageReceived) cx.events(sessionId).get(1).payload())
                    .message()
                    .text();
            cx.close();
        }
        assertThat(stored).isEqualTo("call me on [PHONE_1]");
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(data)) {
            OpenCx again = base(store).build();
            assertThat(again.reveal(sessionId, stored, PiiDestination.ACTION)).isEqualTo("call me on " + PHONE);
            again.receive(msg("yes " + PHONE + " is right")).join();
            assertThat(again.awaitIdle(WAIT)).isTrue();
            assertThat(seenByModel).extracting(r -> r.message().text()).contains("yes [PHONE_1] is right");
            again.close();

            OpenCx otherKey = OpenCx.builder()
                    .store(store)
                    .channel(new RecordingChannel(ChannelId.API))
                    .responder(recording)
                    .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults())
                    .piiVault(PiiVault.aesGcm(PiiVault.newKey()))
                    .build();
            assertThat(otherKey.reveal(sessionId, stored, PiiDestination.ACTION))
                    .isEqualTo(stored);
            otherKey.close();
        }
    }

    @Test
    void without_a_vault_redaction_is_one_way() {
        OpenCx cx = build(OpenCx.builder()
                .channel(api)
                .helpdesk(helpdesk)
                .responder(recording)
                .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults()));

        String sessionId = cx.receive(msg("human: " + EMAIL)).join().sessionId();
        cx.receive(msg("other: bo@corp.example")).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(helpdesk.tickets()
                        .values()
                        .iterator()
                        .next()
                        .transcript()
                        .get(0)
                        .text())
                .isEqualTo("human: [EMAIL_1]");
        assertThat(helpdesk.appended()).extracting(Message::text).containsExactly("other: [EMAIL_2]");
        assertThat(cx.store().vaultEntries(sessionId))
                .extracting(VaultEntry::sealedValue)
                .containsOnly("");
        PiiRedacted why = cx.events(sessionId).stream()
                .map(SessionEvent::payload)
                .filter(PiiRedacted.class::isInstance)
                .map(PiiRedacted.class::cast)
                .findFirst()
                .orElseThrow();
        assertThat(why.reversible()).isFalse();
    }

    @Test
    void misconfiguration_fails_at_build_with_the_setting_named() {
        assertThatThrownBy(() -> OpenCx.builder()
                        .channel(api)
                        .responder(recording)
                        .piiVault(PiiVault.aesGcm(key))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pii(detector, policy)");
        assertThatThrownBy(() -> OpenCx.builder()
                        .channel(api)
                        .responder(recording)
                        .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults())
                        .piiPolicy(ChannelId.SMS, PiiPolicy.off())
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'sms'");
        assertThatThrownBy(() -> OpenCx.builder().prohibitedTopics(ChannelId.WEB, List.of(" ")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("web");
    }
}
