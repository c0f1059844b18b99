package dev.opencx.channel.whatsapp;

import dev.opencx.OpenCx;
import dev.opencx.channel.Channel;
import dev.opencx.conversation.Identity;
import dev.opencx.http.WebServer;
import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import mockwebserver3.MockWebServer;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The WhatsApp channel keeps the channel contract: Meta's webhooks, signed, go through the real
 * embedded server; the Graph API is MockWebServer speaking Meta's JSON.
 */
class WhatsAppChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFixture fixture() throws IOException {
        return new MetaFixture();
    }

    static final class MetaFixture implements ChannelFixture {
        private final MockWebServer graphServer = new MockWebServer();
        private final GraphFake graph = new GraphFake();
        private final OkHttpClient http = new OkHttpClient();
        private final WhatsAppChannel channel;
        private WebServer server;

        MetaFixture() throws IOException {
            graphServer.setDispatcher(graph);
            graphServer.start();
            graph.base(graphServer.url("/"));
            String base = graphServer.url("/").toString();
            channel = WhatsAppChannel.builder()
                    .phoneNumberId(Meta.PHONE_NUMBER_ID)
                    .accessToken(Rig.ACCESS_TOKEN)
                    .appSecret(Meta.APP_SECRET)
                    .verifyToken(Rig.VERIFY_TOKEN)
                    .graphBaseUrl(base.substring(0, base.length() - 1))
                    .build();
        }

        @Override
        public Channel channel() {
            return channel;
        }

        private static String waId(int n) {
            return "49151123450" + String.format("%02d", n);
        }

        @Override
        public Identity customer(int n) {
            return Identity.phone("+" + waId(n));
        }

        @Override
        public void started(OpenCx cx) {
            server = WebServer.builder().port(0).mount(channel).build().start();
        }

        @Override
        public int deliver(int customer, String providerMessageId, String text) throws IOException {
            byte[] body = Meta.utf8(Meta.text(
                    waId(customer), "Customer " + customer, "wamid." + providerMessageId, Meta.now(), json(text)));
            return post(body, Meta.sign(Meta.APP_SECRET, body));
        }

        @Override
        public OptionalInt deliverForged(int customer, String providerMessageId, String text) throws IOException {
            byte[] body = Meta.utf8(Meta.text(
                    waId(customer), "Customer " + customer, "wamid." + providerMessageId, Meta.now(), json(text)));
            return OptionalInt.of(post(body, Meta.sign("a-guessed-secret", body)));
        }

        @Override
        public OptionalInt deliverMalformed() throws IOException {
            byte[] body = Meta.utf8("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"changes\":[{\"field\":");
            return OptionalInt.of(post(body, Meta.sign(Meta.APP_SECRET, body)));
        }

        @Override
        public List<Sent> sent() {
            return graph.accepted().stream()
                    .map(c -> new Sent(
                            Identity.phone(c.to()),
                            c.type().equals("text") ? c.text() : c.body().toString()))
                    .toList();
        }

        @Override
        public boolean failNextSends(int n) {
            for (int i = 0; i < n; i++) {
                graph.failNext(i % 2 == 0 ? GraphFake.tooManyRequests(1) : GraphFake.serverError());
            }
            return true;
        }

        private int post(byte[] body, String signature) throws IOException {
            Request request = new Request.Builder()
                    .url(server.uri().resolve(channel.mountPath()).toString())
                    .header("X-Hub-Signature-256", signature)
                    .post(RequestBody.create(body, MediaType.get("application/json")))
                    .build();
            try (Response r = http.newCall(request).execute()) {
                return r.code();
            }
        }

        private static String json(String text) {
            return GraphFake.JSON.getNodeFactory().textNode(text).toString().replaceAll("^\"|\"$", "");
        }

        @Override
        public void close() throws IOException {
            if (server != null) {
                server.close();
            }
            channel.close();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
            graphServer.close();
        }
    }
}
