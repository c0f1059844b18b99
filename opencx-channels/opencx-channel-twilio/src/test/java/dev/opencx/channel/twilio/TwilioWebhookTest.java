package dev.opencx.channel.twilio;

import static dev.opencx.channel.twilio.FakeTwilio.encode;
import static dev.opencx.channel.twilio.FakeTwilio.sms;
import static dev.opencx.channel.twilio.FakeTwilio.webhook;
import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.OpenCxException;
import dev.opencx.channel.ChannelContext;
import dev.opencx.channel.ReceiveReceipt;
import dev.opencx.conversation.Attachment;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.conversation.Message;
import dev.opencx.conversation.Session;
import dev.opencx.event.MessageReceived;
import dev.opencx.responder.Reply;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The messaging webhook as Twilio calls it: signatures, parsing, dedupe and when Twilio gets its answer. */
class TwilioWebhookTest {
    static final String ANA = "+14155550100";
    static final String SMS = "/webhooks/twilio/sms";
    static final String WA = "/webhooks/twilio/whatsapp";
    static final Duration WAIT = Duration.ofSeconds(10);

    final FakeTwilio twilio = new FakeTwilio();
    final TwilioSmsChannel sms =
            TwilioSmsChannel.builder(twilio.config()).from(FakeTwilio.NUMBER).build();
    final TwilioWhatsAppChannel whatsapp = TwilioWhatsAppChannel.builder(twilio.config())
            .from("whatsapp:+14155238886")
            .build();
    final List<AutoCloseable> toClose = new ArrayList<>(List.of(twilio, sms, whatsapp));

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
    }

    OpenCx cx() {
        OpenCx cx = OpenCx.builder()
                .channel(sms)
                .channel(whatsapp)
                .responder(req -> Reply.answer("ok", 0.9, List.of(), "test", Map.of()))
                .build();
        toClose.add(0, cx);
        return cx;
    }

    static WebResponse answer(WebResponse r) {
        return r.await(WAIT);
    }

    static List<Message> received(OpenCx cx, ChannelId channel, String phone) {
        return cx.store().findContact(Identity.phone(phone)).stream()
                .flatMap(c -> cx.store().sessionsOfContact(c.id()).stream())
                .filter(s -> s.channel().equals(channel))
                .flatMap(s -> cx.events(s.id()).stream())
                .map(e -> e.payload())
                .filter(MessageReceived.class::isInstance)
                .map(p -> ((MessageReceived) p).message())
                .toList();
    }

    @Test
    void stores_a_signed_sms_under_its_message_sid_and_answers_empty_twiml() {
        OpenCx cx = cx();
        String body = encode(sms(ANA, "Where is my order? It’s late", "SM11111111111111111111111111111111"));

        WebResponse r = answer(sms.handler().handle(webhook(SMS, "/", body, "token-1")));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).isEqualTo("text/xml");
        assertThat(r.bodyText()).isEqualTo("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>");
        List<Message> stored = received(cx, ChannelId.SMS, ANA);
        assertThat(stored).singleElement().satisfies(m -> {
            assertThat(m.text()).isEqualTo("Where is my order? It’s late");
            assertThat(m.externalId()).isEqualTo("SM11111111111111111111111111111111");
        });
        Session s = cx.store()
                .sessionsOfContact(cx.store()
                        .findContact(Identity.phone(ANA))
                        .orElseThrow()
                        .id())
                .get(0);
        assertThat(s.channel()).isEqualTo(ChannelId.SMS);
    }

    @Test
    void keeps_mms_media_as_references() {
        OpenCx cx = cx();
        List<Map.Entry<String, String>> form = new ArrayList<>(sms(ANA, "", "MM22222222222222222222222222222222"));
        form.removeIf(e -> e.getKey().equals("NumMedia"));
        form.add(Map.entry("NumMedia", "2"));
        form.add(Map.entry("MediaContentType0", "image/jpeg"));
        form.add(
                Map.entry(
                        "MediaUrl0",
                        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM22222222222222222222222222222222/Media/ME1"));
        form.add(Map.entry("MediaContentType1", "application/pdf"));
        form.add(
                Map.entry(
                        "MediaUrl1",
                        "https://api.twilio.com/2010-04-01/Accounts/AC0123456789abcdef0123456789abcdef/Messages/MM22222222222222222222222222222222/Media/ME2"));

        assertThat(answer(sms.handler().handle(webhook(SMS, "/", encode(form), null)))
                        .status())
                .isEqualTo(200);

        assertThat(received(cx, ChannelId.SMS, ANA)).singleElement().satisfies(m -> {
            assertThat(m.text()).isEmpty();
            assertThat(m.attachments())
                    .extracting(Attachment::contentType)
                    .containsExactly("image/jpeg", "application/pdf");
            assertThat(m.attachments().get(0).url()).endsWith("/Media/ME1");
        });
    }

    @Test
    void whatsapp_strips_the_prefix_to_the_phone_and_keeps_the_profile_name() {
        OpenCx cx = cx();
        String body =
                encode(FakeTwilio.whatsapp(ANA, "Ana Silva", "Olá! *ajuda*", "SM33333333333333333333333333333333"));

        assertThat(answer(whatsapp.handler().handle(webhook(WA, "/", body, null)))
                        .status())
                .isEqualTo(200);

        assertThat(received(cx, ChannelId.WHATSAPP, ANA)).singleElement().satisfies(m -> assertThat(m.text())
                .isEqualTo("Olá! *ajuda*"));
        assertThat(cx.store().findContact(Identity.phone(ANA))).isPresent();
    }

    @Test
    void refuses_unsigned_forged_and_readdressed_webhooks_with_401_and_stores_nothing() {
        OpenCx cx = cx();
        String body = encode(sms(ANA, "hello", "SM44444444444444444444444444444444"));
        WebRequest signed = webhook(SMS, "/", body, null);
        List<WebRequest> bad = List.of(
                // no signature
                WebRequest.builder("POST", "/")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .body(signed.body())
                        .build(),
                // signed with another token
                with(
                        signed,
                        "X-Twilio-Signature",
                        TwilioSignature.of("not-the-token")
                                .sign(FakeTwilio.PUBLIC_URL + SMS, dev.opencx.connect.FormBody.parse(body))),
                // a valid signature replayed with another text
                WebRequest.builder("POST", "/")
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .header(
                                "X-Twilio-Signature",
                                signed.header("X-Twilio-Signature").orElseThrow())
                        .body(body.replace("hello", "send+me+the+refund").getBytes(StandardCharsets.UTF_8))
                        .build(),
                // a signature for the WhatsApp URL replayed to the SMS one
                with(signed, "X-Twilio-Signature", FakeTwilio.sign(FakeTwilio.PUBLIC_URL + WA, body)));

        for (WebRequest r : bad) {
            WebResponse answer = answer(sms.handler().handle(r));
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.bodyText())
                    .contains("invalid_signature")
                    .doesNotContain("hello")
                    .doesNotContain("4155550100");
        }
        assertThat(cx.store().findContact(Identity.phone(ANA))).isEmpty();
        assertThat(cx.store().isDuplicate(ChannelId.SMS, "SM44444444444444444444444444444444"))
                .isFalse();
    }

    @Test
    void accepts_the_previous_auth_token_while_it_is_rotated() {
        TwilioConfig rotating = TwilioConfig.builder()
                .accountSid(FakeTwilio.ACCOUNT_SID)
                .authToken("fedcba9876543210fedcba9876543210")
                .previousAuthToken(FakeTwilio.AUTH_TOKEN)
                .publicUrl(FakeTwilio.PUBLIC_URL)
                .build();
        TwilioSmsChannel channel =
                TwilioSmsChannel.builder(rotating).from(FakeTwilio.NUMBER).build();
        toClose.add(channel);
        OpenCx cx = OpenCx.builder()
                .channel(channel)
                .responder(req -> Reply.answer("ok", 0.9, List.of(), "t", Map.of()))
                .build();
        toClose.add(0, cx);

        String body = encode(sms(ANA, "hi", "SM55555555555555555555555555555555"));
        assertThat(answer(channel.handler().handle(webhook(SMS, "/", body, null)))
                        .status())
                .isEqualTo(200);
    }

    @Test
    void a_retry_is_processed_once_by_its_idempotency_token_or_its_message_sid() {
        OpenCx cx = cx();
        String body = encode(sms(ANA, "first", "SM66666666666666666666666666666666"));

        assertThat(answer(sms.handler().handle(webhook(SMS, "/", body, "tok-A")))
                        .status())
                .isEqualTo(200);
        assertThat(answer(sms.handler().handle(webhook(SMS, "/", body, "tok-A")))
                        .status())
                .isEqualTo(200); // same token
        assertThat(answer(sms.handler().handle(webhook(SMS, "/", body, "tok-B")))
                        .status())
                .isEqualTo(200); // same sid
        assertThat(answer(sms.handler().handle(webhook(SMS, "/", body, null))).status())
                .isEqualTo(200);

        assertThat(received(cx, ChannelId.SMS, ANA)).hasSize(1);
        assertThat(cx.awaitIdle(WAIT)).isTrue();
        assertThat(twilio.bodies()).containsExactly("ok");
    }

    @Test
    void malformed_webhooks_get_400_with_a_reason_and_store_nothing() {
        OpenCx cx = cx();
        String sid = "SM77777777777777777777777777777777";
        List<Map.Entry<String, String>> noFrom = new ArrayList<>(sms(ANA, "hi", sid));
        noFrom.removeIf(e -> e.getKey().equals("From"));
        List<Map.Entry<String, String>> noSid = new ArrayList<>(sms(ANA, "hi", sid));
        noSid.removeIf(e -> e.getKey().endsWith("Sid") && e.getValue().equals(sid));
        List<Map.Entry<String, String>> badMedia = new ArrayList<>(sms(ANA, "hi", sid));
        badMedia.replaceAll(e -> e.getKey().equals("NumMedia") ? Map.entry("NumMedia", "1") : e);
        List<Map.Entry<String, String>> shortCode = new ArrayList<>(sms("12345", "hi", sid));

        assertThat(answer(sms.handler().handle(webhook(SMS, "/", encode(noFrom), null)))
                        .bodyText())
                .contains("From is missing");
        assertThat(answer(sms.handler().handle(webhook(SMS, "/", encode(noSid), null)))
                        .bodyText())
                .contains("MessageSid is missing");
        assertThat(answer(sms.handler().handle(webhook(SMS, "/", encode(badMedia), null)))
                        .bodyText())
                .contains("MediaUrl0 is missing");
        assertThat(answer(sms.handler().handle(webhook(SMS, "/", encode(shortCode), null)))
                        .bodyText())
                .contains("not an E.164");
        WebResponse badEscape = answer(sms.handler().handle(raw("From=%2B1415555&Body=%ZZ&MessageSid=" + sid)));
        assertThat(badEscape.status()).isEqualTo(400);
        assertThat(badEscape.bodyText()).contains("malformed %-escape");
        WebResponse notUtf8 = answer(sms.handler().handle(raw("From=%2B14155550100&Body=%C3%28&MessageSid=" + sid)));
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.bodyText()).contains("not UTF-8");
        for (List<Map.Entry<String, String>> f : List.of(noFrom, noSid, badMedia, shortCode)) {
            assertThat(answer(sms.handler().handle(webhook(SMS, "/", encode(f), null)))
                            .status())
                    .isEqualTo(400);
        }
        WebResponse whatsappOnSms = answer(
                sms.handler().handle(webhook(SMS, "/", encode(FakeTwilio.whatsapp(ANA, "Ana", "hi", sid)), null)));
        assertThat(whatsappOnSms.status()).isEqualTo(400);
        assertThat(whatsappOnSms.bodyText()).contains("WhatsApp");
        assertThat(cx.store().isDuplicate(ChannelId.SMS, sid)).isFalse();
        assertThat(cx.store().findContact(Identity.phone(ANA))).isEmpty();
    }

    @Test
    void other_methods_paths_and_media_types_are_refused() {
        cx();
        assertThat(sms.handler().handle(WebRequest.builder("GET", "/").build()).status())
                .isEqualTo(405);
        assertThat(sms.handler()
                        .handle(WebRequest.builder("POST", "/other").build())
                        .status())
                .isEqualTo(404);
        assertThat(sms.handler()
                        .handle(WebRequest.builder("POST", "/")
                                .header("Content-Type", "application/json")
                                .body("{}".getBytes(StandardCharsets.UTF_8))
                                .build())
                        .status())
                .isEqualTo(415);
    }

    @Test
    void twilio_gets_its_answer_only_once_the_message_is_stored_without_a_thread_waiting() {
        CompletableFuture<ReceiveReceipt> storing = new CompletableFuture<>();
        List<InboundMessage> handed = new CopyOnWriteArrayList<>();
        sms.start(context(in -> {
            handed.add(in);
            return storing;
        }));
        String body = encode(sms(ANA, "hello", "SM88888888888888888888888888888888"));

        WebResponse r = sms.handler().handle(webhook(SMS, "/", body, "tok"));

        assertThat(r.isDeferred()).isTrue();
        assertThat(r.completion().toCompletableFuture()).isNotDone();
        assertThat(handed).singleElement().satisfies(in -> {
            assertThat(in.from()).isEqualTo(Identity.phone(ANA));
            assertThat(in.externalId()).isEqualTo("SM88888888888888888888888888888888");
            assertThat(in.channel()).isEqualTo(ChannelId.SMS);
        });
        // a retry while the first is still being stored waits for the same answer
        WebResponse retry = sms.handler().handle(webhook(SMS, "/", body, "tok"));
        assertThat(handed).hasSize(1);

        storing.complete(new ReceiveReceipt("s1", null, "m1", 2, false));
        assertThat(r.await(WAIT).status()).isEqualTo(200);
        assertThat(retry.await(WAIT).status()).isEqualTo(200);
    }

    @Test
    void a_store_failure_is_a_503_so_that_twilio_retries_and_the_retry_is_processed() {
        List<InboundMessage> handed = new CopyOnWriteArrayList<>();
        sms.start(context(in -> {
            handed.add(in);
            return handed.size() == 1
                    ? CompletableFuture.failedFuture(OpenCxException.retriable("database is locked", null))
                    : CompletableFuture.completedFuture(new ReceiveReceipt("s1", null, "m1", 2, false));
        }));
        String body = encode(sms(ANA, "hello", "SM99999999999999999999999999999999"));

        WebResponse first =
                sms.handler().handle(webhook(SMS, "/", body, "tok-same")).await(WAIT);
        assertThat(first.status()).isEqualTo(503);
        assertThat(first.header("Retry-After")).isEqualTo("5");
        assertThat(first.bodyText()).doesNotContain("hello");

        assertThat(sms.handler()
                        .handle(webhook(SMS, "/", body, "tok-same"))
                        .await(WAIT)
                        .status())
                .isEqualTo(200);
        assertThat(handed).hasSize(2);
    }

    @Test
    void a_store_that_does_not_answer_in_time_gets_a_503() {
        TwilioSmsChannel slow = TwilioSmsChannel.builder(twilio.config())
                .from(FakeTwilio.NUMBER)
                .intakeTimeout(Duration.ofMillis(200))
                .build();
        toClose.add(slow);
        slow.start(context(in -> new CompletableFuture<>()));
        String body = encode(sms(ANA, "hello", "SM10101010101010101010101010101010"));

        WebResponse r = slow.handler().handle(webhook(SMS, "/", body, null));

        assertThat(r.completion()
                        .toCompletableFuture()
                        .orTimeout(5, TimeUnit.SECONDS)
                        .join()
                        .status())
                .isEqualTo(503);
    }

    private static WebRequest raw(String body) {
        return WebRequest.builder("POST", "/")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("X-Twilio-Signature", "irrelevant")
                .body(body.getBytes(StandardCharsets.UTF_8))
                .build();
    }

    private static WebRequest with(WebRequest r, String header, String value) {
        return WebRequest.builder(r.method(), r.path())
                .query(r.rawQuery())
                .header("Content-Type", r.header("Content-Type").orElse(""))
                .header(header, value)
                .body(r.body())
                .build();
    }

    /** A channel context whose {@code receive} the test controls; nothing else is called. */
    static ChannelContext context(
            java.util.function.Function<InboundMessage, CompletableFuture<ReceiveReceipt>> receive) {
        return (ChannelContext) Proxy.newProxyInstance(
                ChannelContext.class.getClassLoader(), new Class<?>[] {ChannelContext.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "receive":
                            return receive.apply((InboundMessage) args[0]);
                        case "channelId":
                            return ChannelId.SMS;
                        case "toString":
                            return "TestContext";
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }
}
