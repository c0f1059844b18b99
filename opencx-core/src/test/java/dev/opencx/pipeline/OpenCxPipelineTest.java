package dev.opencx.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.OpenCxException;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.HandoffPreset;
import dev.opencx.autopilot.Topic;
import dev.opencx.autopilot.TopicClassification;
import dev.opencx.autopilot.TopicScore;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.MessageIdConflictException;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.AutopilotDecided;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.HandoffDelivered;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.MessageForwarded;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.ReplySent;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.TopicClassified;
import dev.opencx.event.TurnCompleted;
import dev.opencx.handoff.Detection;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiDetectors;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiType;
import dev.opencx.responder.Reply;
import dev.opencx.responder.Responder;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import dev.opencx.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenCxPipelineTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Identity ANA = Identity.email("ana@example.com");

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final RecordingChannel api = new RecordingChannel(ChannelId.API);
    private final RecordingHelpdesk helpdesk = new RecordingHelpdesk();

    /** Answers "answer: TEXT" with confidence 0.9; "unknown…" has no answer; "boom…" throws; "low…" answers with 0.2. */
    private final Responder scripted = req -> {
        String text = req.message().text();
        if (text.startsWith("unknown")) {
            return Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "nothing matched", Map.of());
        }
        if (text.startsWith("boom")) {
            throw new IllegalStateException("model unavailable");
        }
        double conf = text.startsWith("low") ? 0.2 : 0.9;
        return Reply.answer("answer: " + text, conf, List.of(), "scripted", Map.of());
    };

    @AfterEach
    void closeAll() throws Exception {
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private OpenCx.Builder base() {
        return OpenCx.builder()
                .channel(api)
                .helpdesk(helpdesk)
                .responder(scripted)
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

    private static <T> List<T> events(OpenCx cx, String sessionId, Class<T> type) {
        return cx.events(sessionId).stream()
                .map(SessionEvent::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Test
    void waits_as_long_as_the_providers_retry_after_asks_before_sending_again() {
        List<Instant> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingChannel limited = new RecordingChannel(ChannelId.SMS) {
            @Override
            public DeliveryReceipt send(OutboundMessage m) {
                attempts.add(Instant.now());
                if (attempts.size() == 1) {
                    throw OpenCxException.retryAfter("sms provider answered 429", Duration.ofMillis(1500), null);
                }
                return super.send(m);
            }
        };
        OpenCx cx = build(OpenCx.builder()
                .channel(limited)
                .responder(scripted)
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50)));

        cx.receive(InboundMessage.builder(ChannelId.SMS)
                        .from(ANA)
                        .text("where is my order?")
                        .build())
                .join();

        await().atMost(WAIT).until(() -> limited.texts().size() == 1);
        assertThat(Duration.between(attempts.get(0), attempts.get(1)))
                .as("wait between the 429 and the next attempt (own backoff 10 ms)")
                .isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        assertThat(limited.texts()).containsExactly("answer: where is my order?");
    }

    @Test
    void the_helpdesk_gets_a_contacts_phone_number_only_when_the_policy_reveals_phones_to_it() {
        Identity caller = Identity.phone("+14155550100");
        PiiPolicy phonesStayHidden = PiiPolicy.builder()
                .revealByDefault(PiiDestination.HELPDESK, PiiDestination.CUSTOMER)
                .reveal(PiiType.PHONE, PiiDestination.CUSTOMER)
                .build();
        OpenCx cx = build(base().pii(PiiDetectors.pattern(PiiType.PHONE, "\\+\\d{11}"), phonesStayHidden));

        cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(caller)
                        .text("unknown thing")
                        .build())
                .join();
        cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(ANA)
                        .text("unknown other thing")
                        .build())
                .join();
        cx.awaitIdle(WAIT);

        assertThat(helpdesk.tickets().values())
                .extracting(t -> t.contact().identities())
                .containsExactlyInAnyOrder(List.of(), List.of(ANA));
    }

    @Test
    void a_later_reply_waits_for_an_earlier_one_of_the_session_that_waits_out_a_retry_after() {
        List<String> attempts = new java.util.concurrent.CopyOnWriteArrayList<>();
        RecordingChannel limited = new RecordingChannel(ChannelId.SMS) {
            @Override
            public DeliveryReceipt send(OutboundMessage m) {
                attempts.add(m.text());
                if (attempts.size() == 1) {
                    throw OpenCxException.retryAfter("sms provider answered 429", Duration.ofMillis(1000), null);
                }
                return super.send(m);
            }
        };
        OpenCx cx = build(OpenCx.builder()
                .channel(limited)
                .responder(scripted)
                .outboxRetries(5, Duration.ofMillis(10), Duration.ofMillis(50)));

        cx.receive(InboundMessage.builder(ChannelId.SMS).from(ANA).text("first").build())
                .join();
        await().atMost(WAIT).until(() -> attempts.size() == 1);
        // the second reply is due at once, in a later poll, while the first waits for its Retry-After
        cx.receive(InboundMessage.builder(ChannelId.SMS)
                        .from(ANA)
                        .text("second")
                        .build())
                .join();

        await().atMost(WAIT).until(() -> limited.texts().size() == 2);
        assertThat(limited.texts()).containsExactly("answer: first", "answer: second");
        assertThat(attempts).containsExactly("answer: first", "answer: first", "answer: second");
    }

    @Test
    void replies_and_records_every_step_of_the_turn_in_the_session_log() {
        OpenCx cx = build(base());
        ReceiveReceipt r = cx.receive(msg("where is my order?")).join();

        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(r.duplicate()).isFalse();
        assertThat(r.ticket().value()).isEqualTo(1000);
        assertThat(api.texts()).containsExactly("answer: where is my order?");
        assertThat(cx.events(r.sessionId()))
                .extracting(e -> e.payload().getClass().getSimpleName())
                .containsExactly(
                        "SessionOpened",
                        "MessageReceived",
                        "AutopilotDecided",
                        "ReplySent",
                        "TurnCompleted",
                        "MessageDelivered");
        AutopilotDecided d = events(cx, r.sessionId(), AutopilotDecided.class).get(0);
        assertThat(d.explanation()).contains("autopilot is on");
        assertThat(d.evidence()).containsKeys("preset", "human_request_score", "frustration_score");
        assertThat(events(cx, r.sessionId(), ReplySent.class).get(0).confidence())
                .isEqualTo(0.9);
    }

    @Test
    void a_responder_sees_the_newest_fifty_earlier_messages_oldest_first() {
        List<List<String>> seen = Collections.synchronizedList(new ArrayList<>());
        OpenCx cx = build(base().responder(req -> {
            seen.add(req.history().stream().map(m -> m.text()).toList());
            return Reply.answer("answer: " + req.message().text(), 0.9, List.of(), "scripted", Map.of());
        }));
        for (int i = 1; i <= 30; i++) {
            cx.receive(msg("question " + i)).join();
            assertThat(cx.awaitIdle(WAIT)).isTrue();
        }

        assertThat(seen.get(0)).isEmpty();
        assertThat(seen.get(3))
                .containsExactly(
                        "question 1",
                        "answer: question 1",
                        "question 2",
                        "answer: question 2",
                        "question 3",
                        "answer: question 3");
        // the 30th turn: 58 earlier messages, of which the newest 50, from "question 5" on
        List<String> last = seen.get(29);
        assertThat(last).hasSize(Turn.HISTORY_MESSAGES);
        assertThat(last.get(0)).isEqualTo("question 5");
        assertThat(last.get(49)).isEqualTo("answer: question 29");
    }

    @Test
    void processes_the_messages_of_one_session_in_order_and_sessions_in_parallel() throws Exception {
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger maxPerSession = new AtomicInteger();
        AtomicInteger globalRunning = new AtomicInteger();
        AtomicInteger maxGlobal = new AtomicInteger();
        Map<String, List<String>> processed = new ConcurrentHashMap<>();
        Responder slow = req -> {
            String sid = req.session().id();
            int mine = running.computeIfAbsent(sid, k -> new AtomicInteger()).incrementAndGet();
            maxPerSession.accumulateAndGet(mine, Math::max);
            maxGlobal.accumulateAndGet(globalRunning.incrementAndGet(), Math::max);
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            processed
                    .computeIfAbsent(sid, k -> Collections.synchronizedList(new ArrayList<>()))
                    .add(req.message().text());
            globalRunning.decrementAndGet();
            running.get(sid).decrementAndGet();
            return Reply.answer("ok", 0.9, List.of(), "", Map.of());
        };
        ExecutorService pool = Executors.newFixedThreadPool(4);
        toClose.add(pool::shutdownNow);
        OpenCx cx = build(OpenCx.builder().channel(api).responder(slow).executor(pool));

        int customers = 4;
        int perCustomer = 25;
        ExecutorService senders = Executors.newFixedThreadPool(customers);
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            Identity who = Identity.custom("customer-" + c);
            sends.add(CompletableFuture.runAsync(
                    () -> {
                        for (int i = 0; i < perCustomer; i++) {
                            cx.receive(InboundMessage.builder(ChannelId.API)
                                            .from(who)
                                            .text("m" + i)
                                            .build())
                                    .join();
                        }
                    },
                    senders));
        }
        CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        senders.shutdown();
        assertThat(cx.awaitIdle(WAIT)).isTrue();

        assertThat(maxPerSession.get()).as("turns of one session never overlap").isEqualTo(1);
        assertThat(maxGlobal.get()).as("different sessions run in parallel").isGreaterThan(1);
        assertThat(processed).hasSize(customers);
        for (var e : processed.entrySet()) {
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < perCustomer; i++) {
                expected.add("m" + i);
            }
            assertThat(e.getValue()).as("order within session").containsExactlyElementsOf(expected);
            List<Long> handled = events(cx, e.getKey(), TurnCompleted.class).stream()
                    .map(TurnCompleted::messageSeq)
                    .toList();
            assertThat(handled).isSorted().hasSize(perCustomer);
        }
    }

    @Test
    void a_redelivered_message_is_processed_once() {
        OpenCx cx = build(base());
        InboundMessage first = InboundMessage.builder(ChannelId.API)
                .from(ANA)
                .text("hello")
                .externalId("wamid.1")
                .build();
        ReceiveReceipt a = cx.receive(first).join();
        ReceiveReceipt b = cx.receive(first).join();
        cx.awaitIdle(WAIT);

        assertThat(a.duplicate()).isFalse();
        assertThat(b.duplicate()).isTrue();
        assertThat(events(cx, a.sessionId(), MessageReceived.class)).hasSize(1);
        assertThat(api.texts()).containsExactly("answer: hello");
    }

    @Test
    void a_resend_is_answered_with_the_original_ids() {
        OpenCx cx = build(base());
        InboundMessage m = InboundMessage.builder(ChannelId.API)
                .from(ANA)
                .text("hello")
                .externalId("ext-1")
                .build();
        ReceiveReceipt first = cx.receive(m).join();
        cx.receive(msg("something else")).join(); // the session moves on meanwhile
        cx.awaitIdle(WAIT);

        ReceiveReceipt again = cx.receive(m).join();

        assertThat(first.seq()).isEqualTo(2);
        assertThat(again)
                .isEqualTo(new ReceiveReceipt(first.sessionId(), first.ticket(), first.messageId(), first.seq(), true));
        assertThat(events(cx, first.sessionId(), MessageReceived.class)).hasSize(2);
    }

    @Test
    void concurrent_resends_all_get_the_ids_of_the_one_stored_message() throws Exception {
        OpenCx cx = build(base());
        InboundMessage m = InboundMessage.builder(ChannelId.API)
                .from(ANA)
                .text("hello")
                .externalId("ext-1")
                .build();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<ReceiveReceipt>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(CompletableFuture.supplyAsync(() -> cx.receive(m).join(), pool));
            }
            List<ReceiveReceipt> receipts = new ArrayList<>();
            for (CompletableFuture<ReceiveReceipt> f : all) {
                receipts.add(f.get(30, TimeUnit.SECONDS));
            }
            ReceiveReceipt stored =
                    receipts.stream().filter(r -> !r.duplicate()).findFirst().orElseThrow();
            assertThat(receipts).filteredOn(r -> !r.duplicate()).hasSize(1);
            assertThat(receipts)
                    .extracting(r -> r.sessionId() + "/" + r.messageId() + "/" + r.seq())
                    .containsOnly(stored.sessionId() + "/" + stored.messageId() + "/2");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void refuses_a_different_text_under_the_same_id_and_stores_nothing() {
        OpenCx cx = build(base());
        ReceiveReceipt first = cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(ANA)
                        .text("cancel my order")
                        .externalId("ext-1")
                        .build())
                .join();
        cx.awaitIdle(WAIT);
        int logged = cx.events(first.sessionId()).size();

        assertThatThrownBy(() -> cx.receive(InboundMessage.builder(ChannelId.API)
                                .from(ANA)
                                .text("do not cancel my order")
                                .externalId("ext-1")
                                .build())
                        .join())
                .hasCauseInstanceOf(MessageIdConflictException.class)
                .satisfies(e -> {
                    MessageIdConflictException c = (MessageIdConflictException) e.getCause();
                    assertThat(c.isRetriable()).isFalse();
                    assertThat(c.channel()).isEqualTo(ChannelId.API);
                    assertThat(c.externalId()).isEqualTo("ext-1");
                    assertThat(c.getMessage()).contains("ext-1").doesNotContain("cancel");
                });
        cx.awaitIdle(WAIT);

        assertThat(cx.events(first.sessionId())).hasSize(logged);
        assertThat(api.texts()).containsExactly("answer: cancel my order");
    }

    @Test
    void refuses_the_same_id_from_another_sender_without_telling_it_the_original_ids() {
        OpenCx cx = build(base());
        cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(ANA)
                        .text("hello")
                        .externalId("ext-1")
                        .build())
                .join();
        Identity bob = Identity.email("bob@example.com");

        assertThatThrownBy(() -> cx.receive(InboundMessage.builder(ChannelId.API)
                                .from(bob)
                                .text("hello")
                                .externalId("ext-1")
                                .build())
                        .join())
                .hasCauseInstanceOf(MessageIdConflictException.class);
        cx.awaitIdle(WAIT);

        assertThat(cx.store().findContact(bob))
                .as("nothing was stored for the other sender")
                .isEmpty();
    }

    @Test
    void autopilot_off_for_a_channel_sends_every_message_to_the_team() {
        RecordingChannel sms = new RecordingChannel(ChannelId.SMS);
        OpenCx cx = build(base().channel(sms)
                .autopilot(
                        AutopilotPolicy.builder().channel(ChannelId.SMS, false).build()));
        Identity phone = Identity.phone("+14155550100");
        ReceiveReceipt r = cx.receive(InboundMessage.builder(ChannelId.SMS)
                        .from(phone)
                        .text("hi, is my order shipped?")
                        .build())
                .join();
        cx.awaitIdle(WAIT);
        ReceiveReceipt r2 = cx.receive(InboundMessage.builder(ChannelId.SMS)
                        .from(phone)
                        .text("hello?")
                        .build())
                .join();
        cx.awaitIdle(WAIT);

        HandoffRequested h = events(cx, r.sessionId(), HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.AUTOPILOT_OFF);
        assertThat(sms.sent()).extracting(OutboundMessage::kind).containsExactly(OutboundMessage.Kind.HANDOFF_NOTICE);
        assertThat(sms.sent().get(0).text()).contains("#1000");
        assertThat(helpdesk.tickets()).containsKey(r.ticket());
        assertThat(r2.sessionId()).isEqualTo(r.sessionId());
        assertThat(events(cx, r.sessionId(), MessageForwarded.class)).hasSize(1);
        assertThat(helpdesk.appended()).extracting(m -> m.text()).containsExactly("hello?");
        // the api channel still has the AI
        cx.receive(msg("hello")).join();
        cx.awaitIdle(WAIT);
        assertThat(api.texts()).containsExactly("answer: hello");
    }

    @Test
    void a_gated_topic_hands_off_with_the_classifier_scores_in_the_log() {
        OpenCx cx = build(base().topicClassifier(text -> text.contains("hacked")
                        ? new TopicClassification(
                                "security",
                                List.of(new TopicScore("security", 0.91), new TopicScore("orders", 0.2)),
                                0.5,
                                "test")
                        : new TopicClassification("", List.of(new TopicScore("orders", 0.3)), 0.5, "test"))
                .autopilot(AutopilotPolicy.builder()
                        .topicGate("security", AutopilotPolicy.GateAction.HANDOFF)
                        .build()));
        ReceiveReceipt r = cx.receive(msg("my account was hacked")).join();
        cx.awaitIdle(WAIT);

        assertThat(events(cx, r.sessionId(), TopicClassified.class).get(0).topic())
                .isEqualTo("security");
        HandoffRequested h = events(cx, r.sessionId(), HandoffRequested.class).get(0);
        assertThat(h.reason()).isEqualTo(HandoffReason.TOPIC_GATE);
        assertThat(h.detail()).contains("security").contains("0.91");
        assertThat(cx.session(r.sessionId()).orElseThrow().topic()).isEqualTo("security");
        assertThat(helpdesk.ticket(r.ticket()).orElseThrow().reason()).isEqualTo(HandoffReason.TOPIC_GATE);
    }

    @Test
    void an_explicit_request_for_a_human_hands_off_and_a_negated_one_does_not() {
        OpenCx cx = build(base());
        ReceiveReceipt neg = cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(Identity.custom("u1"))
                        .text("I am not asking for a human, just tell me the return window")
                        .build())
                .join();
        ReceiveReceipt pos = cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(Identity.custom("u2"))
                        .text("can I talk to a real person please")
                        .build())
                .join();
        cx.awaitIdle(WAIT);

        assertThat(events(cx, neg.sessionId(), HandoffRequested.class)).isEmpty();
        assertThat(events(cx, pos.sessionId(), HandoffRequested.class))
                .extracting(HandoffRequested::reason)
                .containsExactly(HandoffReason.EXPLICIT_REQUEST);
    }

    @Test
    void frustration_hands_off() {
        OpenCx cx = build(base());
        ReceiveReceipt r = cx.receive(msg("where is my refund")).join();
        cx.awaitIdle(WAIT);
        cx.receive(msg("This is RIDICULOUS, I have asked three times and you are useless!!!"))
                .join();
        cx.awaitIdle(WAIT);

        assertThat(events(cx, r.sessionId(), HandoffRequested.class))
                .extracting(HandoffRequested::reason)
                .containsExactly(HandoffReason.FRUSTRATION);
    }

    @Test
    void a_correction_after_the_ai_reply_is_scored_with_that_reply_and_logged() {
        OpenCx cx = build(base());
        ReceiveReceipt r = cx.receive(msg("I need a hotel in the north")).join();
        cx.awaitIdle(WAIT);
        cx.receive(msg("No, I said the south. Please check again.")).join();
        cx.awaitIdle(WAIT);

        List<AutopilotDecided> decisions = events(cx, r.sessionId(), AutopilotDecided.class);
        assertThat(decisions).hasSize(2);
        double score = ((Number) decisions.get(1).evidence().get("frustration_score")).doubleValue();
        assertThat(score)
                .isGreaterThanOrEqualTo(dev.opencx.handoff.LexicalFrustrationDetector.DISSATISFIED)
                .isLessThan(0.6);
        assertThat(events(cx, r.sessionId(), HandoffRequested.class)).isEmpty();
        assertThat(api.texts()).hasSize(2);
    }

    @Test
    void the_frustration_detector_sees_the_last_reply_before_the_message() {
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        OpenCx cx = build(base().frustrationDetector(new dev.opencx.handoff.FrustrationDetector() {
            @Override
            public Detection detect(String text, List<String> previous) {
                throw new AssertionError("the pipeline passes the previous reply");
            }

            @Override
            public Detection detect(String text, List<String> previous, String previousReply) {
                seen.add(previousReply);
                return Detection.none("test");
            }
        }));
        cx.receive(msg("first")).join();
        cx.awaitIdle(WAIT);
        cx.receive(msg("second")).join();
        cx.awaitIdle(WAIT);

        assertThat(seen).containsExactly("", "answer: first");
    }

    @Test
    void the_embedded_responder_scores_with_the_configured_confidence_model() {
        var knowledge = new dev.opencx.knowledge.InMemoryKnowledgeStore();
        knowledge.upsert(dev.opencx.knowledge.KnowledgeDocument.of(
                "returns",
                "Returns and refunds",
                "Refunds reach your card within five business days.",
                dev.opencx.knowledge.BodyFormat.MARKDOWN));
        var sure = new dev.opencx.responder.EmbeddedResponder.ConfidenceModel(20, 0, 0, 0, 0);
        var unsure = new dev.opencx.responder.EmbeddedResponder.ConfidenceModel(-20, 0, 0, 0, 0);
        OpenCx confident = build(OpenCx.builder()
                .channel(api)
                .helpdesk(helpdesk)
                .knowledge(knowledge)
                .confidenceModel(sure));
        ReceiveReceipt r =
                confident.receive(msg("when do refunds reach my card")).join();
        confident.awaitIdle(WAIT);

        assertThat(events(confident, r.sessionId(), ReplySent.class))
                .singleElement()
                .satisfies(s -> assertThat(s.confidence()).isGreaterThan(0.99));

        RecordingChannel other = new RecordingChannel(ChannelId.SMS);
        OpenCx doubtful = build(OpenCx.builder()
                .channel(other)
                .helpdesk(new RecordingHelpdesk())
                .knowledge(knowledge)
                .confidenceModel(unsure));
        ReceiveReceipt d = doubtful.receive(InboundMessage.builder(ChannelId.SMS)
                        .from(ANA)
                        .text("when do refunds reach my card")
                        .build())
                .join();
        doubtful.awaitIdle(WAIT);

        assertThat(events(doubtful, d.sessionId(), HandoffRequested.class)).hasSize(1);
        assertThat(events(doubtful, d.sessionId(), ReplySent.class)).isEmpty();
    }

    @Test
    void low_confidence_and_missing_knowledge_hand_off_with_the_reason() {
        OpenCx cx = build(base());
        ReceiveReceipt low = cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(Identity.custom("a"))
                        .text("low confidence question")
                        .build())
                .join();
        ReceiveReceipt unknown = cx.receive(InboundMessage.builder(ChannelId.API)
                        .from(Identity.custom("b"))
                        .text("unknown question")
                        .build())
                .join();
        cx.awaitIdle(WAIT);

        HandoffRequested h1 =
                events(cx, low.sessionId(), HandoffRequested.class).get(0);
        assertThat(h1.reason()).isEqualTo(HandoffReason.LOW_CONFIDENCE);
        assertThat(h1.detail()).contains("0.20").contains("0.50");
        assertThat(events(cx, unknown.sessionId(), HandoffRequested.class)
                        .get(0)
                        .reason())
                .isEqualTo(HandoffReason.MISSING_KNOWLEDGE);
    }

    @Test
    void ai_only_preset_never_hands_off_on_missing_knowledge() {
        OpenCx cx = build(base().autopilot(
                        AutopilotPolicy.builder().preset(HandoffPreset.AI_ONLY).build()));
        ReceiveReceipt r = cx.receive(msg("unknown thing")).join();
        cx.awaitIdle(WAIT);
        assertThat(events(cx, r.sessionId(), HandoffRequested.class)).isEmpty();
        assertThat(api.texts()).containsExactly("Sorry, I don't have an answer to that.");
    }

    @Test
    void a_responder_error_hands_off_instead_of_leaving_the_customer_alone() {
        OpenCx cx = build(base());
        ReceiveReceipt r = cx.receive(msg("boom")).join();
        cx.awaitIdle(WAIT);
        assertThat(events(cx, r.sessionId(), HandoffRequested.class))
                .extracting(HandoffRequested::reason)
                .containsExactly(HandoffReason.RESPONDER_ERROR);
        assertThat(api.sent()).extracting(OutboundMessage::kind).containsExactly(OutboundMessage.Kind.HANDOFF_NOTICE);
    }

    @Test
    void a_broken_interceptor_fails_the_turn_and_the_customer_still_gets_its_outcome() {
        // calls proceed() twice: the first call runs the rest of the chain (a reply is staged), the second throws
        OpenCx cx = build(base().interceptor(chain -> {
            chain.proceed();
            return chain.proceed();
        }));
        ReceiveReceipt r = cx.receive(msg("hello")).join();
        cx.awaitIdle(WAIT);
        TurnCompleted done = events(cx, r.sessionId(), TurnCompleted.class).get(0);
        assertThat(done.outcome()).isEqualTo("FAILED");
        assertThat(done.error()).contains("called proceed() more than once");
        assertThat(api.texts()).containsExactly("answer: hello");

        // an interceptor that throws before anything was staged: the session is handed off
        OpenCx other = build(OpenCx.builder()
                .channel(new RecordingChannel(ChannelId.WEB))
                .helpdesk(new RecordingHelpdesk())
                .responder(scripted)
                .interceptor(chain -> {
                    throw new IllegalStateException("broken business-hours service");
                }));
        ReceiveReceipt r2 = other.receive(InboundMessage.builder(ChannelId.WEB)
                        .from(ANA)
                        .text("hello")
                        .build())
                .join();
        other.awaitIdle(WAIT);
        assertThat(events(other, r2.sessionId(), HandoffRequested.class))
                .extracting(HandoffRequested::reason)
                .containsExactly(HandoffReason.RESPONDER_ERROR);
        assertThat(events(other, r2.sessionId(), TurnCompleted.class).get(0).error())
                .contains("broken business-hours service");
    }

    @Test
    void user_interceptors_run_before_their_step_and_can_hand_off() {
        List<String> seen = Collections.synchronizedList(new ArrayList<>());
        OpenCx cx = build(base().interceptor(Step.PERSIST, chain -> {
                    seen.add("before-persist:" + (chain.turn().message() == null));
                    return chain.proceed();
                })
                .interceptor(Step.AUTOPILOT, chain -> {
                    seen.add("before-autopilot");
                    chain.turn().handOff(HandoffReason.CUSTOM, "outside business hours", Map.of("hours", "9-17"));
                    return chain.proceed();
                }));
        ReceiveReceipt r = cx.receive(msg("hello")).join();
        cx.awaitIdle(WAIT);
        assertThat(seen).containsExactly("before-persist:true", "before-autopilot");
        assertThat(events(cx, r.sessionId(), HandoffRequested.class).get(0).detail())
                .isEqualTo("outside business hours");
        assertThat(api.texts()).noneMatch(t -> t.startsWith("answer"));
    }

    @Test
    void an_agent_reply_reaches_the_customer_channel_and_resolution_closes_the_session() {
        OpenCx cx = build(base());
        ReceiveReceipt r = cx.receive(msg("I want to speak to a human")).join();
        cx.awaitIdle(WAIT);
        helpdesk.agent().agentJoined(r.ticket(), "maria");
        helpdesk.agent().agentReplied(r.ticket(), "maria", "Hi Ana, Maria here.", "zd-1");
        helpdesk.agent().agentReplied(r.ticket(), "maria", "Hi Ana, Maria here.", "zd-1"); // webhook redelivered
        cx.awaitIdle(WAIT);
        Session s = cx.session(r.sessionId()).orElseThrow();
        assertThat(s.state()).isEqualTo(SessionState.AGENT_ACTIVE);
        assertThat(s.assignee()).isEqualTo("maria");
        assertThat(api.sent())
                .extracting(OutboundMessage::kind)
                .containsExactly(OutboundMessage.Kind.HANDOFF_NOTICE, OutboundMessage.Kind.AGENT_REPLY);
        assertThat(api.sent().get(1).recipient()).isEqualTo(ANA);
        assertThat(events(cx, r.sessionId(), HandoffDelivered.class))
                .extracting(HandoffDelivered::ticketRef)
                .containsExactly("T-1000");

        helpdesk.agent().resolved(r.ticket(), "maria");
        assertThat(cx.session(r.sessionId()).orElseThrow().state()).isEqualTo(SessionState.RESOLVED);
        ReceiveReceipt next = cx.receive(msg("one more question")).join();
        assertThat(next.sessionId()).isNotEqualTo(r.sessionId());
        assertThat(next.ticket().value()).isEqualTo(1001);
        assertThatThrownBy(() ->
                        helpdesk.agent().agentReplied(new dev.opencx.conversation.TicketNumber(4242), "maria", "x", ""))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("#4242");
    }

    @Test
    void the_outbox_retries_a_failing_channel_and_records_a_delivery_that_gives_up() {
        api.failNext(2);
        OpenCx cx = build(base());
        ReceiveReceipt r = cx.receive(msg("hello")).join();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(api.texts()).containsExactly("answer: hello");
        assertThat(events(cx, r.sessionId(), MessageDelivered.class).get(0).attempts())
                .isEqualTo(3);

        api.failPermanently(true);
        cx.receive(msg("again")).join();
        cx.awaitIdle(WAIT);
        assertThat(events(cx, r.sessionId(), DeliveryFailed.class))
                .singleElement()
                .satisfies(f -> assertThat(f.error()).contains("recipient blocked"));
    }

    @Test
    void after_a_crash_stored_messages_are_processed_and_the_outbox_is_drained_once() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-11-21T10:00:00Z"));
        ConversationStore store = new InMemoryConversationStore(clock);
        // 1. a process stores a message and dies before processing it (its executor never runs anything)
        OpenCx first = OpenCx.builder()
                .store(store)
                .channel(api)
                .responder(scripted)
                .clock(clock)
                .executor(task -> {})
                .build();
        ReceiveReceipt stored = first.receive(msg("stored before the crash")).join();
        assertThat(store.session(stored.sessionId()).orElseThrow().hasPendingTurn())
                .isTrue();

        // 2. a second process resumes the turn, but dies while its channel is sending the reply
        CountDownLatch sending = new CountDownLatch(1);
        RecordingChannel hung = new RecordingChannel(ChannelId.API) {
            @Override
            public dev.opencx.channel.DeliveryReceipt send(OutboundMessage m) {
                sending.countDown();
                try {
                    new CountDownLatch(1).await(); // the process is gone: this call never returns
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("unreachable");
            }
        };
        OpenCx.builder()
                .store(store)
                .channel(hung)
                .responder(scripted)
                .clock(clock)
                .build();
        assertThat(sending.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(store.session(stored.sessionId()).orElseThrow().hasPendingTurn())
                .isFalse();
        clock.advance(Duration.ofSeconds(61)); // the dead dispatcher's lease runs out

        // 3. restart: the reply is delivered exactly once
        RecordingChannel fresh = new RecordingChannel(ChannelId.API);
        OpenCx restarted = build(
                OpenCx.builder().store(store).channel(fresh).responder(scripted).clock(clock));
        assertThat(restarted.awaitIdle(WAIT)).isTrue();
        assertThat(fresh.texts()).containsExactly("answer: stored before the crash");
        assertThat(events(restarted, stored.sessionId(), ReplySent.class)).hasSize(1);

        // 4. another restart sends nothing again
        RecordingChannel third = new RecordingChannel(ChannelId.API);
        OpenCx again = build(
                OpenCx.builder().store(store).channel(third).responder(scripted).clock(clock));
        assertThat(again.awaitIdle(WAIT)).isTrue();
        assertThat(third.sent()).isEmpty();
    }

    @Test
    void bad_input_is_rejected_with_a_clear_reason_and_nothing_is_stored() {
        OpenCx cx = build(base().maxMessageChars(100));
        assertThatThrownBy(() -> InboundMessage.builder(ChannelId.API)
                        .from(ANA)
                        .text("  ")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> InboundMessage.builder(ChannelId.API)
                        .from(ANA)
                        .text(null)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("null");
        assertThatThrownBy(() -> cx.receive(InboundMessage.builder(ChannelId.of("fax"))
                                .from(ANA)
                                .text("hi")
                                .build())
                        .join())
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown channel 'fax'");
        assertThatThrownBy(() -> cx.receive(msg("x".repeat(101))).join())
                .hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("101 characters exceeds the limit of 100");
        assertThat(cx.store().findContact(ANA)).isEmpty();
        assertThatThrownBy(() -> OpenCx.builder().build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("channel");
        assertThatThrownBy(() -> OpenCx.builder().channel(api).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("knowledge store");
        assertThatThrownBy(() -> OpenCx.builder()
                        .channel(api)
                        .responder(scripted)
                        .autopilot(AutopilotPolicy.builder()
                                .topicGate("legal", AutopilotPolicy.GateAction.HANDOFF)
                                .build())
                        .topics(List.of(new Topic("billing", "payments", List.of("charged twice"))))
                        .build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'legal'");
    }

    @Test
    void an_unreachable_store_fails_receive_with_a_retriable_error_so_the_channel_redelivers() {
        InMemoryConversationStore real = new InMemoryConversationStore();
        java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
        ConversationStore flaky = (ConversationStore) java.lang.reflect.Proxy.newProxyInstance(
                ConversationStore.class.getClassLoader(),
                new Class<?>[] {ConversationStore.class},
                (proxy, method, args) -> {
                    if (down.get() && method.getName().equals("appendInbound")) {
                        throw dev.opencx.OpenCxException.retriable(
                                "database jdbc:postgresql://db:5432/cx is unreachable", null);
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (java.lang.reflect.InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        OpenCx cx = build(base().store(flaky));
        InboundMessage m = InboundMessage.builder(ChannelId.API)
                .from(ANA)
                .text("hello")
                .externalId("ext-9")
                .build();

        assertThatThrownBy(() -> cx.receive(m).join())
                .hasCauseInstanceOf(dev.opencx.OpenCxException.class)
                .hasMessageContaining("unreachable")
                .satisfies(e -> assertThat(((dev.opencx.OpenCxException) e.getCause()).isRetriable())
                        .isTrue());
        assertThat(real.isDuplicate(ChannelId.API, "ext-9")).isFalse();

        down.set(false); // the provider redelivers once the database is back: processed once
        ReceiveReceipt r = cx.receive(m).join();
        cx.awaitIdle(WAIT);
        assertThat(r.duplicate()).isFalse();
        assertThat(api.texts()).containsExactly("answer: hello");
    }

    @Test
    void the_autopilot_policy_can_change_at_run_time() {
        OpenCx cx = build(base());
        cx.updateAutopilot(p -> p.toBuilder().channel(ChannelId.API, false).build());
        ReceiveReceipt r = cx.receive(msg("hello")).join();
        cx.awaitIdle(WAIT);
        assertThat(events(cx, r.sessionId(), HandoffRequested.class).get(0).reason())
                .isEqualTo(HandoffReason.AUTOPILOT_OFF);
    }
}
