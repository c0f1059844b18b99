package dev.opencx.webhook;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * What a {@link WebhookHandler} answers: a status, headers and a body, or an open event stream.
 * Immutable; {@link #withHeader} returns a copy.
 *
 * <pre>{@code
 * WebResponse ok = WebResponse.json(200, "{\"status\":\"ok\"}");
 * WebResponse bad = WebResponse.error(400, "invalid_json", "the body is not JSON: unexpected end at line 1");
 * WebResponse live = WebResponse.eventStream(stream -> subscribers.add(stream));
 * }</pre>
 *
 * <p>A server adapter writes {@link #status()}, every {@link #headers() header} and the {@link
 * #body()}; for an {@link #isEventStream() event stream} it sends the headers at once, then hands
 * an {@link EventStream} to {@link #openEventStream} and keeps the response open until that stream
 * is closed.
 */
public final class WebResponse {
    private final int status;
    private final List<Map.Entry<String, String>> headers;
    private final byte[] body;
    private final Consumer<EventStream> onOpen;

    private WebResponse(
            int status, List<Map.Entry<String, String>> headers, byte[] body, Consumer<EventStream> onOpen) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("HTTP status must be 100 to 599, was " + status);
        }
        this.status = status;
        this.headers = List.copyOf(headers);
        this.body = body;
        this.onOpen = onOpen;
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

    /** A copy with one more header. */
    public WebResponse withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank() || name.indexOf('\n') >= 0 || value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("header must be one line with a name, was '" + name + "'");
        }
        List<Map.Entry<String, String>> h = new ArrayList<>(headers);
        h.add(Map.entry(name, value));
        return new WebResponse(status, h, body, onOpen);
    }

    public int status() {
        return status;
    }

    /** Headers in order; a name may repeat. */
    public List<Map.Entry<String, String>> headers() {
        return headers;
    }

    /** The first value of a header (name case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> e : headers) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** A copy of the body; empty for an event stream. */
    public byte[] body() {
        return body.clone();
    }

    /** The body decoded as UTF-8. */
    public String bodyText() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** True for a {@code text/event-stream} response. */
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
