package dev.opencx.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCx;
import dev.opencx.OpenCxException;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Session;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.EventPayload;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.UnknownEvent;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.outbox.OutboxStatus;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.spi.ModuleContext;
import dev.opencx.spi.OpenCxModule;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.NewSession;
import dev.opencx.store.jdbc.JdbcConversationStore;
import dev.opencx.test.RecordingChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A module written outside core ({@link OrdersModule}: two event types and an outbox kind) plugged
 * into OpenCX over the embedded SQLite store.
 */
class OrdersModuleTest {
    private static final Identity ANA = Identity.email("ana@example.com");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final RecordingChannel api = new RecordingChannel(ChannelId.API);
    private final FakeOrders orders = new FakeOrders();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final Responder responder =
            req -> Reply.answer("answer: " + req.message().text(), 0.9, List.of(), "scripted", Map.of());

    /** Counts calls per idempotency key; fails the first {@code failures} calls with a retriable error. */
    static final class FakeOrders implements OrderService {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final Map<String, String> done = new ConcurrentHashMap<>();
        volatile int failures;

        @Override
        public String recheck(String orderId, String idempotencyKey) {
            calls.computeIfAbsent(idempotencyKey, k -> new AtomicInteger()).incrementAndGet();
            if (failures > 0) {
                failures--;
                throw OpenCxException.retriable("order system unavailable", null);
            }
            return done.merge(idempotencyKey, "ok", (a, b) -> "ok (again)");
        }

        int calls(String key) {
            AtomicInteger n = calls.get(key);
            return n == null ? 0 : n.get();
        }
    }

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private ConversationStore sqlite() {
        ConversationStore s = JdbcConversationStore.sqlite(dir);
        toClose.add(s);
        return s;
    }

    private ConversationStore sqlite2() {
        ConversationStore s = JdbcConversationStore.sqlite(dir.resolve("second"));
        toClose.add(s);
        return s;
    }

    private OpenCx build(ConversationStore store, OpenCxModule... modules) {
        OpenCx cx = OpenCx.builder()
                .store(store)
                .channel(api)
                .responder(responder)
                .modules(modules)
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50))
                .build();
        toClose.add(cx);
        return cx;
    }

    private static Session openSession(OpenCx cx) {
        Contact c = cx.contact(ChannelId.API, ANA, "Ana");
        return cx.openSession(new NewSession(c.id(), ChannelId.API, "", "en"), "Ana");
    }

    private static List<EventPayload> payloads(OpenCx cx, String sessionId) {
        return cx.events(sessionId).stream().map(SessionEvent::payload).toList();
    }

    private static OutboxEntry recheckEntry(OpenCx cx, String sessionId) {
        return cx.store().outbox(sessionId).stream()
                .filter(o -> o.item().kind().equals(OrdersModule.RECHECK))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void module_events_and_work_survive_a_restart_are_retried_after_a_failure_and_run_once() throws Exception {
        orders.failures = 1;
        ConversationStore store = sqlite();
        OpenCx cx = build(store, new OrdersModule(orders));
        Session s = openSession(cx);

        OrdersModule.flag(cx, s.id(), "A-17", "chargeback");

        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(orders.calls("recheck-A-17"))
                .as("one failure, then one success")
                .isEqualTo(2);
        assertThat(payloads(cx, s.id()))
                .containsSubsequence(new OrderFlagged("A-17", "chargeback"), new OrderRechecked("A-17", "ok"))
                .noneMatch(p -> p instanceof DeliveryFailed);
        OutboxEntry entry = recheckEntry(cx, s.id());
        assertThat(entry.status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(entry.attempts()).isEqualTo(2);
        assertThat(entry.lastError()).contains("order system unavailable");

        // restart on the same SQLite file, with the module
        cx.close();
        store.close();
        OpenCx again = build(sqlite(), new OrdersModule(orders));
        assertThat(again.awaitIdle(WAIT)).isTrue();
        assertThat(payloads(again, s.id()))
                .containsSubsequence(new OrderFlagged("A-17", "chargeback"), new OrderRechecked("A-17", "ok"));
        assertThat(orders.calls("recheck-A-17"))
                .as("delivered work is not run again")
                .isEqualTo(2);
        assertThat(orders.done).containsEntry("recheck-A-17", "ok");
    }

    @Test
    void a_client_without_the_module_still_opens_the_store_reads_the_session_and_serves_the_customer()
            throws Exception {
        ConversationStore store = sqlite();
        OpenCx cx = build(store, new OrdersModule(orders));
        Session s = openSession(cx);
        OrdersModule.flag(cx, s.id(), "A-17", "chargeback");
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        cx.close();
        store.close();

        OpenCx plain = build(sqlite()); // no module
        List<EventPayload> events = payloads(plain, s.id());
        assertThat(events)
                .filteredOn(UnknownEvent.class::isInstance)
                .extracting(p -> ((UnknownEvent) p).type())
                .containsExactly("acme.order_flagged", "acme.order_rechecked");
        UnknownEvent flagged = (UnknownEvent) events.stream()
                .filter(UnknownEvent.class::isInstance)
                .findFirst()
                .orElseThrow();
        assertThat(flagged.fields().path("orderId").asText()).isEqualTo("A-17");
        assertThat(flagged.fields().path("reason").asText()).isEqualTo("chargeback");

        api.receive(ANA, "where is my order?").join();
        assertThat(plain.awaitIdle(WAIT)).isTrue();
        assertThat(api.texts()).containsExactly("answer: where is my order?");
        assertThat(plain.session(s.id())).isPresent();
    }

    @Test
    void work_no_module_here_handles_stays_pending_until_a_client_with_the_module_does_it() throws Exception {
        OpenCxModule eventsOnly = new OpenCxModule() {
            @Override
            public String name() {
                return "acme-orders";
            }

            @Override
            public void setUp(ModuleContext ctx) {
                ctx.registerEventType("acme.order_flagged", OrderFlagged.class);
                ctx.registerEventType("acme.order_rechecked", OrderRechecked.class);
            }
        };
        ConversationStore store = sqlite();
        OpenCx cx = build(store, eventsOnly);
        Session s = openSession(cx);
        OrdersModule.flag(cx, s.id(), "A-17", "chargeback");

        assertThat(cx.awaitIdle(WAIT)).isTrue();
        Thread.sleep(300); // several polls and backoff periods later
        OutboxEntry parked = recheckEntry(cx, s.id());
        assertThat(parked.status()).isEqualTo(OutboxStatus.PENDING);
        assertThat(parked.attempts()).isZero();
        assertThat(parked.lastError()).contains("acme.recheck_order");
        assertThat(payloads(cx, s.id())).noneMatch(p -> p instanceof DeliveryFailed);
        assertThat(orders.calls("recheck-A-17")).isZero();
        cx.close();
        store.close();

        OpenCx full = build(sqlite(), new OrdersModule(orders));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (recheckEntry(full, s.id()).status() != OutboxStatus.DELIVERED && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(recheckEntry(full, s.id()).status()).isEqualTo(OutboxStatus.DELIVERED);
        assertThat(orders.calls("recheck-A-17")).isEqualTo(1);
        assertThat(payloads(full, s.id())).contains(new OrderRechecked("A-17", "ok"));
    }

    @Test
    void a_module_brings_its_own_customer_facing_texts_in_the_customers_language_and_users_can_override_them() {
        OpenCx cx = build(sqlite(), new OrdersModule(orders));
        assertThat(cx.sessionAccess().notice("acme.order_flagged", "de-AT", Map.of("order", "A-17")))
                .isEqualTo(
                        "Wir haben die Bestellung A-17 zur genaueren Prüfung markiert; wir melden uns hier bei Ihnen.");
        assertThat(cx.sessionAccess().notice("acme.order_flagged", "fr", Map.of("order", "A-17")))
                .as("no French text: English")
                .startsWith("We have flagged order A-17");
        assertThat(cx.sessionAccess().notice("handoff", "es", Map.of("ticket", "#1001")))
                .as("core's texts through the same door")
                .contains("#1001");

        OpenCx overridden = OpenCx.builder()
                .store(sqlite2())
                .channel(api)
                .responder(responder)
                .module(new OrdersModule(orders))
                .notice("acme.order_flagged", "de", "Bestellung {order} wird geprüft.")
                .build();
        toClose.add(overridden);
        assertThat(overridden.sessionAccess().notice("acme.order_flagged", "de", Map.of("order", "A-17")))
                .isEqualTo("Bestellung A-17 wird geprüft.");
    }

    @Test
    void a_module_event_of_a_type_no_module_registered_is_refused() {
        OpenCx cx = build(sqlite());
        Session s = openSession(cx);
        assertThatThrownBy(() -> OrdersModule.flag(cx, s.id(), "A-17", "chargeback"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(OrderFlagged.class.getName());
        assertThat(cx.store().outbox(s.id())).isEmpty();
    }

    @Test
    void the_builder_refuses_a_second_module_with_the_same_name() {
        OpenCx.Builder b = OpenCx.builder().module(new OrdersModule(orders));
        assertThatThrownBy(() -> b.module(new OrdersModule(orders)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'acme-orders'");
    }

    @Test
    void a_module_cannot_take_a_core_event_name_nor_handle_a_core_kind() {
        OpenCxModule coreName = module("thief", ctx -> ctx.registerEventType("reply_sent", OrderFlagged.class));
        assertThatThrownBy(() -> build(sqlite(), coreName))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("module 'thief'")
                .hasMessageContaining("'reply_sent'");
        OpenCxModule coreKind =
                module("sender", ctx -> ctx.registerOutboxHandler(OutboxKind.CHANNEL_SEND, (e, a) -> {}));
        assertThatThrownBy(() -> build(sqlite(), coreKind))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("module 'sender'")
                .hasMessageContaining("CHANNEL_SEND");
        OpenCxModule twice = module("twice", ctx -> {
            ctx.registerEventType("acme.order_flagged", OrderFlagged.class);
            ctx.registerEventType("acme.order_flagged", OrderRechecked.class);
        });
        assertThatThrownBy(() -> build(sqlite(), twice))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'acme.order_flagged' is already registered");
    }

    @Test
    void an_agent_reply_goes_to_the_identity_type_the_channel_answers_on() throws Exception {
        RecordingChannel sms = new RecordingChannel(ChannelId.of("pager")) { // a name core knows nothing about
                    @Override
                    public List<IdentityType> answersOn() {
                        return List.of(IdentityType.PHONE);
                    }
                };
        OpenCx cx =
                OpenCx.builder().channel(api).channel(sms).responder(responder).build();
        toClose.add(cx);
        Identity phone = Identity.phone("+14155550100");
        Contact ana = cx.store().findOrCreateContact(ANA, "Ana"); // e-mail first, then the phone
        cx.store().linkIdentity(ana.id(), phone);
        var bySms = cx.receive(InboundMessage.builder(ChannelId.of("pager"))
                        .from(ANA)
                        .text("hi by sms")
                        .build())
                .join();
        var byApi = api.receive(ANA, "hi on the api").join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        cx.helpdeskEvents().agentReplied(bySms.ticket(), "maria", "Hello from the team", "");
        cx.helpdeskEvents().agentReplied(byApi.ticket(), "maria", "Hello from the team", "");
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(sms.sent()).last().satisfies(m -> assertThat(m.recipient()).isEqualTo(phone));
        assertThat(api.sent()).last().satisfies(m -> assertThat(m.recipient())
                .isEqualTo(ANA)); // default: first identity
    }

    private static OpenCxModule module(String name, java.util.function.Consumer<ModuleContext> setUp) {
        return new OpenCxModule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void setUp(ModuleContext ctx) {
                setUp.accept(ctx);
            }
        };
    }
}
