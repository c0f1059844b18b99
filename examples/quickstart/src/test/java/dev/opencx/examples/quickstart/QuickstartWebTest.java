package dev.opencx.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quickstart's web mode on a free port: the store page loads the widget, the order actions
 * work through the widget's API (where is my order 1042? / cancel it / yes), and the demo agent
 * signs in to the inbox with the generated password and sees the action call in the AI's trace.
 */
class QuickstartWebTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @Test
    void the_store_page_the_widget_with_order_actions_and_the_inbox(@TempDir Path data) throws Exception {
        try (StoreWeb web = StoreWeb.start(data, 0)) {
            URI base = web.uri();
            HttpResponse<String> page = get(base.resolve("/"), "");
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<script src=\"/widget.js\"", "Northwind Outfitters");
            assertThat(get(base.resolve("/widget.js"), "").statusCode()).isEqualTo(200);

            String token =
                    post(base.resolve("/widget/v1/auth"), "{}", "").get("token").asText();
            String session = post(base.resolve("/widget/v1/sessions"), "{}", token)
                    .get("id")
                    .asText();
            assertThat(ask(web, base, token, session, "where is my order 1042?"))
                    .contains("1042")
                    .contains("processing");
            assertThat(ask(web, base, token, session, "cancel it")).contains("Shall I go ahead?");
            assertThat(ask(web, base, token, session, "yes")).contains("order 1042 is cancelled");

            // the demo agent signs in with the password the console prints
            String cookie = signIn(base, web.password());
            JsonNode state =
                    JSON.readTree(get(base.resolve("/inbox/api/state"), cookie).body());
            assertThat(state.path("live").toString()).contains(session);
            assertThat(state.path("autopilot").path("topics").toString()).contains("legal");
            JsonNode conv = JSON.readTree(
                    get(base.resolve("/inbox/api/sessions/" + session), cookie).body());
            List<String> actions = new ArrayList<>();
            conv.path("items").forEach(i -> i.path("trace")
                    .path("actions")
                    .forEach(a -> actions.add(a.path("action").asText())));
            assertThat(actions).containsExactly("getOrder", "cancelOrder");
        }
    }

    /** Posts a message as the visitor and returns the AI's answer. */
    private String ask(StoreWeb web, URI base, String token, String session, String text) throws Exception {
        URI messages = base.resolve("/widget/v1/sessions/" + session + "/messages");
        int before = aiTexts(messages, token).size();
        post(messages, JSON.createObjectNode().put("text", text).toString(), token);
        web.agent().cx().awaitIdle(WAIT);
        List<String> after = aiTexts(messages, token);
        assertThat(after).as("an answer to '%s'", text).hasSizeGreaterThan(before);
        return after.get(after.size() - 1);
    }

    private List<String> aiTexts(URI messages, String token) throws Exception {
        List<String> out = new ArrayList<>();
        JSON.readTree(get(URI.create(messages + "?after=0"), "Bearer " + token).body())
                .path("items")
                .forEach(i -> {
                    if (i.path("author").asText().equals("ai")) {
                        out.add(i.path("text").asText());
                    }
                });
        return out;
    }

    private String signIn(URI base, String password) throws Exception {
        HttpResponse<String> form = get(base.resolve("/inbox/login"), "");
        String cookie = form.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
        Matcher csrf = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(csrf.find()).isTrue();
        HttpResponse<String> in = http.send(
                HttpRequest.newBuilder(base.resolve("/inbox/login"))
                        .header("Cookie", cookie)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("csrf=" + csrf.group(1) + "&login=maria&password="
                                + URLEncoder.encode(password, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(303);
        return in.headers().firstValue("Set-Cookie").orElseThrow().split(";", 2)[0];
    }

    /** GET with a cookie ({@code name=value}) or an authorization ({@code Bearer …}); empty for none. */
    private HttpResponse<String> get(URI uri, String credential) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(WAIT).GET();
        if (credential.startsWith("Bearer ")) {
            b.header("Authorization", credential);
        } else if (!credential.isEmpty()) {
            b.header("Cookie", credential);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode post(URI uri, String json, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(WAIT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (!token.isEmpty()) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 299);
        return JSON.readTree(r.body());
    }
}
