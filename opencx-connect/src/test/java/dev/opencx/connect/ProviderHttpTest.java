package dev.opencx.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.junit5.StartStop;
import okhttp3.Request;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ProviderHttpTest {
    @StartStop
    final MockWebServer server = new MockWebServer();

    final ProviderHttp http = ProviderHttp.builder("acme")
            .errorCode(body -> ProviderHttp.jsonField(body, "/error").orElse(""))
            .clock(Clock.fixed(Instant.parse("2026-12-08T10:00:00Z"), ZoneOffset.UTC))
            .build();

    @AfterEach
    void close() {
        http.close();
    }

    private Request get() {
        return new Request.Builder().url(server.url("/v1/send?token=secret")).build();
    }

    @Test
    void returns_a_2xx_answer_with_its_body() {
        server.enqueue(
                new MockResponse.Builder().code(201).body("{\"sid\":\"SM1\"}").build());
        assertThat(http.execute(get()).body()).isEqualTo("{\"sid\":\"SM1\"}");
    }

    @Test
    void a_429_is_retriable_and_carries_the_retry_after_seconds() {
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .addHeader("Retry-After", "30")
                .body("{}")
                .build());
        assertThatThrownBy(() -> http.execute(get())).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.isRetriable()).isTrue();
            assertThat(e.status()).isEqualTo(429);
            assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
        });
    }

    @Test
    void a_503_with_an_http_date_waits_until_that_date() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "Tue, 08 Dec 2026 10:02:00 GMT")
                .build());
        assertThatThrownBy(() -> http.execute(get()))
                .isInstanceOfSatisfying(
                        ProviderException.class, e -> assertThat(e.retryAfter()).contains(Duration.ofMinutes(2)));
    }

    @Test
    void a_400_is_permanent_names_the_error_code_and_keeps_the_body_out_of_the_message() {
        server.enqueue(new MockResponse.Builder()
                .code(400)
                .body("{\"error\":\"invalid_to\",\"detail\":\"+14155550100 is not valid\"}")
                .build());
        assertThatThrownBy(() -> http.execute(get())).isInstanceOfSatisfying(ProviderException.class, e -> {
            assertThat(e.isRetriable()).isFalse();
            assertThat(e.getMessage())
                    .isEqualTo("acme GET /v1/send answered 400 (invalid_to)")
                    .doesNotContain("secret")
                    .doesNotContain("4155550100");
            assertThat(e.body()).contains("4155550100");
        });
    }

    @Test
    void a_connection_failure_is_retriable() {
        String url = server.url("/").toString();
        server.close();
        assertThatThrownBy(() -> http.execute(new Request.Builder().url(url).build()))
                .isInstanceOfSatisfying(
                        OpenCxException.class, e -> assertThat(e.isRetriable()).isTrue());
    }

    @Test
    void refuses_a_non_positive_timeout_naming_it() {
        assertThatThrownBy(() -> ProviderHttp.builder("acme").readTimeout(Duration.ZERO))
                .hasMessage("readTimeout must be positive, was PT0S");
    }
}
