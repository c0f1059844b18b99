package dev.opencx.channel.twilio.voice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.channel.twilio.TwilioSignature;
import dev.opencx.connect.FormBody;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.event.SessionEvent;
import dev.opencx.http.WebServer;
import dev.opencx.responder.Reply;
import dev.opencx.responder.ResponderRequest;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.SessionQuery;
import dev.opencx.test.RecordingHelpdesk;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * A real OpenCX (in-memory store, a responder lambda, a recording helpdesk) with the voice channel
 * behind the embedded server; calls are driven the way Twilio drives them: form POSTs signed over
 * the public URL, following the URLs of each TwiML answer.
 */
final class VoiceRig implements AutoCloseable {
    static final String TOKEN = "voice-test-auth-token-0123456789ab";
    static final String BASE = "https://voice.example.com";
    static final String MOUNT = "/webhooks/twilio/voice";
    static final String DESK = "+15551234567";
    static final Duration WAIT = Duration.ofSeconds(20);

    final InMemoryConversationStore store;
    final RecordingHelpdesk helpdesk = new RecordingHelpdesk();
    final TwilioVoiceChannel voice;
    final OpenCx cx;
    final WebServer server;
    final AtomicInteger responderCalls = new AtomicInteger();
    volatile Function<ResponderRequest, Reply> responder;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private VoiceRig(
            InMemoryConversationStore store,
            UnaryOperator<TwilioVoiceChannel.Builder> config,
            Function<ResponderRequest, Reply> responder) {
        this.store = store;
        this.responder = responder;
        this.voice = config.apply(TwilioVoiceChannel.builder()
                        .authToken(TOKEN)
                        .publicBaseUrl(BASE)
                        .replyWait(
                                Duration.ofSeconds(10)) // generous on a loaded machine; tests of late replies set less
                        .handoffTo(HandoffTarget.number(DESK)))
                .build();
        this.cx = OpenCx.builder()
                .store(store)
                .channel(voice)
                .helpdesk(helpdesk)
                .responder(req -> {
                    responderCalls.incrementAndGet();
                    return this.responder.apply(req);
                })
                .build();
        this.server = WebServer.builder().port(0).mount(voice).build().start();
    }

    static VoiceRig start(Function<ResponderRequest, Reply> responder) {
        return new VoiceRig(new InMemoryConversationStore(Clock.systemUTC()), b -> b, responder);
    }

    static VoiceRig start(
            UnaryOperator<TwilioVoiceChannel.Builder> config, Function<ResponderRequest, Reply> responder) {
        return new VoiceRig(new InMemoryConversationStore(Clock.systemUTC()), config, responder);
    }

    /** A rig over an existing store: the process restarted. */
    static VoiceRig restart(InMemoryConversationStore store, Function<ResponderRequest, Reply> responder) {
        return new VoiceRig(store, b -> b, responder);
    }

    static Reply answer(String text) {
        return Reply.answer(text, 0.95, List.of(), "test", Map.of());
    }

    /** A new call from {@code from} (a number, or what Twilio sends for a withheld one). */
    TestCall call(String from) {
        return new TestCall(this, randomCallSid(), from, "US");
    }

    TestCall call(String from, String country) {
        return new TestCall(this, randomCallSid(), from, country);
    }

    static String randomCallSid() {
        StringBuilder sb = new StringBuilder("CA");
        for (int i = 0; i < 32; i++) {
            sb.append("0123456789abcdef".charAt(ThreadLocalRandom.current().nextInt(16)));
        }
        return sb.toString();
    }

    /** The form body of a payload file with its placeholders filled, encoded as Twilio encodes it. */
    static String form(String file, Map<String, String> vars) {
        String template;
        try (InputStream in = VoiceRig.class.getResourceAsStream("/voice/" + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no test payload /voice/" + file);
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> pairs = new ArrayList<>();
        for (String line : template.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int eq = line.indexOf('=');
            String value = line.substring(eq + 1);
            for (Map.Entry<String, String> v : vars.entrySet()) {
                value = value.replace("${" + v.getKey() + "}", v.getValue());
            }
            if (value.contains("${")) {
                continue; // a parameter this request does not carry
            }
            pairs.add(enc(line.substring(0, eq)) + "=" + enc(value));
        }
        return String.join("&", pairs);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The signature Twilio sends for a form POST to {@code BASE + MOUNT + route}. */
    static String sign(String route, String body) {
        return TwilioSignature.of(TOKEN).sign(BASE + MOUNT + route, FormBody.parse(body));
    }

    /** POSTs a signed form to {@code route} (path and query below the mount), as Twilio does. */
    Resp post(String route, String body, String... headers) {
        String[] all = new String[headers.length + 2];
        all[0] = "X-Twilio-Signature";
        all[1] = sign(route, body);
        System.arraycopy(headers, 0, all, 2, headers.length);
        return postRaw(route, body, "application/x-www-form-urlencoded", all);
    }

    Resp postRaw(String route, String body, String contentType, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri().resolve(MOUNT + route))
                .timeout(WAIT)
                .header("Content-Type", contentType)
                .header("User-Agent", "TwilioProxy/1.1")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Resp(
                    r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    List<Session> sessions() {
        return store.sessions(SessionQuery.inStates(SessionState.values()));
    }

    List<SessionEvent> events(String sessionId) {
        return cx.events(sessionId);
    }

    @Override
    public void close() {
        server.close();
        cx.close();
        voice.close();
    }

    /** An HTTP answer; {@link #twiml()} parses it as XML. */
    record Resp(int status, String contentType, String body) {
        Twiml twiml() {
            assertThat(status).as("status of %s", body).isEqualTo(200);
            assertThat(contentType).startsWith("text/xml");
            return Twiml.parse(body);
        }
    }

    /** A parsed TwiML document with XPath access. */
    static final class Twiml {
        final Document doc;

        private Twiml(Document doc) {
            this.doc = doc;
        }

        static Twiml parse(String xml) {
            try {
                DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
                f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
                f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
                return new Twiml(
                        f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
            } catch (Exception e) {
                throw new AssertionError("not well-formed TwiML: " + xml, e);
            }
        }

        String root() {
            return doc.getDocumentElement().getTagName();
        }

        /** The string value of an XPath expression ("" when nothing matches). */
        String at(String xpath) {
            try {
                return (String) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.STRING);
            } catch (Exception e) {
                throw new AssertionError(xpath, e);
            }
        }

        /** The elements an XPath expression selects. */
        List<Element> all(String xpath) {
            try {
                NodeList nodes =
                        (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, doc, XPathConstants.NODESET);
                List<Element> out = new ArrayList<>();
                for (int i = 0; i < nodes.getLength(); i++) {
                    out.add((Element) nodes.item(i));
                }
                return out;
            } catch (Exception e) {
                throw new AssertionError(xpath, e);
            }
        }

        /** The names of the root's child elements, in order ({@code [Say, Dial]}). */
        List<String> verbs() {
            return all("/Response/*").stream().map(Element::getTagName).toList();
        }

        /** Every {@code <Say>} text, in document order. */
        List<String> said() {
            return all("//Say").stream().map(Element::getTextContent).toList();
        }

        /** A URL of this document as a route below the mount ({@code /turn?n=2}). */
        static String route(String url) {
            assertThat(url).startsWith(BASE + MOUNT + "/");
            return url.substring((BASE + MOUNT).length());
        }
    }

    /** One call, driven like Twilio drives it. */
    static final class TestCall {
        final VoiceRig rig;
        final String callSid;
        final String from;
        final String country;
        Twiml last;
        String waitUrl = "";
        String queueAction = "";

        TestCall(VoiceRig rig, String callSid, String from, String country) {
            this.rig = rig;
            this.callSid = callSid;
            this.from = from;
            this.country = country;
        }

        Map<String, String> vars(String... more) {
            Map<String, String> v = new HashMap<>(Map.of("CallSid", callSid, "From", from, "Country", country));
            for (int i = 0; i < more.length; i += 2) {
                v.put(more[i], more[i + 1]);
            }
            return v;
        }

        /** The call comes in: Twilio posts to the number's voice URL. */
        Twiml ring() {
            return follow(rig.post("/incoming", form("incoming-call.form", vars())));
        }

        /** The caller says {@code words}; Twilio posts them to the last {@code <Gather>}'s action. */
        Twiml say(String words, String confidence) {
            return follow(rig.post(gatherAction(), speech(words, confidence)));
        }

        String speech(String words, String confidence) {
            return form("gather-speech.form", vars("SpeechResult", words, "Confidence", confidence));
        }

        /** The caller keys digits into the last {@code <Gather>}. */
        Twiml press(String digits) {
            return follow(rig.post(gatherAction(), form("gather-digits.form", vars("Digits", digits))));
        }

        /** The {@code <Gather>} heard nothing: Twilio goes on to the document's {@code <Redirect>}. */
        Twiml silence() {
            return redirect();
        }

        /** Twilio follows the last document's {@code <Redirect>}. */
        Twiml redirect() {
            return follow(rig.post(Twiml.route(last.at("/Response/Redirect")), form("redirect.form", vars())));
        }

        /** The {@code <Dial>} ended with {@code status}; Twilio posts to its action. */
        Twiml dialEnded(String status) {
            return follow(rig.post(
                    Twiml.route(last.at("/Response/Dial/@action")),
                    form("dial-action.form", vars("DialCallStatus", status))));
        }

        /** The caller left the queue ({@code bridged}: after talking to an agent); Twilio posts to the action. */
        Twiml queueEnded(String result) {
            return follow(rig.post(Twiml.route(queueAction), form("enqueue-action.form", vars("QueueResult", result))));
        }

        /** Twilio polls the queue's wait URL while the caller is on hold. */
        Twiml onHold() {
            return rig.post(Twiml.route(waitUrl), form("queue-wait.form", vars()))
                    .twiml();
        }

        /** The call ends; Twilio posts the status callback. */
        Resp hangUp(String status) {
            return rig.post("/status", form("status-callback.form", vars("CallStatus", status, "CallDuration", "42")));
        }

        String gatherAction() {
            return Twiml.route(last.at("/Response/Gather/@action"));
        }

        Twiml follow(Resp r) {
            last = r.twiml();
            if (!last.at("/Response/Enqueue/@waitUrl").isEmpty()) {
                waitUrl = last.at("/Response/Enqueue/@waitUrl");
                queueAction = last.at("/Response/Enqueue/@action");
            }
            return last;
        }

        /** The call's session. */
        Session session() {
            return rig.sessions().stream()
                    .filter(s -> s.threadId().equals(callSid))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no session for " + callSid));
        }
    }
}
