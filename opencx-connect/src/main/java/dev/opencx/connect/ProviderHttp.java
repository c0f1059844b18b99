package dev.opencx.connect;

import dev.opencx.OpenCxException;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP client an adapter calls its provider with: one OkHttp client with bounded timeouts, and
 * every failure mapped onto {@link OpenCxException} so the outbox knows what to do with it.
 *
 * <ul>
 *   <li>an I/O error or a timeout: retriable;
 *   <li>{@code 429}, {@code 408} and {@code 5xx}: a retriable {@link ProviderException}, carrying
 *       the provider's {@code Retry-After} (capped at {@link Builder#maxRetryAfter}) so the outbox
 *       waits at least that long;
 *   <li>any other status from 300 up: a permanent {@link ProviderException}.
 * </ul>
 *
 * <pre>{@code
 * ProviderHttp http = ProviderHttp.builder("slack").errorCode(body -> readJson(body).path("error").asText()).build();
 * ProviderHttp.Reply reply = http.execute(new Request.Builder().url(url).post(json).build());
 * }</pre>
 *
 * <p>Logs name the provider, method, path and status at DEBUG; never headers, query strings or
 * bodies (they hold tokens and personal data). Thread-safe; {@link #close()} releases an owned
 * client and is idempotent.
 */
public final class ProviderHttp implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderHttp.class);
    private static final int MAX_BODY = 1 << 20;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private final String provider;
    private final OkHttpClient client;
    private final boolean ownsClient;
    private final Duration maxRetryAfter;
    private final Function<String, String> errorCode;
    private final Clock clock;

    private ProviderHttp(Builder b) {
        this.provider = b.provider;
        this.ownsClient = b.client == null;
        this.client = b.client != null
                ? b.client
                : new OkHttpClient.Builder()
                        .connectTimeout(b.connectTimeout)
                        .readTimeout(b.readTimeout)
                        .writeTimeout(b.readTimeout)
                        .callTimeout(b.readTimeout.plus(b.connectTimeout))
                        .followRedirects(false)
                        .build();
        this.maxRetryAfter = b.maxRetryAfter;
        this.errorCode = b.errorCode;
        this.clock = b.clock;
    }

    /** @param provider the provider's name, used in messages ({@code "twilio"}) */
    public static Builder builder(String provider) {
        return new Builder(provider);
    }

    /** A successful (2xx) answer. */
    public record Reply(int status, String body, okhttp3.Headers headers) {}

    /**
     * Sends {@code request} once.
     *
     * @return the answer when its status is 2xx
     * @throws ProviderException for any other status (retriable for 408, 429, 5xx)
     * @throws OpenCxException retriable, for I/O errors and timeouts
     */
    public Reply execute(Request request) {
        Objects.requireNonNull(request, "request");
        String what = provider + " " + request.method() + " " + request.url().encodedPath();
        try (Response response = client.newCall(request).execute()) {
            String body = read(response.body());
            int status = response.code();
            LOG.debug("{} answered {}", what, status);
            if (status >= 200 && status < 300) {
                return new Reply(status, body, response.headers());
            }
            boolean retriable = status == 408 || status == 429 || status >= 500;
            Duration after = retriable
                    ? RetryAfter.parse(response.header("Retry-After"), clock)
                            .map(d -> d.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : d)
                            .orElse(null)
                    : null;
            String code = codeOf(body);
            String message = what + " answered " + status + (code.isEmpty() ? "" : " (" + code + ")")
                    + (after == null ? "" : ", retry after " + after.toSeconds() + " s");
            throw new ProviderException(message, status, body, retriable, after);
        } catch (IOException e) {
            throw OpenCxException.retriable(what + " failed: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The OkHttp client, for adapters that need it (a streaming call, a download). */
    public OkHttpClient client() {
        return client;
    }

    private String codeOf(String body) {
        try {
            String c = errorCode.apply(body);
            return c == null ? "" : c.length() > 80 ? c.substring(0, 80) : c;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static String read(ResponseBody body) throws IOException {
        if (body == null) {
            return "";
        }
        okio.BufferedSource source = body.source();
        source.request(MAX_BODY);
        String text = source.getBuffer().size() > MAX_BODY ? source.getBuffer().readUtf8(MAX_BODY) : source.readUtf8();
        return text;
    }

    @Override
    public void close() {
        if (ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "ProviderHttp{" + provider + "}";
    }

    /** Builds a {@link ProviderHttp}; every setter fails fast on a bad value. */
    public static final class Builder {
        private final String provider;
        private OkHttpClient client;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(20);
        private Duration maxRetryAfter = Duration.ofHours(1);
        private Function<String, String> errorCode = body -> "";
        private Clock clock = Clock.systemUTC();

        private Builder(String provider) {
            Objects.requireNonNull(provider, "provider");
            if (provider.isBlank()) {
                throw new IllegalArgumentException("provider name is blank");
            }
            this.provider = provider;
        }

        /** Use this client (shared with the application) instead of owning one. */
        public Builder client(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /** Connect timeout of an owned client (default 5 s). */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive("connectTimeout", timeout);
            return this;
        }

        /** Read and write timeout of an owned client (default 20 s). */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive("readTimeout", timeout);
            return this;
        }

        /** The longest {@code Retry-After} honoured (default 1 h); longer advice is cut to it. */
        public Builder maxRetryAfter(Duration max) {
            this.maxRetryAfter = positive("maxRetryAfter", max);
            return this;
        }

        /**
         * Extracts the provider's error code from an error body for messages ({@code
         * "channel_not_found"}, {@code "21211"}); it must not return personal data. Default: none.
         */
        public Builder errorCode(Function<String, String> extractor) {
            this.errorCode = Objects.requireNonNull(extractor, "extractor");
            return this;
        }

        /** The clock that dates in {@code Retry-After} are read against (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ProviderHttp build() {
            return new ProviderHttp(this);
        }

        private static Duration positive(String name, Duration d) {
            Objects.requireNonNull(d, name);
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }

    /**
     * The text at a JSON pointer ({@code "/error"}, {@code "/error/code"}) of a body, a helper for
     * {@link Builder#errorCode}; empty when the body is not JSON or has nothing there.
     */
    public static Optional<String> jsonField(String body, String pointer) {
        try {
            com.fasterxml.jackson.databind.JsonNode n = JSON.readTree(body).at(pointer);
            return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n.asText());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
