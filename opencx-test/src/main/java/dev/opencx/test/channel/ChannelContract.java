package dev.opencx.test.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.PartialReply;
import dev.opencx.channel.StreamingChannel;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.responder.Reply;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.SessionQuery;
import dev.opencx.test.RecordingHelpdesk;
import dev.opencx.test.channel.ChannelFixture.Sent;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules every {@link dev.opencx.channel.Channel} keeps, whatever its provider: inbound messages
 * become sessions of their sender, a provider's retry is processed once, one sender's messages stay
 * in order, forged and malformed requests store nothing, replies survive provider failures and are
 * sent once, a reply fits the channel's length limit, and an agent's reply after a handoff reaches
 * the customer. Extend it in your channel's tests and return a {@link ChannelFixture}:
 *
 * <pre>{@code
 * class KioskChannelContractTest extends ChannelContract {
 *     protected ChannelFixture fixture() { return new KioskFixture(); }
 * }
 * }</pre>
 *
 * <p>What each check expects of the channel:
 *
 * <ul>
 *   <li>a delivered message is accepted (2xx), stored once in one session of its sender on this
 *       channel, and the answer reaches that sender;
 *   <li>a provider's retry (the same provider message id) is stored and answered once;
 *   <li>one sender's messages are stored and answered in the order delivered;
 *   <li>a forged request is answered 401 or 403 and stores no session and no contact;
 *   <li>a malformed request is answered 4xx and stores no message;
 *   <li>after the provider refused two sends, the reply reaches it once, on the third attempt or
 *       later;
 *   <li>a message the outbox hands the channel again (as after a crash between sending and
 *       marking it sent, same idempotency key) does not reach the provider again;
 *   <li>a reply longer than {@code maxTextLength} reaches the provider in parts that each fit, and
 *       that joined with spaces read as the start of the reply (split whole, or shortened with an
 *       optional trailing "…" or "..."); channels with limits above {@link #PRACTICAL_LENGTH} are not
 *       held to it;
 *   <li>after a handoff, an agent's reply reaches the customer (unless the fixture says the channel
 *       cannot reach a customer after the turn, like a phone call).
 * </ul>
 *
 * <p>The suite builds an {@code OpenCx} around the channel with the default in-memory store (a
 * fixture may set another in {@link ChannelFixture#configure}), a {@link RecordingHelpdesk}, fast
 * outbox retries and a responder that answers {@code "You said: <text>"}, hands off when the
 * text asks for a human, and writes a long answer when asked to tell everything.
 */
public abstract class ChannelContract {
    /** The text that makes the suite's responder hand off. */
    protected static final String ASK_FOR_HUMAN = "I want to talk to a human please";
    /** The text that makes the suite's responder answer at length. */
    protected static final String ASK_FOR_EVERYTHING = "Tell me everything about your return policy";
    /**
     * Channels whose limit is above this many characters (the widget, the REST API, e-mail) show
     * any reply a responder writes, and are not held to the length check.
     */
    protected static final int PRACTICAL_LENGTH = 10_000;

    private static final Duration WAIT = Duration.ofSeconds(30);

    private ChannelFixture fixture;
    private List<OutboundMessage> handedOut;
    private RecordingHelpdesk helpdesk;
    private OpenCx cx;

    /** A new fixture: a channel not started yet and its fake provider. */
    protected abstract ChannelFixture fixture() throws Exception;

    @BeforeEach
    void startChannel() throws Exception {
        fixture = fixture();
        helpdesk = new RecordingHelpdesk();
        handedOut = new CopyOnWriteArrayList<>();
        Channel channel = fixture.channel();
        OpenCx.Builder builder = OpenCx.builder()
                .channel(
                        channel instanceof StreamingChannel streaming
                                ? new ObservedStreamingChannel(streaming, handedOut)
                                : new ObservedChannel(channel, handedOut))
                .helpdesk(helpdesk)
                .responder(this::respond)
                .outboxRetries(8, Duration.ofMillis(20), Duration.ofMillis(300));
        cx = fixture.configure(builder).build();
        fixture.started(cx);
    }

    @AfterEach
    void stopChannel() throws Exception {
        try {
            if (cx != null) {
                cx.close();
            }
        } finally {
            fixture.close();
        }
    }

    /** The {@code OpenCx} of the running test, for subclasses that add checks of their own. */
    protected final OpenCx openCx() {
        return cx;
    }

    /** The running test's fixture. */
    protected final ChannelFixture currentFixture() {
        return fixture;
    }

    @Test
    void stores_an_inbound_message_in_a_session_of_its_sender_and_answers_the_sender() throws Exception {
        assertAccepted(fixture.deliver(1, "contract-in-1", "Where is my parcel?"));

        awaitSentTo(1, "You said: Where is my parcel?");
        Session s = onlySessionOf(1);
        assertThat(s.channel()).isEqualTo(fixture.channel().id());
        assertThat(receivedTexts(s)).containsExactly("Where is my parcel?");
    }

    @Test
    void a_provider_retry_of_one_message_is_processed_once() throws Exception {
        assertAccepted(fixture.deliver(1, "contract-retry-1", "Can I change my address?"));
        assertAccepted(fixture.deliver(1, "contract-retry-1", "Can I change my address?"));

        awaitSentTo(1, "You said: Can I change my address?");
        cx.awaitIdle(WAIT);
        assertThat(receivedTexts(onlySessionOf(1))).containsExactly("Can I change my address?");
        assertThat(textsTo(1)).filteredOn(t -> t.contains("You said:")).hasSize(1);
    }

    @Test
    void one_senders_messages_are_kept_in_order() throws Exception {
        List<String> texts = List.of("first question", "second question", "third question", "fourth question");
        for (int i = 0; i < texts.size(); i++) {
            assertAccepted(fixture.deliver(1, "contract-order-" + i, texts.get(i)));
        }

        awaitSentTo(1, "You said: fourth question");
        cx.awaitIdle(WAIT);
        assertThat(receivedTexts(onlySessionOf(1))).containsExactlyElementsOf(texts);
        assertThat(textsTo(1).stream().filter(t -> t.contains("You said:")).map(ChannelContract::question))
                .containsExactlyElementsOf(texts);
    }

    @Test
    void two_senders_get_two_sessions_and_each_hears_only_their_answer() throws Exception {
        assertAccepted(fixture.deliver(1, "contract-two-1", "Do you ship abroad?"));
        assertAccepted(fixture.deliver(2, "contract-two-2", "Is the shop open on Sunday?"));

        awaitSentTo(1, "You said: Do you ship abroad?");
        awaitSentTo(2, "You said: Is the shop open on Sunday?");
        assertThat(onlySessionOf(1).id()).isNotEqualTo(onlySessionOf(2).id());
        assertThat(textsTo(1)).noneMatch(t -> t.contains("Sunday"));
        assertThat(textsTo(2)).noneMatch(t -> t.contains("abroad"));
    }

    @Test
    void a_forged_request_is_refused_and_nothing_is_stored() throws Exception {
        OptionalInt status = fixture.deliverForged(9, "contract-forged-1", "Refund me to this account");
        assumeTrue(status.isPresent(), "the channel has no way to tell a forged message");

        assertThat(status.getAsInt()).as("status answered to a forged request").isIn(401, 403);
        cx.awaitIdle(WAIT);
        assertNothingStored();
        assertThat(fixture.sent()).isEmpty();
    }

    @Test
    void a_malformed_request_gets_a_4xx_and_nothing_is_stored() throws Exception {
        OptionalInt status = fixture.deliverMalformed();
        assumeTrue(status.isPresent(), "the channel has no malformed request to refuse");

        assertThat(status.getAsInt())
                .as("status answered to a malformed request")
                .isBetween(400, 499);
        cx.awaitIdle(WAIT);
        // a fixture may have opened a session to post into; no message may be in it
        for (Session s : cx.store().sessions(SessionQuery.inStates(SessionState.values()))) {
            assertThat(receivedTexts(s)).as("messages stored in %s", s.ticket()).isEmpty();
        }
        assertThat(fixture.sent()).isEmpty();
    }

    @Test
    void a_reply_is_sent_once_after_the_provider_failed_twice() throws Exception {
        assumeTrue(fixture.failNextSends(2), "the provider cannot fail");

        assertAccepted(fixture.deliver(1, "contract-fail-1", "Where is my invoice?"));

        awaitSentTo(1, "You said: Where is my invoice?");
        cx.awaitIdle(WAIT);
        assertThat(textsTo(1)).filteredOn(t -> t.contains("You said:")).hasSize(1);
        List<MessageDelivered> delivered = events(onlySessionOf(1), MessageDelivered.class);
        assertThat(delivered).isNotEmpty();
        assertThat(delivered.get(0).attempts())
                .as("attempts of the first delivery")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void a_message_handed_to_the_channel_again_reaches_the_provider_no_more() throws Exception {
        assertAccepted(fixture.deliver(1, "contract-dup-1", "Hello there"));
        awaitSentTo(1, "You said: Hello there");
        cx.awaitIdle(WAIT);
        OutboundMessage first = handedOut.stream()
                .filter(m -> m.text().contains("You said: Hello there"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("the outbox never handed the reply to the channel"));
        int before = fixture.sent().size();

        // what the outbox does after a crash between sending and marking the message sent
        fixture.channel().send(first);
        fixture.channel().send(first);

        assertThat(fixture.sent().size() - before)
                .as("messages the provider received again")
                .isZero();
    }

    @Test
    void a_long_reply_reaches_the_provider_within_the_channels_length_limit() throws Exception {
        ChannelCapabilities caps = fixture.channel().capabilities();
        assumeTrue(
                caps.maxTextLength() <= PRACTICAL_LENGTH,
                "the channel shows replies of any practical length (limit " + caps.maxTextLength() + ")");

        assertAccepted(fixture.deliver(1, "contract-long-1", ASK_FOR_EVERYTHING));

        String answer = longAnswer(caps.maxTextLength());
        await().atMost(WAIT).until(() -> textsTo(1).stream().anyMatch(t -> t.contains("Sentence 1 ")));
        cx.awaitIdle(WAIT);
        List<String> parts = textsTo(1);
        assertThat(parts).allSatisfy(p -> assertThat(p.length())
                .as("length of a part (limit %d)", caps.maxTextLength())
                .isLessThanOrEqualTo(caps.maxTextLength()));
        String joined = normalize(String.join(" ", parts));
        // "..." where "…" would cost more (an SMS in GSM-7)
        String shortened = joined.replaceFirst("(…|\\.\\.\\.)$", "").strip();
        assertThat(normalize(answer))
                .as("what the customer received reads as the answer")
                .startsWith(shortened);
    }

    @Test
    void after_a_handoff_the_agents_reply_reaches_the_customer() throws Exception {
        assertAccepted(fixture.deliver(1, "contract-human-1", ASK_FOR_HUMAN));

        await().atMost(WAIT).until(() -> !helpdesk.tickets().isEmpty());
        Session s = onlySessionOf(1);
        await().atMost(WAIT).until(() -> cx.session(s.id()).orElseThrow().state() == SessionState.HANDED_OFF);
        assumeTrue(fixture.reachesCustomerLater(), "the channel cannot reach the customer after the turn");

        helpdesk.agent().agentReplied(s.ticket(), "agent-7", "Hi, this is Sam from the support team.", "agent-msg-1");

        awaitSentTo(1, "Hi, this is Sam from the support team.");
    }

    // --- what the suite's responder says

    private Reply respond(ResponderRequest request) {
        String text = request.message().text();
        if (text.contains(ASK_FOR_HUMAN)) {
            return Reply.noAnswer(HandoffReason.EXPLICIT_REQUEST, "the customer asked for a person", Map.of());
        }
        if (text.contains(ASK_FOR_EVERYTHING)) {
            return Reply.answer(longAnswer(request.capabilities().maxTextLength()), 1.0, List.of(), "long", Map.of());
        }
        return Reply.answer("You said: " + text, 1.0, List.of(), "contract echo", Map.of());
    }

    /** Plain sentences, two and a half times the limit (at most 25,000 characters). */
    private static String longAnswer(int limit) {
        int length = (int) Math.min(PRACTICAL_LENGTH * 5L / 2, limit * 5L / 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 1; sb.length() < length; i++) {
            sb.append("Sentence ").append(i).append(" of the return policy explains one more rule. ");
        }
        return sb.toString().strip();
    }

    // --- helpers

    /** The channel as OpenCX sees it, noting every message the outbox hands it. */
    private static class ObservedChannel implements Channel {
        final Channel channel;
        private final List<OutboundMessage> handedOut;

        ObservedChannel(Channel channel, List<OutboundMessage> handedOut) {
            this.channel = channel;
            this.handedOut = handedOut;
        }

        @Override
        public ChannelId id() {
            return channel.id();
        }

        @Override
        public ChannelCapabilities capabilities() {
            return channel.capabilities();
        }

        @Override
        public void start(ChannelContext context) {
            channel.start(context);
        }

        @Override
        public List<IdentityType> answersOn() {
            return channel.answersOn();
        }

        @Override
        public DeliveryReceipt send(OutboundMessage message) {
            DeliveryReceipt receipt = channel.send(message);
            handedOut.add(message);
            return receipt;
        }

        @Override
        public void sessionChanged(Session session) {
            channel.sessionChanged(session);
        }

        @Override
        public void close() {
            channel.close();
        }
    }

    private static final class ObservedStreamingChannel extends ObservedChannel implements StreamingChannel {
        ObservedStreamingChannel(StreamingChannel channel, List<OutboundMessage> handedOut) {
            super(channel, handedOut);
        }

        @Override
        public void partialReply(PartialReply partial) {
            ((StreamingChannel) channel).partialReply(partial);
        }
    }

    private static void assertAccepted(int status) {
        assertThat(status).as("status the channel answered the provider").isBetween(200, 299);
    }

    private void awaitSentTo(int customer, String text) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(25)).untilAsserted(() -> assertThat(textsTo(customer))
                .as("messages to customer %d", customer)
                .anyMatch(t -> t.contains(text)));
    }

    private List<String> textsTo(int customer) {
        Identity who = fixture.customer(customer);
        return fixture.sent().stream()
                .filter(s -> s.recipient().equals(who))
                .map(Sent::text)
                .collect(Collectors.toList());
    }

    private Session onlySessionOf(int customer) {
        Contact c = cx.store()
                .findContact(fixture.customer(customer))
                .orElseThrow(() -> new AssertionError("no contact for customer " + customer));
        List<Session> sessions = cx.store().sessionsOfContact(c.id());
        assertThat(sessions).as("sessions of customer %d", customer).hasSize(1);
        return sessions.get(0);
    }

    private List<String> receivedTexts(Session s) {
        return events(s, MessageReceived.class).stream()
                .map(m -> m.message().text())
                .collect(Collectors.toList());
    }

    private <T> List<T> events(Session s, Class<T> type) {
        return cx.events(s.id()).stream()
                .map(SessionEvent::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .collect(Collectors.toList());
    }

    private void assertNothingStored() {
        assertThat(cx.store().sessions(SessionQuery.inStates(SessionState.values())))
                .as("sessions stored")
                .isEmpty();
        assertThat(cx.store().findContact(fixture.customer(9)))
                .as("contact of the sender")
                .isEmpty();
    }

    private static String question(String reply) {
        int at = reply.indexOf("You said: ");
        return reply.substring(at + "You said: ".length()).strip();
    }

    private static String normalize(String s) {
        return s.replaceAll("\\s+", " ").strip();
    }
}
