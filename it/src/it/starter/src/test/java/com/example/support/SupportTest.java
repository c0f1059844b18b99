package com.example.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A customer asks over the REST API of a project that has only opencx-starter, and gets the help center's answer. */
class SupportTest {

    private static final String KEY = "sample-api-key-0123456789abcdef";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answers_a_customer_from_the_help_center_over_the_rest_api(@TempDir Path data) throws Exception {
        try (Support support = new Support(data, 0, "sample-widget-secret-0123456789abcdef0123456789", KEY)) {
            URI base = support.uri();
            String session = post(
                    base.resolve("/api/v1/sessions"),
                    "{\"contact\":{\"email\":\"ana@example.com\"},\"locale\":\"en\"}",
                    201);
            String id = field(session, "id");
            post(
                    base.resolve("/api/v1/sessions/" + id + "/messages"),
                    "{\"text\":\"How long do I have to return something? I am ana@example.com\"}",
                    202);

            String messages = "";
            Instant until = Instant.now().plusSeconds(60);
            while (!messages.contains("\"author\":\"ai\"") && Instant.now().isBefore(until)) {
                Thread.sleep(100);
                messages = get(base.resolve("/api/v1/sessions/" + id + "/messages?after=0"));
            }
            System.out.println("messages: " + messages);
            assertTrue(messages.contains("\"author\":\"ai\""), "no AI reply in " + messages);
            assertTrue(messages.contains("30 days"), messages);
            assertTrue(messages.contains("https://shop.example/help/returns"), messages);
            // PII (opencx-pii) replaced the e-mail address before it was stored
            assertTrue(messages.contains("[EMAIL_1]") && !messages.contains("ana@example.com"), messages);
        }
    }

    private String post(URI uri, String json, int expected) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + KEY)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, r.statusCode(), r.body());
        return r.body();
    }

    private String get(URI uri) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(uri)
                        .timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + KEY)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r.body();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
