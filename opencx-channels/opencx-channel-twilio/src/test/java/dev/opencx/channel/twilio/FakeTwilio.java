package dev.opencx.channel.twilio;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.connect.FormBody;
import dev.opencx.webhook.WebRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Credentials;

/**
 * Twilio as the tests see it: the Messages API on a MockWebServer (answering {@code 201} with the
 * OpenAPI example's shape, checking Basic auth, failing on demand with Twilio's error bodies), and
 * the webhooks Twilio sends (form bodies signed over the configured public URL).
 */
final class FakeTwilio implements AutoCloseable {
    static final String ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef";
    static final String AUTH_TOKEN = "f3e1d2c4b5a6978877665544332211aa";
    static final String PUBLIC_URL = "https://support.example.com";
    static final String NUMBER = "+15017122661";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CREATED = resource("/twilio/message-created.json");

    /** A message the Messages API accepted. */
    record Sent(String to, String from, String messagingServiceSid, String body, String statusCallback, String sid) {}

    private record Failure(int status, String retryAfter, int code) {}

    final MockWebServer server = new MockWebServer();
    final List<Sent> sent = new CopyOnWriteArrayList<>();
    final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
    private final Deque<Failure> failures = new ArrayDeque<>();
    private final AtomicInteger sids = new AtomicInteger();

    FakeTwilio() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer(request);
            }
        });
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The account, pointed at this fake's REST API. */
    TwilioConfig config() {
        return TwilioConfig.builder()
                .accountSid(ACCOUNT_SID)
                .authToken(AUTH_TOKEN)
                .publicUrl(PUBLIC_URL)
                .apiBaseUrl(server.url("/").toString())
                .build();
    }

    /** The next {@code n} sends fail with {@code status} ({@code 429} carries {@code Retry-After: 1}). */
    synchronized void failNext(int n, int status) {
        for (int i = 0; i < n; i++) {
            failures.add(new Failure(status, status == 429 ? "1" : null, status == 429 ? 20429 : 20500));
        }
    }

    /** The next {@code n} sends succeed before any failure queued after this call. */
    synchronized void letThrough(int n) {
        for (int i = 0; i < n; i++) {
            failures.add(new Failure(0, null, 0));
        }
    }

    /** The next send is refused with Twilio's error {@code code} and HTTP {@code status}. */
    synchronized void refuseNext(int code, int status) {
        failures.add(new Failure(status, null, code));
    }

    List<String> bodies() {
        return sent.stream().map(Sent::body).toList();
    }

    private MockResponse answer(RecordedRequest request) {
        requests.add(request);
        String expectedPath = "/2010-04-01/Accounts/" + ACCOUNT_SID + "/Messages.json";
        if (!request.getMethod().equals("POST")
                || !request.getUrl().encodedPath().equals(expectedPath)) {
            return error(404, 20404, "The requested resource was not found");
        }
        if (!Credentials.basic(ACCOUNT_SID, AUTH_TOKEN)
                .equals(request.getHeaders().get("Authorization"))) {
            return error(401, 20003, "Authenticate");
        }
        Failure f;
        synchronized (this) {
            f = failures.poll();
        }
        if (f != null && f.status != 0) {
            MockResponse.Builder b = new MockResponse.Builder()
                    .code(f.status)
                    .addHeader("Content-Type", "application/json")
                    .body(errorBody(f.code, f.status, "The 'To' number +14155550100 is not a valid phone number."));
            if (f.retryAfter != null) {
                b.addHeader("Retry-After", f.retryAfter);
            }
            return b.build();
        }
        FormBody form = FormBody.parse(
                request.getBody() == null ? "" : request.getBody().utf8());
        String sid = String.format("SM%032x", sids.incrementAndGet());
        String to = form.first("To").orElse("");
        String from = form.first("From").orElse("");
        String body = form.first("Body").orElse("");
        if (to.isEmpty() || body.isEmpty() || body.length() > 1600) {
            return error(400, body.isEmpty() ? 21602 : body.length() > 1600 ? 21617 : 21604, "invalid");
        }
        sent.add(new Sent(
                to,
                from,
                form.first("MessagingServiceSid").orElse(""),
                body,
                form.first("StatusCallback").orElse(""),
                sid));
        try {
            ObjectNode json = (ObjectNode) JSON.readTree(CREATED.replace("SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", sid)
                    .replace("ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", ACCOUNT_SID));
            json.put("to", to).put("from", from).put("body", body);
            return new MockResponse.Builder()
                    .code(201)
                    .addHeader("Content-Type", "application/json")
                    .body(JSON.writeValueAsString(json))
                    .build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static MockResponse error(int status, int code, String message) {
        return new MockResponse.Builder()
                .code(status)
                .addHeader("Content-Type", "application/json")
                .body(errorBody(code, status, message))
                .build();
    }

    static String errorBody(int code, int status, String message) {
        return "{\"code\":" + code + ",\"message\":\"" + message
                + "\",\"more_info\":\"https://www.twilio.com/docs/errors/" + code + "\",\"status\":" + status + "}";
    }

    // ---------------------------------------------------------------- webhooks Twilio sends

    /** The form Twilio posts for an incoming SMS (docs: messaging/guides/webhook-request). */
    static List<Map.Entry<String, String>> sms(String from, String body, String messageSid) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("ToCountry", "US"));
        p.add(Map.entry("ToState", "CA"));
        p.add(Map.entry("SmsMessageSid", messageSid));
        p.add(Map.entry("NumMedia", "0"));
        p.add(Map.entry("ToCity", "SAN FRANCISCO"));
        p.add(Map.entry("FromZip", "94105"));
        p.add(Map.entry("SmsSid", messageSid));
        p.add(Map.entry("FromState", "CA"));
        p.add(Map.entry("SmsStatus", "received"));
        p.add(Map.entry("FromCity", "SAN FRANCISCO"));
        p.add(Map.entry("Body", body));
        p.add(Map.entry("FromCountry", "US"));
        p.add(Map.entry("To", NUMBER));
        p.add(Map.entry("ToZip", "94105"));
        p.add(Map.entry("NumSegments", "1"));
        p.add(Map.entry("MessageSid", messageSid));
        p.add(Map.entry("AccountSid", ACCOUNT_SID));
        p.add(Map.entry("From", from));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        return p;
    }

    /** The form Twilio posts for an incoming WhatsApp message. */
    static List<Map.Entry<String, String>> whatsapp(String phone, String profileName, String body, String messageSid) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("SmsMessageSid", messageSid));
        p.add(Map.entry("NumMedia", "0"));
        p.add(Map.entry("ProfileName", profileName));
        p.add(Map.entry("MessageType", "text"));
        p.add(Map.entry("SmsSid", messageSid));
        p.add(Map.entry("WaId", phone.substring(1)));
        p.add(Map.entry("SmsStatus", "received"));
        p.add(Map.entry("Body", body));
        p.add(Map.entry("To", "whatsapp:+14155238886"));
        p.add(Map.entry("NumSegments", "1"));
        p.add(Map.entry("ReferralNumMedia", "0"));
        p.add(Map.entry("MessageSid", messageSid));
        p.add(Map.entry("AccountSid", ACCOUNT_SID));
        p.add(Map.entry("From", "whatsapp:" + phone));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        return p;
    }

    /** A status callback form. */
    static List<Map.Entry<String, String>> status(String messageSid, String status, String errorCode) {
        List<Map.Entry<String, String>> p = new ArrayList<>();
        p.add(Map.entry("SmsSid", messageSid));
        p.add(Map.entry("SmsStatus", status));
        p.add(Map.entry("MessageStatus", status));
        p.add(Map.entry("To", "+14155550100"));
        p.add(Map.entry("MessageSid", messageSid));
        p.add(Map.entry("AccountSid", ACCOUNT_SID));
        p.add(Map.entry("From", NUMBER));
        p.add(Map.entry("ApiVersion", "2010-04-01"));
        if (errorCode != null) {
            p.add(Map.entry("ErrorCode", errorCode));
        }
        return p;
    }

    /** Encodes pairs as Twilio does ({@code application/x-www-form-urlencoded}, spaces as {@code +}). */
    static String encode(List<Map.Entry<String, String>> pairs) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : pairs) {
            if (sb.length() > 0) {
                sb.append('&');
            }
            sb.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8))
                    .append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    /** Twilio's signature of a form posted to {@code url}. */
    static String sign(String url, String body) {
        return TwilioSignature.of(AUTH_TOKEN).sign(url, FormBody.parse(body));
    }

    /**
     * A webhook as a server hands it to the handler mounted at {@code mount}: {@code below} is the
     * path under it ({@code /} or {@code /status?s=…}), signed over {@link #PUBLIC_URL} + mount +
     * below.
     */
    static WebRequest webhook(String mount, String below, String body, String idempotencyToken) {
        String path = below.contains("?") ? below.substring(0, below.indexOf('?')) : below;
        String query = below.contains("?") ? below.substring(below.indexOf('?') + 1) : "";
        String url = PUBLIC_URL + mount + (path.equals("/") ? "" : path) + (query.isEmpty() ? "" : "?" + query);
        WebRequest.Builder b = WebRequest.builder("POST", path)
                .query(query)
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", sign(url, body))
                .header("User-Agent", "TwilioProxy/1.1")
                .body(body.getBytes(StandardCharsets.UTF_8));
        if (idempotencyToken != null) {
            b.header(TwilioIdempotency.HEADER, idempotencyToken);
        }
        return b.build();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private static String resource(String name) {
        try (InputStream in = FakeTwilio.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
