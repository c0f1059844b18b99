package dev.opencx.channel.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.TicketNumber;
import java.time.Duration;
import java.util.List;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Replies through the Messages API, against a fake speaking Twilio's JSON. */
class TwilioSendTest {
    final FakeTwilio twilio = new FakeTwilio();
    final TwilioSmsChannel sms =
            TwilioSmsChannel.builder(twilio.config()).from(FakeTwilio.NUMBER).build();

    @AfterEach
    void close() throws Exception {
        sms.close();
        twilio.close();
    }

    static OutboundMessage reply(String text, String key) {
        return new OutboundMessage(
                "msg-1",
                "session-1",
                TicketNumber.of(1001),
                ChannelId.SMS,
                Identity.phone("+14155550100"),
                "",
                OutboundMessage.Kind.AI_REPLY,
                Author.AI,
                "",
                text,
                List.of(),
                "",
                key);
    }

    @Test
    void posts_the_messages_form_with_basic_auth_and_returns_twilio_sid() {
        DeliveryReceipt receipt = sms.send(reply("Your refund is on its way.", "k1"));

        RecordedRequest r = twilio.requests.get(0);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getUrl().encodedPath())
                .isEqualTo("/2010-04-01/Accounts/" + FakeTwilio.ACCOUNT_SID + "/Messages.json");
        assertThat(r.getHeaders().get("Authorization"))
                .isEqualTo(Credentials.basic(FakeTwilio.ACCOUNT_SID, FakeTwilio.AUTH_TOKEN));
        assertThat(r.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        FormBody form = FormBody.parse(r.getBody().utf8());
        assertThat(form.asMap().keySet()).containsExactly("To", "From", "Body", "StatusCallback");
        assertThat(form.first("To")).contains("+14155550100");
        assertThat(form.first("From")).contains(FakeTwilio.NUMBER);
        assertThat(form.first("Body")).contains("Your refund is on its way.");
        assertThat(form.first("StatusCallback"))
                .contains("https://support.example.com/webhooks/twilio/sms/status?s=session-1&m=msg-1");
        assertThat(receipt.externalId()).isEqualTo(twilio.sent.get(0).sid()).matches("SM[0-9a-f]{32}");
    }

    @Test
    void a_messaging_service_replaces_from_and_status_callbacks_can_be_off() {
        TwilioSmsChannel viaService = TwilioSmsChannel.builder(twilio.config())
                .messagingServiceSid("MG0123456789abcdef0123456789abcdef")
                .statusCallbacks(false)
                .build();
        viaService.send(reply("hi", "k1"));
        viaService.close();

        FormBody form = FormBody.parse(twilio.requests.get(0).getBody().utf8());
        assertThat(form.asMap().keySet()).containsExactly("To", "MessagingServiceSid", "Body");
    }

    @Test
    void a_message_sent_before_under_its_idempotency_key_is_not_sent_again() {
        DeliveryReceipt first = sms.send(reply("hello", "same-key"));
        DeliveryReceipt again = sms.send(reply("hello", "same-key"));

        assertThat(twilio.sent).hasSize(1);
        assertThat(again).isEqualTo(first);
    }

    @Test
    void markdown_is_sent_as_plain_text_with_gsm_lookalikes() {
        sms.send(reply("**Good news** — your refund’s [on its way](https://shop.example/r).", "k"));
        assertThat(twilio.bodies()).containsExactly("Good news - your refund's on its way (https://shop.example/r).");
    }

    @Test
    void a_long_reply_goes_out_in_numbered_parts_and_a_retry_after_a_partial_send_resends_none_of_the_sent_parts() {
        TwilioSmsChannel oneSegment = TwilioSmsChannel.builder(twilio.config())
                .from(FakeTwilio.NUMBER)
                .segmentsPerPart(1)
                .maxParts(5)
                .build();
        String text = "Refunds take five business days. They start when the parcel reaches us. "
                + "You get an e-mail when it does. Keep the tracking number until then. If the parcel is lost, "
                + "the carrier's claim takes two more weeks and we refund you anyway. Thank you for waiting.";
        twilio.letThrough(1);
        twilio.failNext(1, 503); // the second part fails: the outbox calls send() again with the same message
        assertThatThrownBy(() -> oneSegment.send(reply(text, "long")))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue());
        assertThat(twilio.sent).hasSize(1);

        oneSegment.send(reply(text, "long"));
        oneSegment.close();

        List<String> bodies = twilio.bodies();
        assertThat(bodies).hasSizeGreaterThanOrEqualTo(2);
        assertThat(bodies).doesNotHaveDuplicates();
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(bodies.get(i)).endsWith(" (" + (i + 1) + "/" + bodies.size() + ")");
            assertThat(SmsEncoding.segments(bodies.get(i))).isEqualTo(1);
        }
        assertThat(String.join(
                        " ",
                        bodies.stream()
                                .map(b -> b.replaceAll(" \\(\\d/\\d\\)$", ""))
                                .toList()))
                .isEqualTo(text);
    }

    @Test
    void a_429_is_retriable_after_twilio_retry_after_and_a_5xx_is_retriable() {
        twilio.failNext(1, 429);
        assertThatThrownBy(() -> sms.send(reply("hi", "a"))).isInstanceOfSatisfying(OpenCxException.class, e -> {
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(1));
        });
        twilio.failNext(1, 500);
        assertThatThrownBy(() -> sms.send(reply("hi", "a")))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue());
        sms.send(reply("hi", "a"));
        assertThat(twilio.bodies()).containsExactly("hi");
    }

    @Test
    void a_4xx_is_permanent_and_names_twilio_code_but_never_the_phone_number_twilio_quoted() {
        twilio.refuseNext(21211, 400);
        assertThatThrownBy(() -> sms.send(reply("hi", "a"))).isInstanceOfSatisfying(OpenCxException.class, e -> {
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage())
                    .contains("400")
                    .contains("21211 invalid 'To' phone number")
                    .doesNotContain("4155550100");
        });
        twilio.refuseNext(63016, 400);
        assertThatThrownBy(() -> sms.send(reply("hi", "b")))
                .hasMessageContaining("63016 outside the WhatsApp 24-hour window");
    }

    @Test
    void a_recipient_that_is_not_a_phone_number_is_a_permanent_failure() {
        OutboundMessage toEmail = new OutboundMessage(
                "m",
                "s",
                TicketNumber.of(1001),
                ChannelId.SMS,
                Identity.email("ana@example.com"),
                "",
                OutboundMessage.Kind.AI_REPLY,
                Author.AI,
                "",
                "hi",
                List.of(),
                "",
                "k");
        assertThatThrownBy(() -> sms.send(toEmail))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isFalse());
        assertThat(twilio.requests).isEmpty();
    }

    @Test
    void whatsapp_sends_to_the_whatsapp_address_with_whatsapp_formatting() {
        TwilioWhatsAppChannel wa = TwilioWhatsAppChannel.builder(twilio.config())
                .from("+14155238886")
                .build();
        wa.send(new OutboundMessage(
                "m",
                "s",
                TicketNumber.of(1001),
                ChannelId.WHATSAPP,
                Identity.phone("+14155550100"),
                "",
                OutboundMessage.Kind.AI_REPLY,
                Author.AI,
                "",
                "**Shipped** today — *arriving* Friday",
                List.of(),
                "",
                "k"));
        wa.close();

        FakeTwilio.Sent sent = twilio.sent.get(0);
        assertThat(sent.to()).isEqualTo("whatsapp:+14155550100");
        assertThat(sent.from()).isEqualTo("whatsapp:+14155238886");
        assertThat(sent.body()).isEqualTo("*Shipped* today — _arriving_ Friday");
        assertThat(sent.statusCallback()).startsWith("https://support.example.com/webhooks/twilio/whatsapp/status?");
    }
}
