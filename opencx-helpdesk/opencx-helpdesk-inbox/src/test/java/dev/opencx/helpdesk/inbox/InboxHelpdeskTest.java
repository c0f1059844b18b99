package dev.opencx.helpdesk.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.NoteAdded;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.responder.Reply;
import dev.opencx.store.InMemoryConversationStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InboxHelpdeskTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private final InMemoryConversationStore store = new InMemoryConversationStore();
    private final List<OutboundMessage> toCustomer = new CopyOnWriteArrayList<>();
    private ApiChannel api;
    private InboxHelpdesk inbox;
    private OpenCx cx;

    @BeforeEach
    void start() {
        api = ApiChannel.create().onReply(toCustomer::add);
        inbox = InboxHelpdesk.builder().store(store).build();
        cx = OpenCx.builder()
                .store(store)
                .channel(api)
                .helpdesk(inbox)
                .responder(req -> Reply.answer("The return window is 30 days.", 0.9, List.of(), "test", Map.of()))
                .build();
    }

    @AfterEach
    void stop() {
        cx.close();
        store.close();
    }

    @Test
    void a_handed_off_session_queues_in_the_inbox_and_the_agent_reply_reaches_the_customer() {
        Identity ana = Identity.email("ana@example.com");
        api.receive(ana, "How long can I return things?").join();
        cx.awaitIdle(WAIT);
        ReceiveReceipt r =
                api.receive(ana, "ok but I want to talk to a real person").join();
        cx.awaitIdle(WAIT);

        assertThat(inbox.queue()).singleElement().satisfies(t -> {
            assertThat(t.ticket()).isEqualTo(r.ticket());
            assertThat(t.reason()).isEqualTo(HandoffReason.EXPLICIT_REQUEST);
            assertThat(t.transcript())
                    .extracting(m -> m.author())
                    .containsExactly(Author.CUSTOMER, Author.AI, Author.CUSTOMER);
            assertThat(t.summary()).contains("2 customer messages").contains("explicit request");
        });

        inbox.claim(r.ticket(), "maria");
        assertThat(inbox.queue()).isEmpty();
        inbox.note(r.ticket(), "maria", "VIP customer");
        inbox.reply(r.ticket(), "maria", "Hi Ana, Maria here. How can I help?");
        cx.awaitIdle(WAIT);

        assertThat(toCustomer)
                .extracting(OutboundMessage::kind)
                .containsExactly(
                        OutboundMessage.Kind.AI_REPLY,
                        OutboundMessage.Kind.HANDOFF_NOTICE,
                        OutboundMessage.Kind.AGENT_REPLY);
        assertThat(toCustomer.get(2).text()).isEqualTo("Hi Ana, Maria here. How can I help?");
        assertThat(cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.AGENT_ACTIVE);

        // the customer answers: it goes to the inbox, not to the AI
        api.receive(ana, "my order is NW-123456").join();
        cx.awaitIdle(WAIT);
        assertThat(toCustomer).hasSize(3);
        assertThat(inbox.ticket(r.ticket()).orElseThrow().transcript()).last().satisfies(m -> assertThat(m.text())
                .isEqualTo("my order is NW-123456"));

        inbox.resolve(r.ticket(), "maria");
        assertThat(cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.RESOLVED);
        assertThat(inbox.ticket(r.ticket()).orElseThrow().status()).isEqualTo(InboxTicket.Status.RESOLVED);
        assertThat(inbox.ticket(r.ticket()).orElseThrow().notes())
                .extracting(InboxTicket.Note::text)
                .containsExactly("VIP customer");
    }

    @Test
    void the_queue_is_rebuilt_from_the_store_after_a_restart() {
        ReceiveReceipt r = api.receive(Identity.custom("u-7"), "connect me to customer service")
                .join();
        cx.awaitIdle(WAIT);
        InboxHelpdesk again = restart();
        assertThat(again.queue()).extracting(InboxTicket::ticket).containsExactly(r.ticket());
        assertThat(again.queue().get(0).reason()).isEqualTo(HandoffReason.EXPLICIT_REQUEST);
    }

    @Test
    void internal_notes_are_kept_in_the_session_log_survive_a_restart_and_never_reach_the_customer() {
        Identity ana = Identity.email("ana@example.com");
        ReceiveReceipt r = api.receive(ana, "I want to talk to a person").join();
        cx.awaitIdle(WAIT);
        inbox.claim(r.ticket(), "maria");
        inbox.note(r.ticket(), "maria", "Refund approved by finance");
        InboxTicket.Note written =
                inbox.ticket(r.ticket()).orElseThrow().notes().get(0);

        assertThat(cx.events(r.sessionId()))
                .extracting(e -> e.payload())
                .filteredOn(p -> p instanceof NoteAdded)
                .containsExactly(new NoteAdded("maria", "Refund approved by finance"));
        assertThat(toCustomer).extracting(OutboundMessage::kind).containsExactly(OutboundMessage.Kind.HANDOFF_NOTICE);
        assertThat(inbox.ticket(r.ticket()).orElseThrow().transcript())
                .extracting(m -> m.text())
                .containsExactly("I want to talk to a person");

        InboxHelpdesk again = restart();
        assertThat(again.ticket(r.ticket()).orElseThrow().notes()).containsExactly(written);
        again.note(r.ticket(), "maria", "Customer confirmed by phone");
        assertThat(again.ticket(r.ticket()).orElseThrow().notes())
                .extracting(InboxTicket.Note::text)
                .containsExactly("Refund approved by finance", "Customer confirmed by phone");
        assertThatThrownBy(() -> again.note(r.ticket(), "maria", " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
    }

    @Test
    void agents_cannot_take_each_others_tickets_and_bad_input_is_refused() {
        ReceiveReceipt r = api.receive(Identity.custom("u-8"), "human please").join();
        cx.awaitIdle(WAIT);
        inbox.claim(r.ticket(), "maria");
        assertThatThrownBy(() -> inbox.claim(r.ticket(), "john"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maria");
        assertThatThrownBy(() -> inbox.reply(r.ticket(), "john", "hi")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> inbox.reply(r.ticket(), "maria", " ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> inbox.claim(new dev.opencx.conversation.TicketNumber(99999), "maria"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#99999");
    }

    @Test
    void an_agent_takes_over_an_ai_session_and_the_take_over_survives_a_restart() {
        Identity bo = Identity.email("bo@example.com");
        ReceiveReceipt r = api.receive(bo, "How long can I return things?").join();
        cx.awaitIdle(WAIT);
        assertThat(inbox.ticket(r.ticket())).isEmpty();

        InboxTicket t = inbox.takeOver(r.sessionId(), "maria");
        assertThat(t.status()).isEqualTo(InboxTicket.Status.CLAIMED);
        assertThat(t.reason()).isEqualTo(HandoffReason.CUSTOM);
        assertThat(t.detail()).isEqualTo("taken over from the AI by maria in inspect mode");
        assertThat(cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.AGENT_ACTIVE);
        assertThatThrownBy(() -> inbox.takeOver(r.sessionId(), "john"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("maria");

        api.receive(bo, "and for shoes?").join();
        cx.awaitIdle(WAIT);
        assertThat(toCustomer).hasSize(1); // the AI answered the first message only
        assertThat(inbox.ticket(r.ticket()).orElseThrow().transcript()).last().satisfies(m -> assertThat(m.text())
                .isEqualTo("and for shoes?"));

        InboxHelpdesk again = restart();
        assertThat(again.ticket(r.ticket())).hasValueSatisfying(x -> {
            assertThat(x.status()).isEqualTo(InboxTicket.Status.CLAIMED);
            assertThat(x.assignee()).isEqualTo("maria");
            assertThat(x.reason()).isEqualTo(HandoffReason.CUSTOM);
        });
        again.resolve(r.ticket(), "maria");
        assertThatThrownBy(() -> again.takeOver(r.sessionId(), "maria"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("RESOLVED");
        assertThatThrownBy(() -> again.takeOver("no-such-session", "maria"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no-such-session");
    }

    /** Closes the client and starts a new one with a new inbox on the same store. */
    private InboxHelpdesk restart() {
        cx.close();
        InboxHelpdesk again = InboxHelpdesk.builder().store(store).build();
        cx = OpenCx.builder()
                .store(store)
                .channel(ApiChannel.create())
                .helpdesk(again)
                .responder(req -> Reply.answer("x", 0.9, List.of(), "", Map.of()))
                .build();
        return again;
    }
}
