package dev.opencx.channel.web.internal;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link WebhookHandler}s from Jetty core: the longest mounted prefix that matches the
 * path wins, the handler sees the path below it. Bodies over the limit are refused with 413
 * before they are read; a handler that throws gets a 500 without details.
 */
public final class JettyAdapter extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(JettyAdapter.class);
    private static final int MAX_PENDING_CHARS = 512 * 1024;

    /** A handler mounted under a prefix ({@code ""} for the root). */
    public record Mount(String prefix, WebhookHandler handler) {}

    private final List<Mount> mounts;
    private final int maxRequestBytes;

    /** @param mounts longest prefix first */
    public JettyAdapter(List<Mount> mounts, int maxRequestBytes) {
        this.mounts = List.copyOf(mounts);
        this.maxRequestBytes = maxRequestBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = request.getHttpURI().getPath();
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        Mount mount = match(path);
        if (mount == null) {
            send(
                    request,
                    response,
                    callback,
                    WebResponse.error(404, "not_found", "nothing is served at " + clip(path)));
            return true;
        }
        String below = path.substring(mount.prefix().length());
        WebResponse answer;
        try {
            long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > maxRequestBytes) {
                answer = Json.tooLarge(maxRequestBytes).response();
            } else {
                byte[] body;
                try (InputStream in = Content.Source.asInputStream(request)) {
                    body = in.readNBytes(maxRequestBytes + 1);
                }
                if (body.length > maxRequestBytes) {
                    answer = Json.tooLarge(maxRequestBytes).response();
                } else {
                    answer = mount.handler().handle(toWebRequest(request, below.isEmpty() ? "/" : below, body));
                }
            }
        } catch (Exception | StackOverflowError e) {
            LOG.error("a web handler failed for {} {}", request.getMethod(), clip(path), e);
            answer = WebResponse.error(500, "internal_error", "the server failed to handle the request");
        }
        if (answer.isEventStream()) {
            openStream(request, response, callback, answer);
        } else {
            send(request, response, callback, answer);
        }
        return true;
    }

    private Mount match(String path) {
        for (Mount m : mounts) {
            String p = m.prefix();
            if (p.isEmpty() || path.equals(p) || path.startsWith(p + "/")) {
                return m;
            }
        }
        return null;
    }

    private static WebRequest toWebRequest(Request request, String path, byte[] body) {
        WebRequest.Builder b = WebRequest.builder(request.getMethod(), path)
                .query(request.getHttpURI().getQuery())
                .body(body)
                .remoteAddress(Request.getRemoteAddr(request));
        for (HttpField f : request.getHeaders()) {
            b.header(f.getName(), f.getValue() == null ? "" : f.getValue());
        }
        return b.build();
    }

    private static void headers(Response response, WebResponse answer) {
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers()) {
            response.getHeaders().add(h.getKey(), h.getValue());
        }
    }

    private static void send(Request request, Response response, Callback callback, WebResponse answer) {
        headers(response, answer);
        byte[] body = answer.body();
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        boolean head = request.getMethod().equals("HEAD");
        response.write(true, head ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
    }

    private static void openStream(Request request, Response response, Callback callback, WebResponse answer) {
        headers(response, answer);
        JettyEventStream stream = new JettyEventStream(response, callback, MAX_PENDING_CHARS);
        request.addFailureListener(stream::fail);
        response.write(
                false,
                ByteBuffer.wrap(new byte[] {':', ' ', 'o', 'k', '\n', '\n'}),
                Callback.from(
                        () -> {
                            try {
                                answer.openEventStream(stream);
                            } catch (RuntimeException e) {
                                LOG.error("an event stream failed to open", e);
                                stream.close();
                            }
                        },
                        stream::fail));
    }

    private static String clip(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }
}
