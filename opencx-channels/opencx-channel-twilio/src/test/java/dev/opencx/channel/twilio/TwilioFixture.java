package dev.opencx.channel.twilio;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.conversation.Identity;
import dev.opencx.http.WebServer;
import dev.opencx.test.channel.ChannelFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The Twilio messaging channels for {@code ChannelContract}: Twilio's webhooks posted over HTTP to
 * the embedded server, signed over the configured public URL; replies read back from the fake
 * Messages API.
 */
final class TwilioFixture implements ChannelFixture {
    private static final Pattern PART_NUMBER = Pattern.compile(" \\(\\d+/\\d+\\)$");

    private final boolean whatsapp;
    private final FakeTwilio twilio = new FakeTwilio();
    private final TwilioMessagingChannel channel;
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private WebServer server;

    TwilioFixture(boolean whatsapp) {
        this.whatsapp = whatsapp;
        this.channel = whatsapp
                ? TwilioWhatsAppChannel.builder(twilio.config())
                        .from("whatsapp:+14155238886")
                        .build()
                : TwilioSmsChannel.builder(twilio.config())
                        .from(FakeTwilio.NUMBER)
                        .build();
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public Identity customer(int n) {
        return Identity.phone(String.format("+1415555%04d", n));
    }

    @Override
    public void started(OpenCx cx) {
        server = WebServer.builder().port(0).mount(channel).build().start();
    }

    @Override
    public int deliver(int customer, String providerMessageId, String text) throws Exception {
        return post(form(customer, providerMessageId, text), true);
    }

    @Override
    public OptionalInt deliverForged(int customer, String providerMessageId, String text) throws Exception {
        return OptionalInt.of(post(form(customer, providerMessageId, text), false));
    }

    @Override
    public OptionalInt deliverMalformed() throws Exception {
        List<Map.Entry<String, String>> form =
                new java.util.ArrayList<>(FakeTwilio.sms("+14155550001", "hi", sid("bad")));
        form.removeIf(e -> e.getKey().equals("From"));
        return OptionalInt.of(post(FakeTwilio.encode(form), true));
    }

    /**
     * What the customer reads: each message Twilio accepted, without the {@code " (i/n)"} part
     * number the channel appends to a reply sent in several messages.
     */
    @Override
    public List<Sent> sent() {
        return twilio.sent.stream()
                .map(s -> new Sent(
                        Identity.phone(s.to().replaceFirst("^whatsapp:", "")),
                        PART_NUMBER.matcher(s.body()).replaceFirst("")))
                .toList();
    }

    @Override
    public boolean failNextSends(int n) {
        for (int i = 0; i < n; i++) {
            twilio.failNext(1, i % 2 == 0 ? 429 : 503);
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        if (server != null) {
            server.close();
        }
        channel.close();
        twilio.close();
    }

    private String form(int customer, String providerMessageId, String text) {
        String phone = customer(customer).value();
        String sid = sid(providerMessageId);
        return FakeTwilio.encode(
                whatsapp
                        ? FakeTwilio.whatsapp(phone, "Customer " + customer, text, sid)
                        : FakeTwilio.sms(phone, text, sid));
    }

    /** A Twilio-shaped sid derived from the contract's id, so that the same id gives the same sid. */
    private static String sid(String id) {
        return "SM"
                + UUID.nameUUIDFromBytes(id.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .toString()
                        .replace("-", "");
    }

    private int post(String body, boolean signed) throws Exception {
        String mount = channel.mountPath();
        String signature = signed
                ? FakeTwilio.sign(FakeTwilio.PUBLIC_URL + mount, body)
                : TwilioSignature.of("forged-token")
                        .sign(FakeTwilio.PUBLIC_URL + mount, dev.opencx.connect.FormBody.parse(body));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + mount))
                .header("Content-Type", "application/x-www-form-urlencoded; charset=UTF-8")
                .header("X-Twilio-Signature", signature)
                .header(TwilioIdempotency.HEADER, UUID.randomUUID().toString())
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
