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

/** The REST API channel keeps the channel contract: a server of the customer's is the "provider". */
class RestApiChannelContractTest extends ChannelContract {
    private static final String KEY = "contract-api-key-0123456789abcdef";

    @Override
    protected ChannelFixture fixture() {
        return new ApiFixture();
    }

    /** One API session per customer, opened with the customer's e-mail address. */
    static final class ApiFixture implements ChannelFixture {
        private final RestApiChannel api = RestApiChannel.builder().apiKey(KEY).build();
        private final Map<Integer, String> sessions = new ConcurrentHashMap<>();

        @Override
        public Channel channel() {
            return api;
        }

        @Override
        public Identity customer(int n) {
            return Identity.email("customer" + n + "@example.com");
        }

        @Override
        public int deliver(int customer, String providerMessageId, String text) {
            return post(KEY, session(customer), providerMessageId, text).status();
        }

        @Override
        public OptionalInt deliverForged(int customer, String providerMessageId, String text) {
            WebResponse created = HttpFixtures.call(
                    api.handler(),
                    "POST",
                    "/v1/sessions",
                    "{\"contact\":{\"email\":\"customer" + customer + "@example.com\"}}",
                    "Authorization",
                    "Bearer not-the-key");
            if (created.status() != 401) {
                return OptionalInt.of(created.status());
            }
            return OptionalInt.of(post("not-the-key", "s-" + providerMessageId, providerMessageId, text)
                    .status());
        }

        @Override
        public OptionalInt deliverMalformed() {
            WebResponse r = HttpFixtures.call(
                    api.handler(),
                    "POST",
                    "/v1/sessions",
                    "{\"contact\":{\"email\":\"not an address\"}}",
                    "Authorization",
                    "Bearer " + KEY);
            return OptionalInt.of(r.status());
        }

        @Override
        public List<Sent> sent() {
            List<Sent> out = new ArrayList<>();
            sessions.forEach((customer, id) -> {
                WebResponse r = HttpFixtures.call(
                        api.handler(),
                        "GET",
                        "/v1/sessions/" + id + "/messages?limit=500",
                        null,
                        "Authorization",
                        "Bearer " + KEY);
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
            return false; // replies are read from the session log: nothing to fail
        }

        private String session(int customer) {
            return sessions.computeIfAbsent(customer, c -> {
                WebResponse created = HttpFixtures.call(
                        api.handler(),
                        "POST",
                        "/v1/sessions",
                        "{\"contact\":{\"email\":\"customer" + c + "@example.com\"}}",
                        "Authorization",
                        "Bearer " + KEY);
                return HttpFixtures.json(created).get("id").asText();
            });
        }

        private WebResponse post(String key, String session, String clientId, String text) {
            String body = HttpFixtures.JSON
                    .createObjectNode()
                    .put("text", text)
                    .put("clientMessageId", clientId)
                    .toString();
            return HttpFixtures.call(
                    api.handler(),
                    "POST",
                    "/v1/sessions/" + session + "/messages",
                    body,
                    "Authorization",
                    "Bearer " + key);
        }
    }
}
