package dev.opencx.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.OpenCx;
import dev.opencx.action.http.ActionExecutor;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.event.ActionAnswered;
import dev.opencx.event.ActionCalled;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.ReplySent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiVault;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import dev.opencx.responder.llm.LlmResponder;
import dev.opencx.store.EventCodec;
import dev.opencx.test.RecordingChannel;
import dev.opencx.test.RecordingHelpdesk;
import dev.opencx.test.ScriptedChatModel;
import dev.opencx.test.SessionLog;
import dev.opencx.test.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.junit5.StartStop;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An action that requires confirmation, across turns: the model's call becomes a proposal with the
 * filled values, and only the customer's explicit yes in the next message sends the request (to a
 * MockWebServer as the customer's API). No, silence, a late yes or another question send nothing.
 */
class ConfirmationFlowTest {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Identity ANA = Identity.email("ana@example.com");
    static final ObjectMapper JSON = new ObjectMapper();

    @StartStop
    private final MockWebServer server = new MockWebServer();

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final ScriptedChatModel model = new ScriptedChatModel();
    private final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
    private RecordingChannel channel = new RecordingChannel(ChannelId.API);

    @AfterEach
    void closeAll() throws Exception {
        model.release();
        Collections.reverse(toClose);
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    private Action cancelOrder() {
        return Action.builder("cancel_order")
                .description("Cancel an order that has not shipped yet")
                .post("/orders/{order_id}/cancel")
                .baseUrl(server.url("/api").toString())
                .pathParam("order_id", "The order number")
                .bodyProperty("reason", JsonSchemas.string(), false, "Why")
                .bodyProperty("customer_email", JsonSchemas.string(), true, "The customer's e-mail")
                .contactBound("customer_email", BoundSource.CONTACT_EMAIL)
                .requiresConfirmation()
                .acceptsIdempotencyKey()
                .replyTemplate("Order {order_id} is cancelled; the refund of {/refund} is on its way.")
                .build();
    }

    private OpenCx start(boolean pii) {
        ActionExecutor executor = ActionExecutor.builder()
                .maxAttempts(3)
                .backoff(Duration.ofMillis(1), Duration.ofMillis(5))
                .build();
        toClose.add(executor);
        OpenCx.Builder b = OpenCx.builder()
                .channel(channel)
                .clock(clock)
                .helpdesk(new RecordingHelpdesk())
                .responder(LlmResponder.builder().chatModel(model))
                .actions(ActionRegistry.of(cancelOrder()), executor)
                .pendingActionTtl(Duration.ofMinutes(10))
                .outboxRetries(3, Duration.ofMillis(10), Duration.ofMillis(50));
        if (pii) {
            b.pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults()).piiVault(PiiVault.aesGcm(PiiVault.newKey()));
        }
        OpenCx cx = b.build();
        toClose.add(cx);
        return cx;
    }

    private String say(OpenCx cx, String text) {
        String session = channel.receive(ANA, text).join().sessionId();
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        return session;
    }

    private String lastText() {
        List<String> texts = channel.texts();
        return texts.get(texts.size() - 1);
    }

    /** The model asks to cancel order 1042; the reply proposes it. */
    private String proposeCancel(OpenCx cx) {
        model.toolCall("cancel_order", "{\"order_id\":\"1042\",\"reason\":\"ordered twice\"}");
        String session = say(cx, "Please cancel order 1042, I ordered it twice.");
        assertThat(lastText())
                .contains("Cancel an order that has not shipped yet", "order id: 1042", "ordered twice", "yes or no");
        assertThat(server.getRequestCount()).isZero();
        return session;
    }

    @Test
    void an_explicit_yes_in_the_next_message_makes_the_call_with_the_proposed_values() throws Exception {
        OpenCx cx = start(false);
        String session = proposeCancel(cx);
        ReplySent proposal = SessionLog.of(cx, session, ReplySent.class).get(0);
        assertThat(proposal.pending()).isNotNull();
        assertThat(proposal.pending().action()).isEqualTo("cancel_order");
        assertThat(proposal.pending().awaitsConfirmation()).isTrue();

        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"status\":\"cancelled\",\"refund\":\"$42.00\"}")
                .build());
        say(cx, "Yes please!");

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/api/orders/1042/cancel");
        JsonNode body = JSON.readTree(request.getBody().utf8());
        assertThat(body.path("reason").asText()).isEqualTo("ordered twice");
        assertThat(body.path("customer_email").asText()).isEqualTo("ana@example.com");
        assertThat(request.getHeaders().get("Idempotency-Key"))
                .isEqualTo(proposal.pending().id());
        assertThat(lastText()).isEqualTo("Order 1042 is cancelled; the refund of $42.00 is on its way.");
        assertThat(model.requests()).hasSize(1); // the yes was handled without the model

        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("confirmed");
        ActionCalled called = SessionLog.of(cx, session, ActionCalled.class).get(0);
        assertThat(called.trigger()).isEqualTo("confirmation");
        assertThat(called.outcome()).isEqualTo("ok");
        assertThat(called.status()).isEqualTo(200);
        assertThat(called.idempotencyKey()).isEqualTo(proposal.pending().id());
        assertThat(called.request()).startsWith("POST ").contains("/api/orders/1042/cancel");
        // nothing stays open after the call
        assertThat(SessionLog.of(cx, session, ReplySent.class).get(1).pending()).isNull();
    }

    @Test
    void a_retried_confirmed_call_keeps_its_idempotency_key() throws Exception {
        OpenCx cx = start(false);
        String session = proposeCancel(cx);
        server.enqueue(new MockResponse.Builder().code(503).build());
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"refund\":\"$42.00\"}")
                .build());

        say(cx, "yes");

        String first = server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Idempotency-Key");
        String second = server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("Idempotency-Key");
        assertThat(first).isNotBlank().isEqualTo(second);
        assertThat(SessionLog.of(cx, session, ActionCalled.class).get(0).attempts())
                .isEqualTo(2);
        assertThat(lastText()).contains("cancelled");
    }

    @Test
    void no_cancels_and_sends_nothing() {
        OpenCx cx = start(false);
        String session = proposeCancel(cx);

        say(cx, "No, don't.");

        assertThat(server.getRequestCount()).isZero();
        assertThat(lastText()).startsWith("OK, I won't do that.");
        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("declined");
        assertThat(SessionLog.of(cx, session, ActionCalled.class)).isEmpty();
        // a later yes confirms nothing: the proposal is gone
        say(cx, "yes");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void a_no_that_asks_for_a_person_cancels_and_hands_off() {
        OpenCx cx = start(false);
        String session = proposeCancel(cx);

        say(cx, "no, I want to talk to a real person");

        assertThat(server.getRequestCount()).isZero();
        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("declined");
        assertThat(SessionLog.of(cx, session, HandoffRequested.class))
                .extracting(HandoffRequested::reason)
                .containsExactly(HandoffReason.EXPLICIT_REQUEST);
    }

    @Test
    void a_yes_after_the_proposal_expired_does_nothing_and_says_so() {
        OpenCx cx = start(false);
        String session = proposeCancel(cx);
        clock.advance(Duration.ofMinutes(11));

        say(cx, "yes");

        assertThat(server.getRequestCount()).isZero();
        assertThat(lastText()).contains("expired");
        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("expired");
    }

    @Test
    void a_yes_with_conditions_or_another_question_is_not_a_confirmation() {
        OpenCx cx = start(false);
        String session = proposeCancel(cx);
        model.answer("Sure, which address should I use instead?", 0.9);

        say(cx, "yes but ship the other one to my office instead");

        assertThat(server.getRequestCount()).isZero();
        assertThat(SessionLog.of(cx, session, ActionAnswered.class))
                .extracting(ActionAnswered::answer)
                .containsExactly("dropped");
        assertThat(model.requests()).hasSize(2); // the message went to the model as a new request
        assertThat(lastText()).isEqualTo("Sure, which address should I use instead?");
    }

    @Test
    void confirmation_works_on_any_channel() throws Exception {
        channel = new RecordingChannel(ChannelId.of("sms"));
        OpenCx cx = start(false);
        proposeCancel(cx);
        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"refund\":\"$42.00\"}")
                .build());

        say(cx, "ok");

        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
        assertThat(lastText()).startsWith("Order 1042 is cancelled");
    }

    @Test
    void a_refusal_the_customer_can_act_on_is_explained_and_a_server_failure_is_handed_off() throws Exception {
        OpenCx cx = start(false);
        proposeCancel(cx);
        server.enqueue(new MockResponse.Builder()
                .code(409)
                .addHeader("Content-Type", "application/json")
                .body("{\"error\":{\"message\":\"Order 1042 has already shipped\"}}")
                .build());
        say(cx, "yes");
        assertThat(lastText()).contains("Order 1042 has already shipped");

        model.toolCall("cancel_order", "{\"order_id\":\"1043\"}");
        String session = say(cx, "Then cancel order 1043.");
        for (int i = 0; i < 3; i++) {
            server.enqueue(new MockResponse.Builder().code(503).build());
        }
        say(cx, "yes");
        assertThat(SessionLog.of(cx, session, HandoffRequested.class))
                .extracting(HandoffRequested::reason)
                .containsExactly(HandoffReason.ACTION_FAILED);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void with_pii_redaction_the_proposal_stores_placeholders_and_the_api_gets_the_real_values() throws Exception {
        OpenCx cx = start(true);
        model.toolCall("cancel_order", "{\"order_id\":\"1042\",\"reason\":\"moved to [PHONE_1]\"}");
        String session = say(cx, "Cancel order 1042, call me at +1 415 555 0134 about it.");
        ReplySent proposal = SessionLog.of(cx, session, ReplySent.class).get(0);
        assertThat(proposal.pending().arguments()).contains("[PHONE_1]").doesNotContain("555");
        assertThat(channel.texts().get(0)).contains("+1 415 555 0134"); // revealed for the customer

        server.enqueue(new MockResponse.Builder()
                .code(200)
                .addHeader("Content-Type", "application/json")
                .body("{\"refund\":\"$42.00\"}")
                .build());
        say(cx, "yes");

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        JsonNode body = JSON.readTree(request.getBody().utf8());
        // the contact-bound e-mail comes from the verified contact, not the redacted one the model sees
        assertThat(body.path("customer_email").asText()).isEqualTo("ana@example.com");
        assertThat(body.path("reason").asText()).isEqualTo("moved to +1 415 555 0134");
        assertThat(cx.events(session)).allSatisfy(e -> assertThat(EventCodec.toJson(e.payload()))
                .doesNotContain("555 0134")
                .doesNotContain("ana@example.com"));
    }
}
