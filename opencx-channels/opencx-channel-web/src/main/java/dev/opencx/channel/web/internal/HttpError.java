package dev.opencx.channel.web.internal;

import dev.opencx.webhook.WebResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A request that must be refused: thrown inside handlers, answered as a JSON error. */
public final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    public HttpError(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public static HttpError badRequest(String message) {
        return new HttpError(400, "invalid_request", message);
    }

    public static HttpError notFound(String message) {
        return new HttpError(404, "not_found", message);
    }

    public HttpError header(String name, String value) {
        headers.add(Map.entry(name, value));
        return this;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public WebResponse response() {
        WebResponse r = WebResponse.error(status, code, getMessage());
        for (Map.Entry<String, String> h : headers) {
            r = r.withHeader(h.getKey(), h.getValue());
        }
        return r;
    }
}
