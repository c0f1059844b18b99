package dev.opencx.channel.twilio.voice;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.channel.twilio.TwilioSignature;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.Identity;
import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The channel contract on voice. The fake provider is Twilio's side of a call: a customer's
 * message is an utterance posted to the last {@code <Gather>}'s action (the call rings first), a
 * provider retry is the same request posted again, and what the customer "received" is what the
 * TwiML answers read out, the channel's own prompts left aside. A person takes over through a
 * queue, whose wait URL the fake polls like Twilio does, so an agent's reply reaches the caller on
 * hold. The provider cannot fail a send: TwiML is the webhook's answer.
 */
class TwilioVoiceChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFixture fixture() {
        return new VoiceFixture();
    }

    static final class VoiceFixture implements ChannelFixture {
        private final TwilioVoiceChannel voice = TwilioVoiceChannel.builder()
                .authToken(VoiceRig.TOKEN)
                .publicBaseUrl(VoiceRig.BASE)
                .handoffTo(HandoffTarget.queue("support"))
                .build();
        private final Map<Integer, Call> calls = new ConcurrentHashMap<>();
        /** What each answer read out, by the request it answered: a retried request replaces its first answer. */
        private final Map<String, List<Sent>> played = new LinkedHashMap<>();

        private final Set<String> prompts = prompts();
        private final AtomicInteger polls = new AtomicInteger();
        private final ScheduledExecutorService twilio = Executors.newSingleThreadScheduledExecutor();

        /** One customer's call: its SID, the last gather action, and the request of each provider message id. */
        private static final class Call {
            final String callSid = VoiceRig.randomCallSid();
            String gather;
            boolean enqueued;
            final Map<String, String> routes = new ConcurrentHashMap<>();
        }

        VoiceFixture() {
            // Twilio polls the wait URL of every enqueued call
            twilio.scheduleWithFixedDelay(this::pollQueues, 100, 100, TimeUnit.MILLISECONDS);
        }

        @Override
        public Channel channel() {
            return voice;
        }

        @Override
        public Identity customer(int n) {
            return Identity.phone("+1415555" + (1000 + n));
        }

        @Override
        public int deliver(int customer, String providerMessageId, String text) {
            Call call = calls.computeIfAbsent(customer, c -> new Call());
            synchronized (call) {
                if (call.gather == null) {
                    WebResponse rang =
                            post("/incoming", VoiceRig.form("incoming-call.form", vars(customer, call)), true);
                    if (rang.status() != 200) {
                        return rang.status();
                    }
                    call.gather = VoiceRig.Twiml.route(
                            VoiceRig.Twiml.parse(rang.bodyText()).at("/Response/Gather/@action"));
                }
                String route = call.routes.computeIfAbsent(providerMessageId, id -> call.gather);
                Map<String, String> v = vars(customer, call);
                v.put("SpeechResult", text);
                v.put("Confidence", "0.9");
                WebResponse r = post(route, VoiceRig.form("gather-speech.form", v), true);
                if (r.status() == 200) {
                    VoiceRig.Twiml t = VoiceRig.Twiml.parse(r.bodyText());
                    // a slow turn answers "one moment" and a redirect to wait again: Twilio follows it
                    for (int i = 0; i < 20 && t.at("/Response/Redirect").contains("/wait?"); i++) {
                        WebResponse more = post(
                                VoiceRig.Twiml.route(t.at("/Response/Redirect")),
                                VoiceRig.form("redirect.form", vars(customer, call)),
                                true);
                        if (more.status() != 200) {
                            return more.status();
                        }
                        t = VoiceRig.Twiml.parse(more.bodyText());
                    }
                    record(providerMessageId, customer, t);
                    String next = t.at("/Response/Gather/@action");
                    if (!next.isEmpty()) {
                        call.gather = VoiceRig.Twiml.route(next);
                    }
                    call.enqueued |= !t.at("/Response/Enqueue").isEmpty();
                }
                return r.status();
            }
        }

        @Override
        public OptionalInt deliverForged(int customer, String providerMessageId, String text) {
            Call call = new Call();
            String body = VoiceRig.form("incoming-call.form", vars(customer, call));
            WebRequest forged = WebRequest.builder("POST", "/incoming")
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .header(
                            "X-Twilio-Signature",
                            TwilioSignature.of("not-the-auth-token")
                                    .sign(VoiceRig.BASE + VoiceRig.MOUNT + "/incoming", FormBody.parse(body)))
                    .body(body.getBytes(StandardCharsets.UTF_8))
                    .build();
            return OptionalInt.of(
                    voice.handler().handle(forged).await(Duration.ofSeconds(20)).status());
        }

        @Override
        public OptionalInt deliverMalformed() {
            // signed, but not a call: no CallSid
            return OptionalInt.of(post("/incoming", "From=%2B14155551001&To=%2B18005551212&CallStatus=ringing", true)
                    .status());
        }

        @Override
        public List<Sent> sent() {
            synchronized (played) {
                return played.values().stream().flatMap(List::stream).collect(Collectors.toList());
            }
        }

        @Override
        public boolean failNextSends(int n) {
            return false; // a spoken reply is the webhook's answer: there is no provider call to fail
        }

        @Override
        public OpenCx.Builder configure(OpenCx.Builder builder) {
            return builder;
        }

        private void pollQueues() {
            calls.forEach((customer, call) -> {
                synchronized (call) {
                    if (!call.enqueued) {
                        return;
                    }
                    WebResponse r = post("/hold", VoiceRig.form("queue-wait.form", vars(customer, call)), true);
                    if (r.status() == 200) {
                        record("hold-" + polls.incrementAndGet(), customer, VoiceRig.Twiml.parse(r.bodyText()));
                    }
                }
            });
        }

        private void record(String requestKey, int customer, VoiceRig.Twiml t) {
            List<Sent> said = new ArrayList<>();
            for (String s : t.said()) {
                if (!isPrompt(s)) {
                    said.add(new Sent(customer(customer), s));
                }
            }
            synchronized (played) {
                played.put(requestKey, said);
            }
        }

        /** The channel's own words (greeting, re-prompts, "connecting you"), which are not replies. */
        private boolean isPrompt(String said) {
            return prompts.contains(said) || said.startsWith("I'm connecting you to a person now.");
        }

        private static Set<String> prompts() {
            ResourceBundle en = ResourceBundle.getBundle(TwilioVoiceChannel.NOTICES + "_en");
            return en.keySet().stream().map(en::getString).collect(Collectors.toSet());
        }

        private Map<String, String> vars(int customer, Call call) {
            Map<String, String> v = new LinkedHashMap<>();
            v.put("CallSid", call.callSid);
            v.put("From", customer(customer).value());
            v.put("Country", "US");
            return v;
        }

        private WebResponse post(String route, String body, boolean signed) {
            int q = route.indexOf('?');
            WebRequest.Builder b = WebRequest.builder("POST", q < 0 ? route : route.substring(0, q))
                    .query(q < 0 ? "" : route.substring(q + 1))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .body(body.getBytes(StandardCharsets.UTF_8));
            if (signed) {
                b.header("X-Twilio-Signature", VoiceRig.sign(route, body));
            }
            return voice.handler().handle(b.build()).await(Duration.ofSeconds(20));
        }

        @Override
        public void close() {
            twilio.shutdownNow();
        }
    }
}
