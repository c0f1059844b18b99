package dev.opencx.channel.whatsapp.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCxException;
import dev.opencx.connect.ProviderException;
import dev.opencx.connect.ProviderHttp;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The few calls of the Graph API the channel makes: send a message ({@code POST
 * /{version}/{phone-number-id}/messages}) and read a media object. Errors go through {@link
 * ProviderHttp} (429, 5xx and I/O errors retriable, honouring {@code Retry-After}); Meta's error
 * code is named in the exception's message, never its text, and the codes Meta documents as
 * throttling or transient are retriable whatever the HTTP status.
 */
public final class GraphApi implements AutoCloseable {
    /** Meta's "re-engagement message": more than 24 hours since the customer last wrote. */
    public static final int REENGAGEMENT_REQUIRED = 131047;

    /**
     * Codes Meta documents as throttling or temporary: 1 API unknown, 2 API service, 4 app rate
     * limit, 80007 account rate limit, 130429 throughput limit, 131000 something went wrong, 131016
     * service unavailable, 131056 pair rate limit, 133004 server temporarily unavailable.
     */
    private static final Set<Integer> TRANSIENT = Set.of(1, 2, 4, 80007, 130429, 131000, 131016, 131056, 133004);

    private static final Duration TRANSIENT_WAIT = Duration.ofSeconds(30);
    private static final MediaType JSON_TYPE = MediaType.get("application/json; charset=utf-8");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ProviderHttp http;
    private final HttpUrl base;
    private final String version;
    private final String phoneNumberId;
    private final String accessToken;
    private final long maxMediaBytes;

    public GraphApi(
            ProviderHttp http,
            HttpUrl base,
            String version,
            String phoneNumberId,
            String accessToken,
            long maxMediaBytes) {
        this.http = http;
        this.base = base;
        this.version = version;
        this.phoneNumberId = phoneNumberId;
        this.accessToken = accessToken;
        this.maxMediaBytes = maxMediaBytes;
    }

    /** A Graph API error the channel reacts to. */
    public static final class GraphError extends OpenCxException {
        private static final long serialVersionUID = 1L;
        private final int code;

        GraphError(String message, ProviderException cause, boolean retriable, Duration retryAfter, int code) {
            super(message, cause, retriable, retryAfter);
            this.code = code;
        }

        /** Meta's error code, 0 when the body had none. */
        public int code() {
            return code;
        }
    }

    /** A text message body. */
    public static ObjectNode text(String to, String body, boolean previewUrl, String callbackData) {
        ObjectNode m = envelope(to, "text", callbackData);
        ObjectNode text = m.putObject("text");
        text.put("preview_url", previewUrl);
        text.put("body", body);
        return m;
    }

    /** A template message body with body parameters. */
    public static ObjectNode template(
            String to, String name, String language, List<String> parameters, String callbackData) {
        ObjectNode m = envelope(to, "template", callbackData);
        ObjectNode t = m.putObject("template");
        t.put("name", name);
        t.putObject("language").put("code", language);
        if (!parameters.isEmpty()) {
            ArrayNode components = t.putArray("components");
            ObjectNode body = components.addObject();
            body.put("type", "body");
            ArrayNode params = body.putArray("parameters");
            for (String p : parameters) {
                params.addObject().put("type", "text").put("text", p);
            }
        }
        return m;
    }

    private static ObjectNode envelope(String to, String type, String callbackData) {
        ObjectNode m = JSON.createObjectNode();
        m.put("messaging_product", "whatsapp");
        m.put("recipient_type", "individual");
        m.put("to", to);
        m.put("type", type);
        if (!callbackData.isEmpty()) {
            m.put("biz_opaque_callback_data", callbackData);
        }
        return m;
    }

    /**
     * Sends a message.
     *
     * @return the {@code wamid} Meta gave it
     * @throws GraphError for an error answer (retriable or not, see the class doc)
     * @throws OpenCxException retriable, for an I/O error
     */
    public String send(ObjectNode message) {
        HttpUrl url = base.newBuilder()
                .addPathSegment(version)
                .addPathSegment(phoneNumberId)
                .addPathSegment("messages")
                .build();
        Request request = new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + accessToken)
                .post(RequestBody.create(message.toString(), JSON_TYPE))
                .build();
        ProviderHttp.Reply reply = call(request);
        try {
            JsonNode id = JSON.readTree(reply.body()).path("messages").path(0).path("id");
            if (!id.isTextual() || id.asText().isBlank()) {
                throw OpenCxException.permanent(
                        "whatsapp POST " + url.encodedPath() + " answered " + reply.status()
                                + " without messages[0].id",
                        null);
            }
            return id.asText();
        } catch (IOException e) {
            throw OpenCxException.permanent(
                    "whatsapp POST " + url.encodedPath() + " answered " + reply.status()
                            + " with a body that is not JSON",
                    null);
        }
    }

    /** A media object's type and bytes. */
    public record Media(String mediaId, String contentType, byte[] bytes) {}

    /**
     * Reads a media object: its URL from {@code GET /{version}/{media-id}}, then the bytes from that
     * URL (which expects the same token, and expires after a few minutes).
     *
     * @throws OpenCxException permanent when it is larger than the limit
     */
    public Media media(String mediaId) {
        HttpUrl info = base.newBuilder()
                .addPathSegment(version)
                .addPathSegment(mediaId)
                .build();
        ProviderHttp.Reply reply = call(new Request.Builder()
                .url(info)
                .header("Authorization", "Bearer " + accessToken)
                .build());
        JsonNode node;
        try {
            node = JSON.readTree(reply.body());
        } catch (IOException e) {
            throw OpenCxException.permanent("whatsapp GET media answered with a body that is not JSON", null);
        }
        HttpUrl url = HttpUrl.parse(node.path("url").asText(""));
        if (url == null || (!url.isHttps() && base.isHttps())) {
            throw OpenCxException.permanent("whatsapp GET media answered without an https url", null);
        }
        long size = node.path("file_size").asLong(-1);
        if (size > maxMediaBytes) {
            throw OpenCxException.permanent(
                    "whatsapp media of " + size + " bytes is larger than maxMediaBytes " + maxMediaBytes, null);
        }
        Request download = new Request.Builder()
                .url(url)
                .header("Authorization", "Bearer " + accessToken)
                .build();
        try (Response r = http.client().newCall(download).execute()) {
            if (!r.isSuccessful()) {
                boolean retriable = r.code() == 429 || r.code() >= 500;
                throw new OpenCxException("whatsapp media download answered " + r.code(), retriable);
            }
            ResponseBody body = Objects.requireNonNull(r.body(), "body");
            okio.BufferedSource source = body.source();
            if (source.request(maxMediaBytes + 1)) {
                throw OpenCxException.permanent("whatsapp media is larger than maxMediaBytes " + maxMediaBytes, null);
            }
            byte[] bytes = source.readByteArray();
            String type = node.path("mime_type").asText(r.header("Content-Type", ""));
            return new Media(mediaId, type, bytes);
        } catch (IOException e) {
            throw OpenCxException.retriable(
                    "whatsapp media download failed: " + e.getClass().getSimpleName(), e);
        }
    }

    private ProviderHttp.Reply call(Request request) {
        try {
            return http.execute(request);
        } catch (ProviderException e) {
            int code = ProviderHttp.jsonField(e.body(), "/error/code")
                    .map(GraphApi::intOrZero)
                    .orElse(0);
            boolean transientCode = TRANSIENT.contains(code);
            boolean retriable = e.isRetriable() || transientCode;
            Duration after = e.retryAfter().orElse(transientCode && !e.isRetriable() ? TRANSIENT_WAIT : null);
            throw new GraphError(e.getMessage(), e, retriable, after, code);
        }
    }

    /** Meta's error code of a response body, for messages ({@code "131047"}); empty when none. */
    public static String errorCode(String body) {
        return ProviderHttp.jsonField(body, "/error/code").orElse("");
    }

    private static int intOrZero(String s) {
        try {
            return Integer.parseInt(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
