package dev.opencx.channel.twilio;

import static dev.opencx.channel.twilio.FakeTwilio.encode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.OpenCx;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.MessageDelivered;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.http.WebServer;
import dev.opencx.responder.Reply;
import dev.opencx.test.RecordingHelpdesk;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Whole conversations by SMS through the real pipeline: Twilio posts signed webhooks over HTTP to
 * the embedded server, OpenCX answers or hands off, replies reach the fake Messages API.
 */
class TwilioConversationTest {
    static final String ANA = "+14155550100";
    static final String BEN = "+14155550111";
    static final Duration WAIT = Duration.ofSeconds(20);

    final FakeTwilio twilio = new FakeTwilio();
    final TwilioSmsChannel sms =
            TwilioSmsChannel.builder(twilio.config()).from(FakeTwilio.NUMBER).build();
    final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    final OpenCx cx = OpenCx.builder()
            .channel(sms)
            .helpdesk(helpdesk)
            .responder(req -> {
                String text = req.message().text().toLowerCase(java.util.Locale.ROOT);
                if (text.contains("person")) {
                    return Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "asked for a person", Map.of());
                }
                return Reply.answer(
                        "**Refunds** reach your card within *five* business days: [details](https://shop.example/r)."
                                + " (you said: " + req.message().text() + ")",
                        0.9,
                        List.of(),
                        "test",
                        Map.of());
            })
            .outboxRetries(10, Duration.ofMillis(50), Duration.ofMillis(500))
            .build();
    final WebServer server = WebServer.builder().port(0).mount(sms).build().start();
    final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final AtomicInteger sids = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        server.close();
        cx.close();
        sms.close();
        twilio.close();
    }

    /** Twilio delivers a customer's SMS; returns the HTTP status our server answered. */
    HttpResponse<String> customerTexts(String phone, String text) {
        String sid = String.format("SM%032x", 0xC0000 + sids.incrementAndGet());
        return post("", encode(FakeTwilio.sms(phone, text, sid)));
    }

    HttpResponse<String> post(String belowMount, String body) {
        String mount = sms.mountPath();
        String signedUrl = FakeTwilio.PUBLIC_URL + mount + belowMount;
        try {
            return http.send(
                    HttpRequest.newBuilder(
                                    URI.create(server.uri().toString().replaceAll("/$", "") + mount + belowMount))
                            .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                            .header("X-Twilio-Signature", FakeTwilio.sign(signedUrl, body))
                            .header(TwilioIdempotency.HEADER, UUID.randomUUID().toString())
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Session sessionOf(String phone) {
        return cx.store()
                .sessionsOfContact(cx.store()
                        .findContact(Identity.phone(phone))
                        .orElseThrow()
                        .id())
                .get(0);
    }

    <T> List<T> events(String sessionId, Class<T> type) {
        return cx.events(sessionId).stream()
                .map(SessionEvent::payload)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    @Test
    void a_customer_texts_and_gets_the_ai_answer_by_sms_and_twilio_reports_delivery() {
        HttpResponse<String> ack = customerTexts(ANA, "Where’s my refund?");
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.headers().firstValue("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("text/xml"));
        assertThat(ack.body()).endsWith("<Response/>");

        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(twilio.sent).singleElement().satisfies(s -> {
            assertThat(s.to()).isEqualTo(ANA);
            assertThat(s.from()).isEqualTo(FakeTwilio.NUMBER);
            assertThat(s.body())
                    .isEqualTo("Refunds reach your card within five business days: details"
                            + " (https://shop.example/r). (you said: Where's my refund?)");
        });
        Session session = sessionOf(ANA);
        assertThat(session.channel()).isEqualTo(ChannelId.SMS);
        String sid = twilio.sent.get(0).sid();
        assertThat(events(session.id(), MessageDelivered.class))
                .singleElement()
                .satisfies(d -> assertThat(d.externalId()).isEqualTo(sid));

        // Twilio calls the status callback URL it was given, signed over it, twice for "delivered"
        String callback = twilio.sent.get(0).statusCallback();
        String below = callback.substring((FakeTwilio.PUBLIC_URL + sms.mountPath()).length());
        assertThat(post(below, encode(FakeTwilio.status(sid, "sent", null))).statusCode())
                .isEqualTo(200);
        assertThat(post(below, encode(FakeTwilio.status(sid, "delivered", null)))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(below, encode(FakeTwilio.status(sid, "delivered", null)))
                        .statusCode())
                .isEqualTo(200);
        assertThat(post(below, encode(FakeTwilio.status(sid, "queued", null))).statusCode())
                .isEqualTo(200);

        List<DeliveryUpdated> updates = events(session.id(), DeliveryUpdated.class);
        assertThat(updates)
                .extracting(DeliveryUpdated::state)
                .containsExactly(DeliveryUpdated.State.SENT, DeliveryUpdated.State.DELIVERED);
        String messageId = events(session.id(), MessageDelivered.class).get(0).messageId();
        assertThat(updates).allSatisfy(u -> {
            assertThat(u.messageId()).isEqualTo(messageId);
            assertThat(u.externalId()).isEqualTo(sid);
            assertThat(u.channel()).isEqualTo("sms");
        });
    }

    @Test
    void an_undelivered_status_is_recorded_as_failed_with_twilio_code_and_a_forged_one_is_refused() {
        customerTexts(ANA, "hello");
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        FakeTwilio.Sent sent = twilio.sent.get(0);
        String below = sent.statusCallback().substring((FakeTwilio.PUBLIC_URL + sms.mountPath()).length());
        String forgedBody = encode(FakeTwilio.status(sent.sid(), "failed", "30003"));
        HttpResponse<String> forged = http(below, forgedBody, "bm90IGEgc2lnbmF0dXJl");
        assertThat(forged.statusCode()).isEqualTo(401);

        assertThat(post(below, encode(FakeTwilio.status(sent.sid(), "undelivered", "30003")))
                        .statusCode())
                .isEqualTo(200);

        assertThat(events(sessionOf(ANA).id(), DeliveryUpdated.class))
                .singleElement()
                .satisfies(u -> {
                    assertThat(u.state()).isEqualTo(DeliveryUpdated.State.FAILED);
                    assertThat(u.providerStatus()).isEqualTo("undelivered");
                    assertThat(u.error()).isEqualTo("30003 unreachable destination handset");
                });
    }

    HttpResponse<String> http(String belowMount, String body, String signature) {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(
                                    server.uri().toString().replaceAll("/$", "") + sms.mountPath() + belowMount))
                            .header("Content-Type", "application/x-www-form-urlencoded")
                            .header("X-Twilio-Signature", signature)
                            .POST(HttpRequest.BodyPublishers.ofString(body))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void a_handoff_goes_to_the_helpdesk_and_the_agent_reply_reaches_the_customer_by_sms() {
        assertThat(customerTexts(ANA, "I want to talk to a person").statusCode())
                .isEqualTo(200);
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        Session session = sessionOf(ANA);
        await().atMost(WAIT).until(() -> helpdesk.ticket(session.ticket()).isPresent());
        HandoffTicket ticket = helpdesk.ticket(session.ticket()).orElseThrow();
        assertThat(ticket.transcript()).anySatisfy(m -> assertThat(m.text()).isEqualTo("I want to talk to a person"));
        int noticeCount = twilio.sent.size(); // the handoff notice, by SMS

        helpdesk.agent()
                .agentReplied(session.ticket(), "maria", "Hi, Maria here. Your refund was sent **today**.", "zd-1");

        await().atMost(WAIT).until(() -> twilio.sent.size() > noticeCount);
        FakeTwilio.Sent agentSms = twilio.sent.get(twilio.sent.size() - 1);
        assertThat(agentSms.to()).isEqualTo(ANA);
        assertThat(agentSms.body()).isEqualTo("Hi, Maria here. Your refund was sent today.");

        // the customer's answer now goes to the agent, not to the AI
        assertThat(customerTexts(ANA, "Thanks Maria!").statusCode()).isEqualTo(200);
        await().atMost(WAIT)
                .until(() -> helpdesk.appended().stream().anyMatch(m -> m.text().equals("Thanks Maria!")));
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(twilio.sent).hasSize(noticeCount + 1);
        assertThat(cx.session(session.id()).orElseThrow().state()).isNotEqualTo(SessionState.AI_ACTIVE);
    }

    @Test
    void replies_wait_out_a_twilio_outage_and_arrive_later_in_order() {
        twilio.failNext(1, 429);
        twilio.failNext(2, 500);

        for (int i = 1; i <= 3; i++) {
            assertThat(customerTexts(ANA, "question " + i).statusCode()).isEqualTo(200);
        }
        assertThat(customerTexts(BEN, "other customer").statusCode()).isEqualTo(200);

        await().atMost(WAIT).until(() -> twilio.sent.size() == 4);
        List<String> toAna = twilio.sent.stream()
                .filter(s -> s.to().equals(ANA))
                .map(FakeTwilio.Sent::body)
                .toList();
        assertThat(toAna).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(toAna.get(i)).endsWith("(you said: question " + (i + 1) + ")");
        }
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(twilio.sent).hasSize(4);
        assertThat(twilio.requests.size()).isEqualTo(7); // 3 failed attempts, 4 accepted
    }
}
