package dev.opencx.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a {@link WebhookHandler} answers: a status, headers and a body, an open event stream, or
 * one of these later ({@link #later deferred}). Immutable; {@link #withHeader} and {@link #map}
 * return a copy.
 *
 * <pre>{@code
 * WebResponse ok = WebResponse.json(200, "{\"status\":\"ok\"}");
 * WebResponse bad = WebResponse.error(400, "invalid_json", "the body is not JSON: unexpected end at line 1");
 * WebResponse live = WebResponse.eventStream(stream -> subscribers.add(stream));
 * WebResponse slow = WebResponse.later(lookup.thenApply(found -> WebResponse.json(200, found)));
 * }</pre>
 *
 * <p>A server adapter writes {@link #status()}, every {@link #headers() header} and the {@link
 * #body()}; for an {@link #isEventStream() event stream} it sends the headers at once, then hands
 * an {@link EventStream} to {@link #openEventStream} and keeps the response open until that stream
 * is closed. For a {@link #isDeferred() deferred} response it first waits for the eventual one:
 * without a thread through {@link #completion()}, or blocking through {@link #await(Duration)}.
 */
public final class WebResponse {
    private static final Logger LOG = LoggerFactory.getLogger(WebResponse.class);

    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Consumer<EventStream> onOpen;
    /** Non-null for a deferred response: its eventual response (never completes exceptionally). */
    private final CompletableFuture<WebResponse> later;

    private WebResponse(
            int status, List<Map.Entry<String, String>> headers, byte[] body, Consumer<EventStream> onOpen) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100 to 599, was " + status);
        }
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.onOpen = onOpen;
        this.later = null;
    }

    private WebResponse(CompletableFuture<WebResponse> later) {
        this.status = 0;
        this.headers = List.of();
        this.body = new byte[0];
        this.onOpen = null;
        this.later = later;
    }

    /** A response with a body of the given content type. */
    public static WebResponse of(int status, String contentType, byte[] body) {
        Objects.requireNonNull(contentType, "contentType");
        return new WebResponse(
                status,
                List.of(Map.entry("Content-Type", contentType)),
                Objects.requireNonNull(body, "body").clone(),
                null);
    }

    /** A JSON response ({@code application/json; charset=utf-8}). */
    public static WebResponse json(int status, String json) {
        return of(status, "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
    }

    /** A plain-text response. */
    public static WebResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** A response without a body (204, 304, …). */
    public static WebResponse empty(int status) {
        return new WebResponse(status, List.of(), new byte[0], null);
    }

    /**
     * The error format of every OpenCX endpoint: {@code {"error":{"code":"…","message":"…"}}}.
     *
     * @param code a stable, machine-readable reason ({@code invalid_json}, {@code unauthorized})
     * @param message a sentence for the developer that says what was wrong; never echoes secrets
     */
    public static WebResponse error(int status, String code, String message) {
        return json(status, "{\"error\":{\"code\":" + quote(code) + ",\"message\":" + quote(message) + "}}");
    }

    /**
     * A {@code text/event-stream} response (status 200, no caching). {@code onOpen} is called with
     * the open stream once the headers are sent.
     */
    public static WebResponse eventStream(Consumer<EventStream> onOpen) {
        Objects.requireNonNull(onOpen, "onOpen");
        return new WebResponse(
                200,
                List.of(
                        Map.entry("Content-Type", "text/event-stream; charset=utf-8"),
                        Map.entry("Cache-Control", "no-cache, no-store"),
                        Map.entry("X-Accel-Buffering", "no")),
                new byte[0],
                onOpen);
    }

    /**
     * A response that comes later: the server answers with what {@code answer} completes with,
     * without a thread of the handler's waiting for it (a password check on a queue of its own, a
     * call to another service). The eventual response may be of any kind, an event stream or
     * another deferred response included.
     *
     * <pre>{@code
     * CompletableFuture<Boolean> checked = checks.submit(password);   // runs elsewhere
     * return WebResponse.later(checked.thenApply(ok -> ok ? WebResponse.empty(204) : WebResponse.error(401, "unauthorized", "wrong password")));
     * }</pre>
     *
     * <p>Contract: {@code answer} is not null, and it completes with a response, not null. If it
     * completes exceptionally (or with null), the client gets a 500 {@code internal_error} without
     * details and the log has the cause: a handler that means to refuse completes it with a 4xx
     * {@link #error} instead. It must complete within the server's limit (the embedded server's
     * {@code deferredTimeout}, 30 s by default): past it the client gets a 503 {@code unavailable}
     * with {@code Retry-After}, and a completion after that is ignored. The server does not cancel
     * {@code answer}: bound the work behind it yourself ({@link CompletableFuture#orTimeout}).
     * Decorations applied to a deferred response ({@link #withHeader}, {@link #map}) apply to the
     * eventual response.
     *
     * @throws NullPointerException when {@code answer} is null
     */
    public static WebResponse later(CompletionStage<WebResponse> answer) {
        Objects.requireNonNull(answer, "answer");
        CompletableFuture<WebResponse> eventual = new CompletableFuture<>();
        answer.whenComplete((r, failure) -> {
            if (failure != null || r == null) {
                eventual.complete(failed(failure == null ? new NullPointerException("completed with null") : failure));
            } else {
                r.completion().thenAccept(eventual::complete);
            }
        });
        return new WebResponse(eventual);
    }

    /** The 500 for a deferred response that failed; the cause goes to the log only. */
    private static WebResponse failed(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        LOG.error("a deferred web response failed", cause);
        return error(500, "internal_error", "the server failed to handle the request");
    }

    /** A copy with one more header; for a deferred response, added to the eventual response. */
    public WebResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank() || name.indexOf('\n') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("header must be one line with a name, was '" + name + "'");
        }
        if (later != null) {
            return map(r -> r.withHeader(name, value));
        }
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new WebResponse(status, h, body, onOpen);
    }

    /**
     * This response passed through {@code decorate}: at once for a response that is here, on the
     * eventual response for a {@link #isDeferred() deferred} one. Decorators that look at the
     * response (its status, a header, whether it is an event stream) use this, so they keep
     * working whenever the answer comes.
     *
     * <pre>{@code
     * return handler.handle(request).map(r -> r.header("Cache-Control") == null ? r.withHeader("Cache-Control", "no-store") : r);
     * }</pre>
     *
     * @param decorate never given null; must not return null (for a deferred response, returning
     *     null or throwing answers 500, like a failed deferred response)
     */
    public WebResponse map(UnaryOperator<WebResponse> decorate) {
        Objects.requireNonNull(decorate, "decorate");
        if (later == null) {
            return Objects.requireNonNull(decorate.apply(this), "decorate returned null");
        }
        return later(later.thenApply(r -> r.map(decorate)));
    }

    /** True for a response that comes later ({@link #later}); it has no status, headers or body of its own. */
    public boolean isDeferred() {
        return later != null;
    }

    /**
     * The eventual response, for a server adapter that waits without a thread: completed at once
     * for a response that is here; for a {@link #isDeferred() deferred} one, when it arrives
     * (never a deferred one itself). It never completes exceptionally: a failed deferred response
     * completes with the 500 {@code internal_error}. A server still has to bound the wait (see
     * {@link #later}).
     */
    public CompletionStage<WebResponse> completion() {
        return later == null ? CompletableFuture.completedFuture(this) : later.copy();
    }

    /**
     * The eventual response, waiting for it on the calling thread at most {@code limit}: for
     * server adapters that serve every request on a thread of their own (the JDK's {@code
     * HttpServer}, a servlet without async mode). This response itself when it is not deferred;
     * the 500 {@code internal_error} when it failed; a 503 {@code unavailable} with {@code
     * Retry-After} when it did not come in time or the thread was interrupted.
     *
     * @throws IllegalArgumentException when {@code limit} is not positive
     */
    public WebResponse await(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be positive, was " + limit);
        }
        if (later == null) {
            return this;
        }
        try {
            return later.get(limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return tooLate();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return tooLate();
        } catch (ExecutionException e) {
            return failed(e.getCause()); // not reached: the eventual response never fails
        }
    }

    /**
     * The answer when a deferred response did not come within the server's limit: 503 {@code
     * unavailable} with {@code Retry-After: 5}.
     */
    public static WebResponse tooLate() {
        return error(503, "unavailable", "the answer is taking too long; try again in a few seconds")
                .withHeader("Retry-After", "5");
    }

    /**
     * @throws IllegalStateException for a {@link #isDeferred() deferred} response
     */
    public int status() {
        requireHere("status");
        return status;
    }

    /**
     * Headers in order; a name may repeat.
     *
     * @throws IllegalStateException for a {@link #isDeferred() deferred} response
     */
    public List<Map.Entry<String, String>> headers() {
        requireHere("headers");
        return headers;
    }

    /**
     * The first value of a header (name case-insensitive), or null.
     *
     * @throws IllegalStateException for a {@link #isDeferred() deferred} response
     */
    public String header(String name) {
        requireHere("headers");
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /**
     * A copy of the body; empty for an event stream.
     *
     * @throws IllegalStateException for a {@link #isDeferred() deferred} response
     */
    public byte[] body() {
        requireHere("body");
        return body.clone();
    }

    /**
     * The body decoded as UTF-8.
     *
     * @throws IllegalStateException for a {@link #isDeferred() deferred} response
     */
    public String bodyText() {
        requireHere("body");
        return new String(body, StandardCharsets.UTF_8);
    }

    private void requireHere(String what) {
        if (later != null) {
            throw new IllegalStateException("a deferred response has no " + what
                    + " of its own yet: wait for it with completion() or await(limit)");
        }
    }

    /** True for a {@code text/event-stream} response (false for a deferred one, whatever it becomes). */
    public boolean isEventStream() {
        return onOpen != null;
    }

    /**
     * Called by the server adapter once the event stream's headers are sent.
     *
     * @throws IllegalStateException when this is not an event stream
     */
    public void openEventStream(EventStream stream) {
        if (onOpen == null) {
            throw new IllegalStateException("not an event-stream response (status " + status + ")");
        }
        onOpen.accept(Objects.requireNonNull(stream, "stream"));
    }

    @Override
    public String toString() {
        if (later != null) {
            return "WebResponse{deferred" + (later.isDone() ? ", done" : "") + "}";
        }
        return "WebResponse{" + status + (isEventStream() ? ", event stream" : ", bytes=" + body.length) + "}";
    }

    /** A JSON string literal. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
