package dev.opencx.http.internal;

import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.QuietException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@link WebhookHandler}s from Jetty core: the longest mounted prefix that matches the
 * path wins, the handler sees the path below it. The body is read asynchronously, without holding
 * a thread while it arrives, and the handler runs once it is complete: a body over the limit is
 * refused with 413 (before reading when its length is declared), one that does not arrive within
 * the body timeout gets 408; both close the connection. A client that goes away mid-body is
 * logged in one line at DEBUG (logger {@code dev.opencx.http.aborts}). A handler that
 * throws gets a 500 without details.
 *
 * <p>A {@link WebResponse#later deferred} response holds no thread while it waits: the exchange
 * stays open and Jetty's callback is completed when the answer comes (written from one of the
 * server's threads). One that does not come within the deferred timeout is answered 503 with
 * {@code Retry-After}; whichever comes first wins, and the other is dropped.
 */
public final class JettyAdapter extends Handler.Abstract {
    private static final Logger LOG = LoggerFactory.getLogger(JettyAdapter.class);
    private static final Logger ABORTS = LoggerFactory.getLogger("dev.opencx.http.aborts");
    private static final int MAX_PENDING_CHARS = 512 * 1024;
    private static final int FIRST_BUFFER = 16 * 1024;

    /** A handler mounted under a prefix ({@code ""} for the root). */
    public record Mount(String prefix, WebhookHandler handler) {}

    private final List<Mount> mounts;
    private final int maxRequestBytes;
    private final long bodyTimeoutNanos;
    private final long deferredTimeoutNanos;

    /**
     * @param mounts longest prefix first
     * @param deferredTimeout how long a deferred response may take before the client gets a 503
     */
    public JettyAdapter(List<Mount> mounts, int maxRequestBytes, Duration bodyTimeout, Duration deferredTimeout) {
        this.mounts = List.copyOf(mounts);
        this.maxRequestBytes = maxRequestBytes;
        this.bodyTimeoutNanos = bodyTimeout.toNanos();
        this.deferredTimeoutNanos = deferredTimeout.toNanos();
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
        if (request.getLength() > maxRequestBytes) {
            send(
                    request,
                    response,
                    callback,
                    closing(WebResponse.error(
                            413, "payload_too_large", "the body exceeds the limit of " + maxRequestBytes + " bytes")));
            return true;
        }
        new BodyReader(request, response, callback, mount, path).run();
        return true;
    }

    /**
     * Reads one request's body chunk by chunk as it arrives ({@link Request#demand} calls it back),
     * then runs the handler. A deadline armed at the first wait answers 408 if the body is still
     * incomplete; whichever of the two finishes first wins, and nothing reads or demands after.
     */
    private final class BodyReader implements Runnable {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Mount mount;
        private final String path;
        private final long startNanos = System.nanoTime();
        private byte[] body = new byte[0];
        private int size;
        private boolean finished;
        private Scheduler.Task deadline;

        BodyReader(Request request, Response response, Callback callback, Mount mount, String path) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.mount = mount;
            this.path = path;
        }

        @Override
        public void run() {
            while (true) {
                Content.Chunk chunk;
                synchronized (this) {
                    if (finished) {
                        return;
                    }
                    chunk = request.read();
                    if (chunk == null) {
                        armDeadline();
                    }
                }
                if (chunk == null) {
                    // outside the lock: Jetty may call back at once, and the deadline must never wait
                    demand();
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    failed(chunk.getFailure());
                    return;
                }
                boolean last = chunk.isLast();
                boolean fits;
                try {
                    fits = append(chunk.getByteBuffer());
                } finally {
                    chunk.release();
                }
                if (!fits) {
                    if (finish()) {
                        send(
                                request,
                                response,
                                callback,
                                closing(WebResponse.error(
                                        413,
                                        "payload_too_large",
                                        "the body exceeds the limit of " + maxRequestBytes + " bytes")));
                    }
                    return;
                }
                if (last) {
                    if (finish()) {
                        serve(
                                request,
                                response,
                                callback,
                                mount,
                                path,
                                size == body.length ? body : Arrays.copyOf(body, size));
                    }
                    return;
                }
            }
        }

        private void demand() {
            try {
                request.demand(this);
            } catch (IllegalStateException e) {
                synchronized (this) {
                    if (!finished) {
                        throw e;
                    }
                }
                // the deadline answered and the exchange completed in between: nothing left to read
            }
        }

        private boolean append(ByteBuffer b) {
            int n = b.remaining();
            if (n == 0) {
                return true;
            }
            if ((long) size + n > maxRequestBytes) {
                return false;
            }
            if (size + n > body.length) {
                int capacity = Math.max(size + n, Math.max(FIRST_BUFFER, body.length * 2));
                body = Arrays.copyOf(body, Math.min(capacity, maxRequestBytes));
            }
            b.get(body, size, n);
            size += n;
            return true;
        }

        /** Under the lock: the first wait starts the clock, counted from when the handler got the request. */
        private void armDeadline() {
            if (deadline == null) {
                long left = Math.max(0, bodyTimeoutNanos - (System.nanoTime() - startNanos));
                deadline = request.getComponents().getScheduler().schedule(this::timedOut, left, TimeUnit.NANOSECONDS);
            }
        }

        /** True for the one caller that ends the reading (the body complete, too large, timed out or failed). */
        private boolean finish() {
            Scheduler.Task d;
            synchronized (this) {
                if (finished) {
                    return false;
                }
                finished = true;
                d = deadline;
            }
            if (d != null) {
                d.cancel();
            }
            return true;
        }

        private void timedOut() {
            if (finish()) {
                ABORTS.debug(
                        "a request body did not arrive in time: {} {} ({} of {} bytes)",
                        request.getMethod(),
                        clip(path),
                        size,
                        request.getLength() < 0 ? "?" : request.getLength());
                send(request, response, callback, timeout());
            }
        }

        private void failed(Throwable failure) {
            if (!finish()) {
                return;
            }
            if (failure instanceof TimeoutException) {
                // the connection's idle timeout ran out first
                timedOutByIdle();
            } else if (isAbort(failure)) {
                ABORTS.debug(
                        "a client went away during a request body: {} {} ({}: {})",
                        request.getMethod(),
                        clip(path),
                        failure.getClass().getSimpleName(),
                        failure.getMessage());
                callback.failed(failure);
            } else {
                // a malformed body (bad chunk framing, …): the error handler answers in JSON
                callback.failed(failure);
            }
        }

        private void timedOutByIdle() {
            ABORTS.debug(
                    "a request body did not arrive before the idle timeout: {} {}", request.getMethod(), clip(path));
            send(request, response, callback, timeout());
        }
    }

    private static WebResponse timeout() {
        return closing(WebResponse.error(408, "request_timeout", "the request body did not arrive in time"));
    }

    private static boolean isAbort(Throwable failure) {
        return failure instanceof EofException || failure instanceof IOException || QuietException.isQuiet(failure);
    }

    private static WebResponse closing(WebResponse response) {
        return response.withHeader("Connection", "close");
    }

    private void serve(Request request, Response response, Callback callback, Mount mount, String path, byte[] body) {
        String below = path.substring(mount.prefix().length());
        WebResponse answer;
        try {
            answer = mount.handler().handle(toWebRequest(request, below.isEmpty() ? "/" : below, body));
            if (answer == null) {
                throw new NullPointerException("the handler returned null");
            }
        } catch (Exception | StackOverflowError e) {
            LOG.error("a web handler failed for {} {}", request.getMethod(), clip(path), e);
            answer = WebResponse.error(500, "internal_error", "the server failed to handle the request");
        }
        if (answer.isDeferred()) {
            new Deferred(request, response, callback, path).await(answer);
        } else {
            respond(request, response, callback, answer);
        }
    }

    private static void respond(Request request, Response response, Callback callback, WebResponse answer) {
        if (answer.isEventStream()) {
            openStream(request, response, callback, answer);
        } else {
            send(request, response, callback, answer);
        }
    }

    /**
     * One deferred response in flight: no thread waits for it. The first of its answer, the
     * deadline and a failure of the exchange (the client gone, the idle timeout) ends it.
     */
    private final class Deferred {
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final String path;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile Scheduler.Task deadline;

        Deferred(Request request, Response response, Callback callback, String path) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.path = path;
        }

        void await(WebResponse answer) {
            deadline = request.getComponents()
                    .getScheduler()
                    .schedule(this::timedOut, deferredTimeoutNanos, TimeUnit.NANOSECONDS);
            request.addFailureListener(this::failed);
            answer.completion().thenAccept(this::arrived);
        }

        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            Scheduler.Task d = deadline;
            if (d != null) {
                d.cancel();
            }
            return true;
        }

        private void arrived(WebResponse eventual) {
            if (!end()) {
                return;
            }
            // written from a server thread, not the one that completed the answer (a queue's worker)
            try {
                request.getComponents().getExecutor().execute(() -> respond(request, response, callback, eventual));
            } catch (RejectedExecutionException e) {
                respond(request, response, callback, eventual); // the server is stopping
            }
        }

        private void timedOut() {
            if (end()) {
                LOG.debug("a deferred answer did not come in time: {} {}", request.getMethod(), clip(path));
                send(request, response, callback, WebResponse.tooLate());
            }
        }

        private void failed(Throwable failure) {
            if (!end()) {
                return;
            }
            if (failure instanceof TimeoutException) {
                // the connection's idle timeout ran out before the answer
                send(request, response, callback, closing(WebResponse.tooLate()));
            } else {
                ABORTS.debug(
                        "a client went away while its answer was pending: {} {} ({})",
                        request.getMethod(),
                        clip(path),
                        failure.getClass().getSimpleName());
                callback.failed(failure);
            }
        }
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
