package dev.opencx.channel.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.channel.Channel;
import dev.opencx.conversation.Identity;
import dev.opencx.test.channel.ChannelContract;
import dev.opencx.test.channel.ChannelFixture;
import dev.opencx.webhook.WebResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/** The chat widget keeps the channel contract: its browser API is the "provider". */
class WebChannelContractTest extends ChannelContract {

    @Override
    protected ChannelFixture fixture() {
        return new WidgetFixture();
    }

    /** A verified user per customer, each with one session, talking through the widget API. */
    static final class WidgetFixture implements ChannelFixture {
        private static final String SECRET = "contract-widget-secret-0123456789abcdef";
        private static final String ORIGIN = "https://shop.example";
        private final WebChannel web =
                WebChannel.builder().secret(SECRET).allowedOrigins(ORIGIN).build();
        private final Map<Integer, String[]> tokenAndSession = new ConcurrentHashMap<>();

        @Override
        public Channel channel() {
            return web;
        }

        @Override
        public Identity customer(int n) {
            return Identity.custom("contract-user-" + n);
        }

        @Override
        public int deliver(int customer, String providerMessageId, String text) {
            String[] ts = open(customer);
            return post(ts[0], ts[1], providerMessageId, text).status();
        }

        @Override
        public OptionalInt deliverForged(int customer, String providerMessageId, String text) {
            // a token signed with another secret, for a session id that looks real
            WebChannel other = WebChannel.builder()
                    .secret("another-secret-0123456789abcdef012345")
                    .build();
            String forgedToken = "x" + other.userHash("contract-user-" + customer);
            return OptionalInt.of(post(forgedToken, "s-" + providerMessageId, providerMessageId, text)
                    .status());
        }

        @Override
        public OptionalInt deliverMalformed() {
            String[] ts = open(1);
            WebResponse r = HttpFixtures.call(
                    web.handler(),
                    "POST",
                    "/widget/v1/sessions/" + ts[1] + "/messages",
                    "{\"text\": ",
                    "Authorization",
                    "Bearer " + ts[0],
                    "Origin",
                    ORIGIN);
            return OptionalInt.of(r.status());
        }

        @Override
        public List<Sent> sent() {
            List<Sent> out = new ArrayList<>();
            tokenAndSession.forEach((customer, ts) -> {
                WebResponse r = HttpFixtures.call(
                        web.handler(),
                        "GET",
                        "/widget/v1/sessions/" + ts[1] + "/messages?limit=500",
                        null,
                        "Authorization",
                        "Bearer " + ts[0],
                        "Origin",
                        ORIGIN);
                for (JsonNode item : HttpFixtures.json(r).path("items")) {
                    if (!item.path("author").asText().equals("customer") && item.hasNonNull("text")) {
                        out.add(new Sent(customer(customer), item.get("text").asText()));
                    }
                }
            });
            return out;
        }

        @Override
        public boolean failNextSends(int n) {
            return false; // the widget reads replies from the session log: nothing to fail
        }

        /** Authenticates the customer's verified user and opens (or finds) their session. */
        private String[] open(int customer) {
            return tokenAndSession.computeIfAbsent(customer, c -> {
                String user = "contract-user-" + c;
                WebResponse auth = HttpFixtures.call(
                        web.handler(),
                        "POST",
                        "/widget/v1/auth",
                        "{\"userId\":\"" + user + "\",\"userHash\":\"" + web.userHash(user) + "\"}",
                        "Origin",
                        ORIGIN);
                String token = HttpFixtures.json(auth).get("token").asText();
                WebResponse session = HttpFixtures.call(
                        web.handler(),
                        "POST",
                        "/widget/v1/sessions",
                        "{}",
                        "Authorization",
                        "Bearer " + token,
                        "Origin",
                        ORIGIN);
                return new String[] {token, HttpFixtures.json(session).get("id").asText()};
            });
        }

        private WebResponse post(String token, String session, String clientId, String text) {
            String body = HttpFixtures.JSON
                    .createObjectNode()
                    .put("text", text)
                    .put("clientMessageId", clientId)
                    .toString();
            return HttpFixtures.call(
                    web.handler(),
                    "POST",
                    "/widget/v1/sessions/" + session + "/messages",
                    body,
                    "Authorization",
                    "Bearer " + token,
                    "Origin",
                    ORIGIN);
        }
    }
}
