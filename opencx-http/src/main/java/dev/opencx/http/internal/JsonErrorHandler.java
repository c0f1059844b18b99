package dev.opencx.http.internal;

import dev.opencx.webhook.WebResponse;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * The server's error page: every error Jetty answers by itself (a malformed request line, a URI or
 * headers over the limits, an unsupported HTTP version, a handler that failed) is written in the
 * JSON shape of every OpenCX endpoint, {@code {"error":{"code":"…","message":"…"}}}, instead of
 * Jetty's HTML. A 4xx message may carry Jetty's reason; a 5xx never carries details.
 */
public final class JsonErrorHandler implements Request.Handler {
    private record Kind(String code, String message) {}

    private static final Map<Integer, Kind> KINDS = Map.ofEntries(
            Map.entry(400, new Kind("invalid_request", "the request is malformed")),
            Map.entry(401, new Kind("unauthorized", "the request needs credentials")),
            Map.entry(403, new Kind("forbidden", "the request is not allowed")),
            Map.entry(404, new Kind("not_found", "nothing is served here")),
            Map.entry(405, new Kind("method_not_allowed", "the method is not allowed here")),
            Map.entry(408, new Kind("request_timeout", "the request did not arrive in time")),
            Map.entry(413, new Kind("payload_too_large", "the request body is too large")),
            Map.entry(414, new Kind("uri_too_long", "the request line is too long")),
            Map.entry(415, new Kind("unsupported_media_type", "the content type is not supported")),
            Map.entry(429, new Kind("too_many_requests", "too many requests; retry later")),
            Map.entry(431, new Kind("headers_too_large", "the request headers are too large")),
            Map.entry(500, new Kind("internal_error", "the server failed to handle the request")),
            Map.entry(501, new Kind("not_implemented", "the server does not support this request")),
            Map.entry(503, new Kind("unavailable", "the server cannot answer now; retry later")),
            Map.entry(505, new Kind("http_version_not_supported", "only HTTP/1.0 and HTTP/1.1 are served")));

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = response.getStatus();
        Object cause = request.getAttribute(ErrorHandler.ERROR_EXCEPTION);
        String reason = null;
        if (cause instanceof HttpException http) {
            status = http.getCode();
            reason = http.getReason();
        }
        if (status < 400 || status > 599) {
            status = 500;
        }
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        if (HttpStatus.hasNoBody(status) || "HEAD".equals(request.getMethod())) {
            callback.succeeded();
            return true;
        }
        WebResponse error = error(status, reason);
        for (Map.Entry<String, String> h : error.headers()) {
            response.getHeaders().put(h.getKey(), h.getValue());
        }
        byte[] body = error.body();
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
        return true;
    }

    /** The JSON error for {@code status}; {@code reason} (Jetty's, may be null) is added to a 4xx message. */
    static WebResponse error(int status, String reason) {
        Kind kind = KINDS.get(status);
        String phrase = HttpStatus.getMessage(status);
        if (kind == null) {
            String code = phrase == null
                    ? "http_" + status
                    : phrase.toLowerCase(Locale.ROOT)
                            .replaceAll("[^a-z0-9]+", "_")
                            .replaceAll("^_|_$", "");
            kind = new Kind(
                    code, status >= 500 ? "the server failed to handle the request" : "the request was refused");
        }
        String message = kind.message();
        if (status < 500 && reason != null && !reason.isBlank() && !reason.equalsIgnoreCase(phrase)) {
            message = message + ": " + clip(reason);
        }
        return WebResponse.error(status, kind.code(), message);
    }

    private static String clip(String s) {
        String flat = s.replaceAll("\\p{Cntrl}", " ").strip();
        return flat.length() <= 100 ? flat : flat.substring(0, 100) + "...";
    }
}
