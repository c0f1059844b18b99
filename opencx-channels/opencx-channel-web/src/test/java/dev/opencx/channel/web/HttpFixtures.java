package dev.opencx.channel.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Requests to a channel's handler exactly as a server would pass them on, for the contract fixtures. */
final class HttpFixtures {
    static final ObjectMapper JSON = new ObjectMapper();

    private HttpFixtures() {}

    /** Sends a request and waits for a deferred answer. */
    static WebResponse call(WebhookHandler handler, String method, String path, String body, String... headers) {
        String query = "";
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        WebRequest.Builder b = WebRequest.builder(method, path).query(query).remoteAddress("203.0.113.7");
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (body != null) {
            b.header("Content-Type", "application/json").body(body.getBytes(StandardCharsets.UTF_8));
        }
        WebResponse r = handler.handle(b.build());
        return r.isDeferred() ? r.await(Duration.ofSeconds(30)) : r;
    }

    static JsonNode json(WebResponse r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
