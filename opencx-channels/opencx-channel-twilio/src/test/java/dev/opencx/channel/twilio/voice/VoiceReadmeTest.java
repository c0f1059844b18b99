package dev.opencx.channel.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.channel.DeliveryReceipt;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.conversation.ChannelId;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The Java snippets of VOICE.md, compiled and run. */
class VoiceReadmeTest {

    @Test
    void quick_start_answers_a_call() {
        InMemoryKnowledgeStore knowledge = new InMemoryKnowledgeStore();
        knowledge.upsert(new KnowledgeDocument(
                "hours",
                "Opening hours",
                "We are open from nine to five.",
                BodyFormat.MARKDOWN,
                "",
                "en",
                "",
                Map.of()));
        String authToken = VoiceRig.TOKEN; // System.getenv("TWILIO_AUTH_TOKEN") in an application
        // VOICE.md: quick start
        TwilioVoiceChannel voice = TwilioVoiceChannel.builder()
                .authToken(authToken) // the account's Auth Token: every webhook's signature is checked
                .publicBaseUrl("https://voice.example.com") // how Twilio reaches this server
                .language("en-US") // speech recognised and spoken in it
                .handoffTo(HandoffTarget.number("+15551234567")) // or HandoffTarget.queue("support")
                .build();
        try (OpenCx cx = OpenCx.builder().channel(voice).knowledge(knowledge).build();
                WebServer server =
                        WebServer.builder().port(0).mount(voice).build().start()) {
            System.out.println("A call comes in:     " + voice.incomingCallUrl());
            System.out.println("Call status changes: " + voice.statusCallbackUrl());
            // end VOICE.md
            try (VoiceRigClient twilio = new VoiceRigClient(server)) {
                VoiceRig.Twiml greeting = twilio.ring();
                assertThat(greeting.at("/Response/Gather/@action"))
                        .isEqualTo("https://voice.example.com/webhooks/twilio/voice/turn?n=1");
            }
        }
    }

    @Test
    void options_snippet_builds() {
        SmsStandIn sms = new SmsStandIn();
        // VOICE.md: options
        TwilioVoiceChannel voice = TwilioVoiceChannel.builder()
                .authToken("primary-token", "previous-token") // both accepted while you rotate the token
                .publicBaseUrl("https://voice.example.com")
                .handoffTo(HandoffTarget.queue("support")) // callers wait there; agents' replies are read to them
                .holdMusic("https://voice.example.com/hold.mp3")
                .language("en-US")
                .callerCountryLanguage("MX", "es-MX") // callers from Mexican numbers start in Spanish
                .callerCountryLanguage("FR", "fr-FR")
                .voice("en", "Polly.Joanna-Neural") // <Say voice="…"> per language
                .minSpeechConfidence(0.5) // below it, "could you say that again?"
                .maxReprompts(2) // then "press 1 to talk to a person"
                .maxSpokenChars(400) // longer replies are cut at a sentence
                .replyWait(Duration.ofSeconds(5)) // then "one moment, please" and wait again…
                .maxWaits(3) // …up to three times
                .dialTimeout(Duration.ofSeconds(20))
                .notice("voice.greeting", "en", "Thanks for calling Acme. What can I do for you?")
                .afterCallFallback(sms) // agents' replies after the call ends go out as text messages
                .build();
        // end VOICE.md
        assertThat(voice.capabilities().maxTextLength()).isEqualTo(400);
        voice.close();
    }

    /** A few lines of Twilio for the quick start: the call rings. */
    private static final class VoiceRigClient implements AutoCloseable {
        private final WebServer server;

        VoiceRigClient(WebServer server) {
            this.server = server;
        }

        VoiceRig.Twiml ring() throws RuntimeException {
            String body = VoiceRig.form(
                    "incoming-call.form",
                    Map.of("CallSid", VoiceRig.randomCallSid(), "From", "+14158675309", "Country", "US"));
            try {
                java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                        .send(
                                java.net.http.HttpRequest.newBuilder(
                                                server.uri().resolve(VoiceRig.MOUNT + "/incoming"))
                                        .header("Content-Type", "application/x-www-form-urlencoded")
                                        .header("X-Twilio-Signature", VoiceRig.sign("/incoming", body))
                                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                java.net.http.HttpResponse.BodyHandlers.ofString());
                return new VoiceRig.Resp(
                                r.statusCode(),
                                r.headers().firstValue("Content-Type").orElse(""),
                                r.body())
                        .twiml();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void close() {}
    }

    /** Stands in for the Twilio SMS channel in the options snippet. */
    private static final class SmsStandIn implements dev.opencx.channel.Channel {
        final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();

        @Override
        public ChannelId id() {
            return ChannelId.SMS;
        }

        @Override
        public ChannelCapabilities capabilities() {
            return ChannelCapabilities.plainText();
        }

        @Override
        public DeliveryReceipt send(OutboundMessage message) {
            sent.add(message);
            return DeliveryReceipt.none();
        }
    }
}
