package dev.opencx.channel.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.http.WebServer;
import dev.opencx.http.testing.RawHttp;
import dev.opencx.webhook.WebResponse;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every status the server sends is JSON in the shape of every OpenCX endpoint, Jetty's own
 * refusals included (a malformed request line or header, a URI or headers over the limits, an
 * unsupported HTTP version): sent on raw sockets, since a well-behaved client cannot send them.
 */
class JsonErrorsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    static Rig rig;
    static WebServer plain;

    @BeforeAll
    static void start() {
        rig = Rig.start();
        plain = WebServer.builder()
                .port(0)
                .maxRequestBytes(2048)
                .bodyTimeout(Duration.ofSeconds(1))
                .mount("/hooks", r -> WebResponse.text(200, "got " + r.bodyLength()))
                .mount("/boom", r -> {
                    throw new IllegalStateException("secret detail");
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        plain.close();
        rig.close();
    }

    @Test
    void a_malformed_request_line_is_400_json() {
        assertJsonError(send(plain, "GARBAGE\r\n\r\n"), 400, "invalid_request");
        assertJsonError(
                send(plain, "GET /hooks HTTP/1.1\r\nHost: a\r\nno colon in this header\r\n\r\n"),
                400,
                "invalid_request");
        assertJsonError(send(plain, "GET /hooks HTTP/1.1\r\n\r\n"), 400, "invalid_request"); // HTTP/1.1 without Host
    }

    @Test
    void a_too_long_uri_is_414_json() {
        assertJsonError(
                send(plain, "GET /hooks/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"), 414, "uri_too_long");
    }

    @Test
    void too_large_headers_are_431_json() {
        assertJsonError(
                send(plain, "GET /hooks HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"),
                431,
                "headers_too_large");
    }

    @Test
    void an_unsupported_http_version_is_505_json() {
        assertJsonError(send(plain, "GET /hooks HTTP/3.0\r\nHost: a\r\n\r\n"), 505, "http_version_not_supported");
    }

    @Test
    void an_unknown_path_is_404_json_with_and_without_the_widget_at_the_root() {
        assertJsonError(send(plain, "GET /nothing HTTP/1.1\r\nHost: a\r\n\r\n"), 404, "not_found");
        assertJsonError(send(rig.server, "GET /nothing/here HTTP/1.1\r\nHost: a\r\n\r\n"), 404, "not_found");
    }

    @Test
    void a_wrong_method_is_405_json_with_allow() {
        RawHttp.Response r = send(rig.server, "DELETE /widget/v1/auth HTTP/1.1\r\nHost: a\r\n\r\n");
        assertJsonError(r, 405, "method_not_allowed");
        assertThat(r.header("Allow")).isNotBlank();
    }

    @Test
    void a_body_over_the_limit_is_413_json_declared_or_chunked_and_the_connection_closes() {
        try (RawHttp c = RawHttp.connect(plain.port())) {
            c.write("POST /hooks HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\n\r\n");
            assertJsonError(c.read(WAIT), 413, "payload_too_large");
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
        try (RawHttp c = RawHttp.connect(plain.port())) {
            c.write("POST /hooks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 3; i++) {
                c.write("400\r\n" + "x".repeat(1024) + "\r\n");
            }
            RawHttp.Response r = c.read(WAIT);
            assertJsonError(r, 413, "payload_too_large");
            assertThat(r.header("Connection")).isEqualTo("close");
        }
    }

    @Test
    void a_body_that_stops_arriving_is_408_json_and_the_connection_closes() {
        try (RawHttp c = RawHttp.connect(plain.port())) {
            long start = System.nanoTime();
            c.write("POST /hooks HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nonly a part");
            RawHttp.Response r = c.read(WAIT);
            assertJsonError(r, 408, "request_timeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(900), WAIT);
            assertThat(c.closedWithin(WAIT)).isTrue();
        }
    }

    @Test
    void a_malformed_chunked_body_is_400_json() {
        RawHttp.Response r =
                send(plain, "POST /hooks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nZZZ-not-a-size\r\n");
        assertJsonError(r, 400, "invalid_request");
    }

    @Test
    void other_refusals_jetty_makes_by_itself_are_json_too() {
        String[] requests = {
            "POST /hooks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /hooks HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello",
            "GET /hooks HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /hooks HTTP/1.1\r\nHost: a\r\nExpect: the-unexpected\r\n\r\n",
        };
        for (String request : requests) {
            RawHttp.Response r = send(plain, request);
            assertThat(r.status()).as(r.toString()).isBetween(400, 599);
            assertThat(code(r)).as(r.toString()).matches("[a-z][a-z_]+");
            assertJsonError(r, r.status(), code(r));
        }
    }

    @Test
    void a_failing_handler_is_500_json_without_details() {
        RawHttp.Response r = send(plain, "GET /boom HTTP/1.1\r\nHost: a\r\n\r\n");
        assertJsonError(r, 500, "internal_error");
        assertThat(r.body()).doesNotContain("secret detail");
    }

    @Test
    void a_complete_body_still_reaches_the_handler_whole_on_a_kept_alive_connection() {
        try (RawHttp c = RawHttp.connect(plain.port())) {
            c.write("POST /hooks HTTP/1.1\r\nHost: a\r\nContent-Length: 2048\r\n\r\n" + "y".repeat(1000));
            c.write("y".repeat(1048));
            RawHttp.Response first = c.read(WAIT);
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.body()).isEqualTo("got 2048");
            c.write("POST /hooks HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            assertThat(c.read(WAIT).body()).isEqualTo("got 5");
        }
    }

    private static String code(RawHttp.Response r) {
        try {
            return Rig.JSON.readTree(r.body()).path("error").path("code").asText("(no code)");
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
    }

    private static RawHttp.Response send(WebServer server, String request) {
        try (RawHttp c = RawHttp.connect(server.port())) {
            return c.write(request).read(WAIT);
        }
    }

    private static void assertJsonError(RawHttp.Response r, int status, String code) {
        System.out.println(r.status() + " " + r.body());
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(r.toString()).startsWith("application/json");
        JsonNode json;
        try {
            json = Rig.JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + r, e);
        }
        assertThat(json.path("error").path("code").asText()).as(r.toString()).isEqualTo(code);
        assertThat(json.path("error").path("message").asText()).as(r.toString()).isNotBlank();
    }
}
