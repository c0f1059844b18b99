package dev.opencx.channel.twilio.voice;

import static dev.opencx.channel.twilio.voice.VoiceRig.BASE;
import static dev.opencx.channel.twilio.voice.VoiceRig.DESK;
import static dev.opencx.channel.twilio.voice.VoiceRig.MOUNT;
import static dev.opencx.channel.twilio.voice.VoiceRig.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.opencx.channel.twilio.voice.VoiceRig.TestCall;
import dev.opencx.channel.twilio.voice.VoiceRig.Twiml;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.DeliveryFailed;
import dev.opencx.event.DeliveryUpdated;
import dev.opencx.event.HandoffRequested;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionClosed;
import dev.opencx.event.SessionEvent;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.handoff.HandoffTicket;
import dev.opencx.responder.Reply;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Whole calls through the real pipeline, driven the way Twilio drives them. */
class TwilioVoiceCallTest {
    private static final String CALLER = "+14158675309";

    @Test
    void answers_a_call_with_a_spoken_greeting_that_listens_for_speech_and_keys() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("unused"))) {
            TestCall call = rig.call(CALLER);
            Twiml t = call.ring();

            assertThat(t.verbs()).containsExactly("Gather", "Redirect");
            assertThat(t.at("/Response/Gather/@input")).isEqualTo("speech dtmf");
            assertThat(t.at("/Response/Gather/@action")).isEqualTo(BASE + MOUNT + "/turn?n=1");
            assertThat(t.at("/Response/Gather/@method")).isEqualTo("POST");
            assertThat(t.at("/Response/Gather/@speechTimeout")).isEqualTo("auto");
            assertThat(t.at("/Response/Gather/@language")).isEqualTo("en-US");
            assertThat(t.at("/Response/Gather/Say/@language")).isEqualTo("en-US");
            assertThat(t.said()).containsExactly("Hello, thanks for calling. How can I help you today?");
            assertThat(t.at("/Response/Redirect")).isEqualTo(BASE + MOUNT + "/no-input?n=1");

            Session s = call.session();
            assertThat(s.state()).isEqualTo(SessionState.AI_ACTIVE);
            assertThat(s.channel().value()).isEqualTo("phone");
            assertThat(rig.cx
                            .sessionAccess()
                            .contact(s.contactId())
                            .orElseThrow()
                            .identities())
                    .contains(Identity.phone(CALLER));
        }
    }

    @Test
    void a_whole_call_speaks_the_ai_answer_and_closes_the_session_when_the_caller_hangs_up() {
        try (VoiceRig rig = VoiceRig.start(
                req -> answer(
                        "**Refunds** reach your card within *five* business days. Details: [our returns page](https://shop.example/returns)"))) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml t = call.say("How long does a refund take?", "0.92");

            assertThat(t.verbs()).containsExactly("Gather", "Redirect");
            assertThat(t.said())
                    .containsExactly("Refunds reach your card within five business days. Details: our returns page");
            assertThat(t.at("/Response/Gather/@action")).isEqualTo(BASE + MOUNT + "/turn?n=2");
            Session s = call.session();
            List<SessionEvent> log = rig.events(s.id());
            assertThat(log)
                    .extracting(SessionEvent::payload)
                    .filteredOn(MessageReceived.class::isInstance)
                    .extracting(
                            p -> ((MessageReceived) p).message().text(),
                            p -> ((MessageReceived) p).message().externalId())
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("How long does a refund take?", call.callSid + ":1"));
            assertThat(log)
                    .extracting(SessionEvent::payload)
                    .filteredOn(DeliveryUpdated.class::isInstance)
                    .extracting(p -> ((DeliveryUpdated) p).state(), p -> ((DeliveryUpdated) p).providerStatus())
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(DeliveryUpdated.State.DELIVERED, "spoken"));

            assertThat(call.hangUp("completed").status()).isEqualTo(204);

            Session closed = rig.cx.session(s.id()).orElseThrow();
            assertThat(closed.state()).isEqualTo(SessionState.CLOSED);
            assertThat(rig.events(s.id()))
                    .extracting(SessionEvent::payload)
                    .contains(new SessionClosed("caller hung up"));
        }
    }

    @Test
    void a_call_handed_off_by_the_ai_is_dialled_through_and_keeps_its_transcript() {
        try (VoiceRig rig = VoiceRig.start(
                req -> Reply.noAnswer(HandoffReason.MISSING_KNOWLEDGE, "nothing on warranties", Map.of()))) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml t = call.say("My blender broke, is it under warranty?", "0.88");

            Session s = call.session();
            assertThat(t.verbs()).containsExactly("Say", "Dial");
            assertThat(t.said())
                    .containsExactly("I'm connecting you to a person now. Your ticket number is "
                            + String.join(
                                    " ", String.valueOf(s.ticket().value()).split("")) + ".");
            assertThat(t.at("/Response/Dial/@action")).startsWith(BASE + MOUNT + "/dial-done?n=");
            assertThat(t.at("/Response/Dial/@timeout")).isEqualTo("20");
            assertThat(t.at("/Response/Dial/Number")).isEqualTo(DESK);
            assertThat(s.state()).isEqualTo(SessionState.HANDED_OFF);
            assertThat(rig.events(s.id())).extracting(SessionEvent::payload).anySatisfy(p -> assertThat(p)
                    .isInstanceOf(HandoffRequested.class));
            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.helpdesk.ticket(s.ticket()).isPresent());
            HandoffTicket ticket = rig.helpdesk.ticket(s.ticket()).orElseThrow();
            assertThat(ticket.transcript())
                    .extracting(m -> m.text())
                    .contains("My blender broke, is it under warranty?");

            Twiml after = call.dialEnded("no-answer");

            assertThat(after.verbs()).containsExactly("Say", "Say", "Hangup");
            assertThat(after.said().get(0))
                    .startsWith("Sorry, no one is available")
                    .contains("ticket number");
            assertThat(after.said().get(1)).isEqualTo("Thank you for calling. Goodbye.");
            call.hangUp("completed");
            assertThat(rig.cx.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.CLOSED);
        }
    }

    @Test
    void a_caller_waiting_in_the_queue_hears_what_the_agent_writes() {
        try (VoiceRig rig = VoiceRig.start(
                b -> b.handoffTo(HandoffTarget.queue("support")),
                req -> Reply.noAnswer(HandoffReason.EXPLICIT_REQUEST, "asked for a person", Map.of()))) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml t = call.say("I want to talk to someone about my invoice", "0.9");

            assertThat(t.verbs()).containsExactly("Say", "Enqueue");
            assertThat(t.at("/Response/Enqueue")).isEqualTo("support");
            assertThat(t.at("/Response/Enqueue/@waitUrl")).isEqualTo(BASE + MOUNT + "/hold");
            assertThat(t.at("/Response/Enqueue/@action")).startsWith(BASE + MOUNT + "/dial-done?n=");
            Session s = call.session();
            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.helpdesk.ticket(s.ticket()).isPresent());

            assertThat(call.onHold().verbs()).containsExactly("Pause");
            rig.helpdesk
                    .agent()
                    .agentReplied(
                            s.ticket(), "maria", "Hi, this is **Maria**. I'm looking at your invoice now.", "zd-1");
            await().atMost(VoiceRig.WAIT).until(() -> rig.events(s.id()).stream()
                    .anyMatch(e -> e.payload() instanceof dev.opencx.event.MessageDelivered));

            Twiml hold = call.onHold();

            assertThat(hold.verbs()).containsExactly("Say", "Pause");
            assertThat(hold.said()).containsExactly("Hi, this is Maria. I'm looking at your invoice now.");
            assertThat(rig.events(s.id()))
                    .extracting(SessionEvent::payload)
                    .filteredOn(DeliveryUpdated.class::isInstance)
                    .extracting(p -> ((DeliveryUpdated) p).providerStatus())
                    .contains("spoken");

            Twiml after = call.queueEnded("bridged");

            assertThat(after.verbs()).containsExactly("Say", "Hangup");
            assertThat(after.said()).containsExactly("Thank you for calling. Goodbye.");
        }
    }

    @Test
    void low_confidence_speech_is_asked_again_and_never_reaches_the_ai() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("should not be asked"))) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml t = call.say("blurry words", "0.21");

            assertThat(t.verbs()).containsExactly("Gather", "Redirect");
            assertThat(t.said()).containsExactly("Sorry, I'm not sure I understood. Could you say that again?");
            assertThat(rig.responderCalls.get()).isZero();
            assertThat(rig.events(call.session().id()))
                    .extracting(SessionEvent::payload)
                    .noneMatch(MessageReceived.class::isInstance);

            Twiml clear = call.say("Where is my parcel?", "0.83");
            assertThat(clear.said()).containsExactly("should not be asked");
            assertThat(rig.responderCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void silence_is_asked_about_twice_then_the_keypad_menu_then_a_person() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("unused"))) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml first = call.silence();
            Twiml second = call.silence();
            Twiml menu = call.silence();

            assertThat(first.said()).containsExactly("Sorry, I didn't hear anything. How can I help you?");
            assertThat(second.said()).containsExactly("Sorry, I didn't hear anything. How can I help you?");
            assertThat(menu.verbs()).containsExactly("Gather", "Redirect");
            assertThat(menu.at("/Response/Gather/@input")).isEqualTo("dtmf");
            assertThat(menu.at("/Response/Gather/@numDigits")).isEqualTo("1");
            assertThat(menu.at("/Response/Gather/@action")).startsWith(BASE + MOUNT + "/menu?n=");
            assertThat(menu.said())
                    .containsExactly(
                            "I'm having trouble understanding you. To talk to a person, press 1. To try again, press 2.");
            assertThat(rig.responderCalls.get()).isZero();

            Twiml transfer = call.press("1");

            assertThat(transfer.verbs()).containsExactly("Say", "Dial");
            assertThat(transfer.at("/Response/Dial/Number")).isEqualTo(DESK);
            Session s = call.session();
            // the choice is in the transcript, and the pipeline hands the session off with it
            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.cx.session(s.id()).orElseThrow().state() == SessionState.HANDED_OFF);
            assertThat(rig.events(s.id()))
                    .extracting(SessionEvent::payload)
                    .filteredOn(HandoffRequested.class::isInstance)
                    .extracting(p -> ((HandoffRequested) p).reason())
                    .containsExactly(HandoffReason.EXPLICIT_REQUEST);
            assertThat(rig.responderCalls.get()).isZero();
        }
    }

    @Test
    void the_keypad_menu_without_an_answer_transfers_and_2_listens_again() {
        try (VoiceRig rig = VoiceRig.start(b -> b.maxReprompts(0), req -> answer("Sure, the store opens at nine."))) {
            TestCall call = rig.call(CALLER);
            call.ring();
            assertThat(call.silence().at("/Response/Gather/@input")).isEqualTo("dtmf");

            Twiml again = call.press("2");

            assertThat(again.at("/Response/Gather/@input")).isEqualTo("speech dtmf");
            assertThat(again.said()).containsExactly("OK, let's try again. How can I help you?");
            assertThat(call.say("When do you open?", "0.9").said()).containsExactly("Sure, the store opens at nine.");

            assertThat(call.silence().at("/Response/Gather/@input")).isEqualTo("dtmf");
            Twiml transfer = call.redirect(); // nothing pressed either

            assertThat(transfer.verbs()).containsExactly("Say", "Dial");
        }
    }

    @Test
    void a_retried_turn_webhook_is_processed_once_and_answered_the_same() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("Your order ships tomorrow."))) {
            TestCall call = rig.call(CALLER);
            call.ring();
            String route = call.gatherAction();
            String body = call.speech("When does my order ship?", "0.9");

            VoiceRig.Resp first = rig.post(route, body, "I-Twilio-Idempotency-Token", "tok-7f3a");
            VoiceRig.Resp retry = rig.post(route, body, "I-Twilio-Idempotency-Token", "tok-7f3a");
            VoiceRig.Resp retryWithoutToken = rig.post(route, body);

            assertThat(first.twiml().said()).containsExactly("Your order ships tomorrow.");
            assertThat(retry.body()).isEqualTo(first.body());
            assertThat(retryWithoutToken.body()).isEqualTo(first.body());
            assertThat(rig.responderCalls.get()).isEqualTo(1);
            assertThat(rig.events(call.session().id()))
                    .extracting(SessionEvent::payload)
                    .filteredOn(MessageReceived.class::isInstance)
                    .hasSize(1);
        }
    }

    @Test
    void a_retried_incoming_call_opens_one_session() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("unused"))) {
            TestCall call = rig.call(CALLER);
            String body = VoiceRig.form("incoming-call.form", call.vars());

            VoiceRig.Resp a = rig.post("/incoming", body);
            VoiceRig.Resp b = rig.post("/incoming", body);

            assertThat(b.body()).isEqualTo(a.body());
            assertThat(rig.sessions()).hasSize(1);
        }
    }

    @Test
    void a_forged_or_missing_signature_is_refused_and_nothing_is_stored() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("unused"))) {
            TestCall call = rig.call(CALLER);
            String body = VoiceRig.form("incoming-call.form", call.vars());
            String tampered = body.replace("ringing", "in-progress");

            assertThat(rig.postRaw("/incoming", body, "application/x-www-form-urlencoded")
                            .status())
                    .isEqualTo(401);
            assertThat(rig.postRaw(
                                    "/incoming",
                                    tampered,
                                    "application/x-www-form-urlencoded",
                                    "X-Twilio-Signature",
                                    VoiceRig.sign("/incoming", body))
                            .status())
                    .isEqualTo(401);
            assertThat(rig.postRaw(
                                    "/incoming",
                                    body,
                                    "application/x-www-form-urlencoded",
                                    "X-Twilio-Signature",
                                    dev.opencx.channel.twilio.TwilioSignature.of("another-token")
                                            .sign(BASE + MOUNT + "/incoming", dev.opencx.connect.FormBody.parse(body)))
                            .status())
                    .isEqualTo(401);
            // signed for another URL (a proxy that rewrites the host must be configured as publicBaseUrl)
            assertThat(rig.postRaw(
                                    "/incoming",
                                    body,
                                    "application/x-www-form-urlencoded",
                                    "X-Twilio-Signature",
                                    VoiceRig.sign("/turn?n=1", body))
                            .status())
                    .isEqualTo(401);
            VoiceRig.Resp turn = rig.postRaw(
                    "/turn?n=1",
                    call.speech("hello", "0.9"),
                    "application/x-www-form-urlencoded",
                    "X-Twilio-Signature",
                    "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
            assertThat(turn.status()).isEqualTo(401);
            assertThat(turn.body()).contains("invalid_signature");

            assertThat(rig.sessions()).isEmpty();
            assertThat(rig.cx.sessionAccess().findContact(Identity.phone(CALLER)))
                    .isEmpty();
        }
    }

    @Test
    void a_malformed_webhook_is_a_400_with_a_reason_and_stores_nothing() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("unused"))) {
            TestCall call = rig.call(CALLER);
            String noCallSid = "From=%2B14158675309&To=%2B18005551212&CallStatus=ringing";
            String badEscape = "CallSid=" + call.callSid + "&From=%ZZ";
            String badConfidence =
                    VoiceRig.form("gather-speech.form", call.vars("SpeechResult", "hi", "Confidence", "very"));

            VoiceRig.Resp a = rig.post("/incoming", noCallSid);
            VoiceRig.Resp b =
                    rig.postRaw("/incoming", badEscape, "application/x-www-form-urlencoded", "X-Twilio-Signature", "x");
            VoiceRig.Resp c = rig.post("/turn?n=1", badConfidence);
            VoiceRig.Resp d = rig.post("/turn?n=abc", call.speech("hi", "0.9"));
            VoiceRig.Resp e = rig.postRaw("/incoming", "{\"CallSid\":\"" + call.callSid + "\"}", "application/json");

            assertThat(List.of(a, b, c, d, e)).extracting(VoiceRig.Resp::status).containsOnly(400);
            assertThat(a.body()).contains("missing_call_sid");
            assertThat(b.body()).contains("malformed_form");
            assertThat(c.body()).contains("bad_confidence").contains("Confidence must be a number from 0 to 1");
            assertThat(d.body()).contains("bad_query");
            assertThat(e.body()).contains("not_a_form");
            assertThat(rig.sessions()).isEmpty();
        }
    }

    @Test
    void a_reply_that_takes_longer_than_the_wait_is_fetched_after_one_moment_please() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (VoiceRig rig =
                VoiceRig.start(b -> b.replyWait(Duration.ofMillis(500)).maxWaits(10), req -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return answer("Your balance is twelve dollars.");
                })) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml t = call.say("What is my balance?", "0.9");

            assertThat(t.verbs()).containsExactly("Say", "Redirect");
            assertThat(t.said()).containsExactly("One moment, please.");
            assertThat(t.at("/Response/Redirect"))
                    .startsWith(BASE + MOUNT + "/wait?n=")
                    .contains("&w=1");
            Twiml silent = call.redirect();
            assertThat(silent.verbs()).containsExactly("Redirect"); // waits again without repeating itself
            release.countDown();

            Twiml reply = call.redirect();
            for (int i = 0; i < 8 && reply.verbs().equals(List.of("Redirect")); i++) {
                reply = call.redirect(); // a loaded machine may need another wait
            }

            assertThat(reply.verbs()).containsExactly("Gather", "Redirect");
            assertThat(reply.said()).containsExactly("Your balance is twelve dollars.");
            assertThat(rig.responderCalls.get()).isEqualTo(1);
        }
    }

    @Test
    void a_reply_later_than_every_wait_is_spoken_at_the_calls_next_answer() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (VoiceRig rig =
                VoiceRig.start(b -> b.replyWait(Duration.ofSeconds(2)).maxWaits(0), req -> {
                    if (req.message().text().contains("balance")) {
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        return answer("Your balance is twelve dollars.");
                    }
                    return answer("We open at nine.");
                })) {
            TestCall call = rig.call(CALLER);
            call.ring();

            Twiml slow = call.say("What is my balance?", "0.9");
            assertThat(slow.verbs()).containsExactly("Gather", "Redirect");
            assertThat(slow.said())
                    .containsExactly(
                            "Sorry, this is taking longer than usual. I'll tell you as soon as I have the answer. Is there anything else meanwhile?");
            release.countDown();
            Session s = call.session();
            await().atMost(VoiceRig.WAIT).until(() -> rig.events(s.id()).stream()
                    .anyMatch(e -> e.payload() instanceof dev.opencx.event.MessageDelivered));

            Twiml next = call.say("When do you open?", "0.9");

            assertThat(next.said()).containsExactly("Your balance is twelve dollars.", "We open at nine.");
        }
    }

    @Test
    void an_agent_reply_after_the_call_ended_fails_in_the_session_log_instead_of_vanishing() {
        try (VoiceRig rig = VoiceRig.start(req -> Reply.noAnswer(HandoffReason.LOW_CONFIDENCE, "unsure", Map.of()))) {
            TestCall call = rig.call(CALLER);
            call.ring();
            call.say("Can I change my delivery address?", "0.9");
            Session s = call.session();
            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.helpdesk.ticket(s.ticket()).isPresent());
            call.hangUp("completed");

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Yes, I changed it for you.", "zd-2");

            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.events(s.id()).stream().anyMatch(e -> e.payload() instanceof DeliveryFailed));
            DeliveryFailed failed = rig.events(s.id()).stream()
                    .map(SessionEvent::payload)
                    .filter(DeliveryFailed.class::isInstance)
                    .map(DeliveryFailed.class::cast)
                    .findFirst()
                    .orElseThrow();
            assertThat(failed.error()).contains("its call has ended");
        }
    }

    @Test
    void what_was_queued_but_never_spoken_is_recorded_as_failed_when_the_caller_hangs_up() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (VoiceRig rig =
                VoiceRig.start(b -> b.replyWait(Duration.ofMillis(200)).maxWaits(0), req -> {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return answer("It is raining.");
                })) {
            TestCall call = rig.call(CALLER);
            call.ring();
            call.say("What is the weather?", "0.9");
            release.countDown();
            Session s = call.session();
            await().atMost(VoiceRig.WAIT).until(() -> rig.events(s.id()).stream()
                    .anyMatch(e -> e.payload() instanceof dev.opencx.event.MessageDelivered));

            call.hangUp("completed");

            assertThat(rig.events(s.id()))
                    .extracting(SessionEvent::payload)
                    .filteredOn(DeliveryUpdated.class::isInstance)
                    .singleElement()
                    .satisfies(p -> {
                        DeliveryUpdated u = (DeliveryUpdated) p;
                        assertThat(u.state()).isEqualTo(DeliveryUpdated.State.FAILED);
                        assertThat(u.error()).isEqualTo("the call ended before it could be spoken");
                        assertThat(u.externalId()).isEqualTo(call.callSid);
                    });
            assertThat(rig.cx.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.CLOSED);
        }
    }

    @Test
    void a_withheld_number_is_an_anonymous_caller_of_that_call_only() {
        try (VoiceRig rig = VoiceRig.start(req -> answer("Hello."))) {
            TestCall one = rig.call("+266696687");
            TestCall two = rig.call("anonymous");
            one.ring();
            two.ring();

            Identity first = rig.cx
                    .sessionAccess()
                    .contact(one.session().contactId())
                    .orElseThrow()
                    .identities()
                    .get(0);
            Identity second = rig.cx
                    .sessionAccess()
                    .contact(two.session().contactId())
                    .orElseThrow()
                    .identities()
                    .get(0);

            assertThat(first.type()).isEqualTo(IdentityType.CUSTOM);
            assertThat(first.value()).isEqualTo("anonymous-call:" + one.callSid);
            assertThat(second.value()).isEqualTo("anonymous-call:" + two.callSid);
            assertThat(one.say("hi", "0.9").said()).containsExactly("Hello.");
        }
    }

    @Test
    void speaks_the_callers_language_and_escapes_what_it_says() {
        try (VoiceRig rig = VoiceRig.start(
                b -> b.callerCountryLanguage("MX", "es-MX").voice("es", "Polly.Mia"),
                req -> answer("Sí: <b>A & B</b> \"5 > 3\" cuesta 10 €."))) {
            TestCall call = rig.call("+525512345678", "MX");

            Twiml t = call.ring();

            assertThat(t.at("/Response/Gather/@language")).isEqualTo("es-MX");
            assertThat(t.at("/Response/Gather/Say/@language")).isEqualTo("es-MX");
            assertThat(t.at("/Response/Gather/Say/@voice")).isEqualTo("Polly.Mia");
            assertThat(t.said()).containsExactly("Hola, gracias por llamar. ¿En qué puedo ayudarle hoy?");
            assertThat(call.session().locale()).isEqualTo("es-MX");

            Twiml reply = call.say("¿Cuánto cuesta?", "0.9");

            assertThat(reply.said()).containsExactly("Sí: A & B \"5 > 3\" cuesta 10 €.");
        }
    }

    @Test
    void an_agent_reply_after_the_call_goes_to_the_after_call_fallback_channel() {
        List<dev.opencx.channel.OutboundMessage> texted = new java.util.concurrent.CopyOnWriteArrayList<>();
        dev.opencx.channel.Channel sms = new dev.opencx.channel.Channel() {
            @Override
            public dev.opencx.conversation.ChannelId id() {
                return dev.opencx.conversation.ChannelId.SMS;
            }

            @Override
            public dev.opencx.channel.ChannelCapabilities capabilities() {
                return dev.opencx.channel.ChannelCapabilities.plainText();
            }

            @Override
            public dev.opencx.channel.DeliveryReceipt send(dev.opencx.channel.OutboundMessage m) {
                texted.add(m);
                return new dev.opencx.channel.DeliveryReceipt("SM0001");
            }
        };
        try (VoiceRig rig = VoiceRig.start(
                b -> b.afterCallFallback(sms),
                req -> Reply.noAnswer(HandoffReason.LOW_CONFIDENCE, "unsure", Map.of()))) {
            TestCall call = rig.call(CALLER);
            call.ring();
            call.say("Can I change my delivery address?", "0.9");
            Session s = call.session();
            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.helpdesk.ticket(s.ticket()).isPresent());
            call.hangUp("completed");

            rig.helpdesk.agent().agentReplied(s.ticket(), "maria", "Yes, I changed it for you.", "zd-3");

            await().atMost(VoiceRig.WAIT).until(() -> !texted.isEmpty());
            assertThat(texted.get(0).text()).isEqualTo("Yes, I changed it for you.");
            assertThat(texted.get(0).recipient()).isEqualTo(Identity.phone(CALLER));
            assertThat(rig.events(s.id()))
                    .extracting(SessionEvent::payload)
                    .noneMatch(DeliveryFailed.class::isInstance);
        }
    }

    @Test
    void after_a_restart_the_call_goes_on_in_its_session_without_reusing_a_message_id() {
        dev.opencx.store.InMemoryConversationStore store;
        TestCall call;
        String sessionId;
        String nextTurn;
        try (VoiceRig first = VoiceRig.start(req -> answer("We open at nine."))) {
            store = first.store;
            call = first.call(CALLER);
            call.ring();
            nextTurn = call.say("When do you open?", "0.9").at("/Response/Gather/@action");
            sessionId = call.session().id();
        }
        try (VoiceRig second = VoiceRig.restart(store, req -> answer("We close at five."))) {
            TestCall same = new TestCall(second, call.callSid, CALLER, "US");
            same.last = call.last;

            Twiml t = same.say("And when do you close?", "0.9");

            assertThat(t.said()).containsExactly("We close at five.");
            assertThat(same.session().id()).isEqualTo(sessionId);
            assertThat(Twiml.route(t.at("/Response/Gather/@action"))).isEqualTo("/turn?n=3");
            assertThat(second.events(sessionId))
                    .extracting(SessionEvent::payload)
                    .filteredOn(MessageReceived.class::isInstance)
                    .extracting(p -> ((MessageReceived) p).message().externalId())
                    .containsExactly(call.callSid + ":1", call.callSid + ":2");
            assertThat(nextTurn).endsWith("/turn?n=2");
        }
    }

    @Test
    void a_hang_up_while_a_webhook_waits_answers_it_with_a_hangup() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        try (VoiceRig rig = VoiceRig.start(b -> b.replyWait(Duration.ofSeconds(10)), req -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return answer("late");
        })) {
            TestCall call = rig.call(CALLER);
            call.ring();
            java.util.concurrent.CompletableFuture<VoiceRig.Resp> waiting =
                    java.util.concurrent.CompletableFuture.supplyAsync(
                            () -> rig.post(call.gatherAction(), call.speech("Is my order late?", "0.9")));
            Session s = call.session();
            await().atMost(VoiceRig.WAIT)
                    .until(() -> rig.events(s.id()).stream().anyMatch(e -> e.payload() instanceof MessageReceived));

            call.hangUp("completed");

            Twiml t = waiting.get(10, java.util.concurrent.TimeUnit.SECONDS).twiml();
            assertThat(t.verbs()).containsExactly("Hangup");
            assertThat(rig.cx.session(s.id()).orElseThrow().state()).isEqualTo(SessionState.CLOSED);
            release.countDown();
        }
    }

    @Test
    void thirty_turns_of_one_call_each_get_their_own_reply_in_order() {
        try (VoiceRig rig = VoiceRig.start(
                req -> answer("Answer to question " + req.message().text().replaceAll("\\D", "") + "."))) {
            TestCall call = rig.call(CALLER);
            call.ring();
            long[] micros = new long[30];
            for (int i = 0; i < 30; i++) {
                long t0 = System.nanoTime();
                Twiml t = call.say("Question " + i, "0.9");
                micros[i] = (System.nanoTime() - t0) / 1000;
                assertThat(t.said()).containsExactly("Answer to question " + i + ".");
            }
            long cold = micros[0];
            long[] warm = java.util.Arrays.copyOfRange(micros, 1, micros.length);
            java.util.Arrays.sort(warm);
            System.out.printf(
                    "voice turn webhook -> TwiML with the AI reply: first (cold) %.1f ms; next 29: p50 %.1f ms, max %.1f ms%n",
                    cold / 1000.0, warm[14] / 1000.0, warm[28] / 1000.0);
            assertThat(rig.events(call.session().id()))
                    .extracting(SessionEvent::payload)
                    .filteredOn(MessageReceived.class::isInstance)
                    .hasSize(30);
        }
    }
}
