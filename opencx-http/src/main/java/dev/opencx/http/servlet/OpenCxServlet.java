package dev.opencx.http.servlet;

import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a {@link WebhookHandler} (the widget, the REST API, the inbox, a provider's webhook) from
 * any Jakarta Servlet 6 container: Tomcat, Jetty, Undertow, a Spring Boot application's own server.
 *
 * <pre>{@code
 * // the REST API under /api: register with async support, mapped to /api/*
 * OpenCxServlet api = OpenCxServlet.builder(restApiChannel).build();        // mount path /api
 * ServletRegistration.Dynamic r = servletContext.addServlet("opencx-api", api);
 * r.setAsyncSupported(true);
 * r.addMapping("/api/*");
 * // the widget at the root: map only its paths, so the application keeps the rest
 * OpenCxServlet widget = OpenCxServlet.builder(webChannel).build();          // mount path /
 * servletContext.addServlet("opencx-widget", widget).addMapping("/widget.js", "/widget/*");
 * }</pre>
 *
 * <p>The handler sees the request's path below the context path and the {@linkplain
 * Builder#mountPath mount path} (as sent, not decoded), the query, every header, the raw body
 * bytes and the client's address. Its answer is written back as it is; every error the servlet
 * sends itself is JSON in the shape of {@link WebResponse#error}: 404 for a path outside the mount
 * path, 413 for a body over {@link Builder#maxRequestBytes}, 500 (without details) for a handler
 * that throws.
 *
 * <p>Register it with async support ({@code setAsyncSupported(true)}, {@code
 * <async-supported>}): event streams and {@link WebResponse#later deferred} answers run in the
 * container's async mode. An open event stream holds no thread while idle; events are written
 * without blocking the thread that sends them (they queue while the client reads, and a client
 * more than 512 KiB behind is disconnected: it reconnects and resumes from its last event). A
 * deferred answer holds no thread while it waits; one that has not come within {@link
 * Builder#deferredTimeout} is answered 503 with {@code Retry-After}. Without async support both
 * fall back to the calling thread: a deferred answer is awaited ({@link WebResponse#await}) and an
 * event stream is refused with 500, naming the fix in the log.
 *
 * <p>Request bodies are read on the request's thread (the container bounds how long a body may
 * take). Before the application shuts down, call {@link #drain()}: it ends the open event streams
 * (browsers reconnect and resume elsewhere or later), answers waiting deferred responses 503, and
 * refuses new streams, so that a container's graceful shutdown does not wait for streams that
 * never end. {@link #destroy()} drains too. Thread-safe.
 */
public class OpenCxServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(OpenCxServlet.class);
    private static final Logger ABORTS = LoggerFactory.getLogger("dev.opencx.http.aborts");
    private static final int MAX_PENDING_BYTES = 512 * 1024;
    private static final AtomicInteger SCHEDULERS = new AtomicInteger();
    private static final byte[] OPENED = {':', ' ', 'o', 'k', '\n', '\n'};

    private final transient WebhookHandler handler;
    private final String mountPath;
    private final int maxRequestBytes;
    private final Duration deferredTimeout;
    private final transient Set<ServletEventStream> streams = ConcurrentHashMap.newKeySet();
    private final transient Set<Deferred> waiting = ConcurrentHashMap.newKeySet();
    private final transient AtomicBoolean draining = new AtomicBoolean();
    private transient volatile ScheduledExecutorService scheduler;

    private OpenCxServlet(Builder b) {
        this.handler = b.handler;
        this.mountPath = b.mountPath.equals("/") ? "" : b.mountPath;
        this.maxRequestBytes = b.maxRequestBytes;
        this.deferredTimeout = b.deferredTimeout;
    }

    /** A servlet for {@code handler}, mounted at the root of the context ({@code /}) unless told otherwise. */
    public static Builder builder(WebhookHandler handler) {
        return new Builder(Objects.requireNonNull(handler, "handler"), "/");
    }

    /** A servlet for an adapter's endpoint, mounted at its usual path ({@link Endpoint#mountPath()}). */
    public static Builder builder(Endpoint endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        return new Builder(Objects.requireNonNull(endpoint.handler(), "endpoint.handler()"), endpoint.mountPath());
    }

    /** The path below the context path that the handler's paths are relative to ({@code ""} for the root). */
    public String mountPath() {
        return mountPath;
    }

    /** The event streams open now. */
    public int openStreams() {
        return streams.size();
    }

    /** True once {@link #drain()} was called: new event streams are refused with 503. */
    public boolean isDraining() {
        return draining.get();
    }

    /**
     * Ends every open event stream, answers every deferred response still waiting with 503 {@code
     * unavailable}, and from now on refuses new event streams with 503 (plain requests are still
     * served). Call it before the container stops, so its graceful shutdown has nothing left that
     * never ends. Idempotent.
     */
    public void drain() {
        draining.set(true);
        for (ServletEventStream s : streams) {
            s.abort();
        }
        for (Deferred d : waiting) {
            d.timedOut();
        }
    }

    /** Drains and stops the deferred responses' timer. */
    @Override
    public void destroy() {
        drain();
        ScheduledExecutorService s = scheduler;
        if (s != null) {
            s.shutdownNow();
        }
        super.destroy();
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = pathBelowMount(request);
        if (path == null) {
            write(
                    request,
                    response,
                    WebResponse.error(404, "not_found", "nothing is served at " + clip(request.getRequestURI())));
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxRequestBytes) {
            write(request, response, tooLarge());
            return;
        }
        byte[] body;
        try {
            body = readBody(request);
        } catch (IOException e) {
            ABORTS.debug(
                    "a client went away during a request body: {} {} ({})",
                    request.getMethod(),
                    clip(path),
                    e.getClass().getSimpleName());
            return;
        }
        if (body == null) {
            write(request, response, tooLarge());
            return;
        }
        WebResponse answer;
        try {
            answer = handler.handle(toWebRequest(request, path, body));
            if (answer == null) {
                throw new NullPointerException("the handler returned null");
            }
        } catch (Exception | StackOverflowError e) {
            LOG.error("a web handler failed for {} {}", request.getMethod(), clip(path), e);
            answer = WebResponse.error(500, "internal_error", "the server failed to handle the request");
        }
        if (answer.isDeferred()) {
            if (request.isAsyncSupported()) {
                new Deferred(request, response, request.startAsync(), path).await(answer);
                return;
            }
            answer = answer.await(deferredTimeout);
        }
        respond(request, response, null, answer);
    }

    /** Writes an answer that is here; {@code async} is the exchange's async context when it has one. */
    private void respond(
            HttpServletRequest request, HttpServletResponse response, AsyncContext async, WebResponse answer) {
        try {
            if (answer.isEventStream()) {
                openStream(request, response, async, answer);
                return;
            }
            write(request, response, answer);
        } catch (IOException | RuntimeException e) {
            ABORTS.debug(
                    "a client went away before its answer was written: {} ({})",
                    request.getMethod(),
                    e.getClass().getSimpleName());
        }
        if (async != null) {
            complete(async);
        }
    }

    private void openStream(
            HttpServletRequest request, HttpServletResponse response, AsyncContext given, WebResponse answer)
            throws IOException {
        if (draining.get()) {
            write(
                    request,
                    response,
                    WebResponse.error(503, "unavailable", "the server is shutting down; reconnect in a few seconds")
                            .withHeader("Retry-After", "2"));
            if (given != null) {
                complete(given);
            }
            return;
        }
        AsyncContext async = given;
        if (async == null) {
            if (!request.isAsyncSupported()) {
                LOG.error("an event stream needs async support: register the servlet with setAsyncSupported(true)");
                write(
                        request,
                        response,
                        WebResponse.error(500, "internal_error", "the server failed to handle the request"));
                return;
            }
            async = request.startAsync();
            // heartbeats keep it alive; the stream ends when either side closes it (a deferred
            // answer's exchange has no timeout already: it can only be set in the first dispatch)
            async.setTimeout(0);
        }
        headers(response, answer);
        ServletOutputStream out = response.getOutputStream();
        ServletEventStream stream = new ServletEventStream(async, out, MAX_PENDING_BYTES);
        streams.add(stream);
        stream.onClose(() -> streams.remove(stream));
        async.addListener(stream.listener());
        stream.enqueue(OPENED);
        out.setWriteListener(stream);
        try {
            answer.openEventStream(stream);
        } catch (RuntimeException e) {
            LOG.error("an event stream failed to open", e);
            stream.close();
        }
        if (draining.get()) {
            stream.abort(); // drained while it opened
        }
    }

    /**
     * One deferred response in flight; no thread waits for it. The first of its answer, the
     * deadline, {@link #drain()} and a failure of the exchange (the client gone) ends it.
     */
    private final class Deferred implements AsyncListener {
        private final HttpServletRequest request;
        private final HttpServletResponse response;
        private final AsyncContext async;
        private final String path;
        private final AtomicBoolean ended = new AtomicBoolean();
        private volatile ScheduledFuture<?> deadline;

        Deferred(HttpServletRequest request, HttpServletResponse response, AsyncContext async, String path) {
            this.request = request;
            this.response = response;
            this.async = async;
            this.path = path;
        }

        void await(WebResponse answer) {
            async.setTimeout(0); // the deadline is ours: the answer may become an event stream
            async.addListener(this);
            waiting.add(this);
            deadline = scheduler().schedule(this::timedOut, deferredTimeout.toNanos(), TimeUnit.NANOSECONDS);
            answer.completion().thenAccept(this::arrived);
            if (draining.get()) {
                timedOut();
            }
        }

        private boolean end() {
            if (!ended.compareAndSet(false, true)) {
                return false;
            }
            waiting.remove(this);
            ScheduledFuture<?> d = deadline;
            if (d != null) {
                d.cancel(false);
            }
            return true;
        }

        private void arrived(WebResponse eventual) {
            if (end()) {
                // written from a container thread, not the one that completed the answer
                try {
                    async.start(() -> respond(request, response, async, eventual));
                } catch (RuntimeException e) {
                    respond(request, response, async, eventual);
                }
            }
        }

        void timedOut() {
            if (end()) {
                LOG.debug("a deferred answer did not come in time: {} {}", request.getMethod(), clip(path));
                try {
                    async.start(() -> respond(request, response, async, WebResponse.tooLate()));
                } catch (RuntimeException e) {
                    respond(request, response, async, WebResponse.tooLate());
                }
            }
        }

        @Override
        public void onError(AsyncEvent event) {
            if (end()) {
                ABORTS.debug("a client went away while its answer was pending: {} {}", request.getMethod(), clip(path));
                complete(async);
            }
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            timedOut();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            end();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {}
    }

    private ScheduledExecutorService scheduler() {
        ScheduledExecutorService s = scheduler;
        if (s == null) {
            synchronized (this) {
                s = scheduler;
                if (s == null) {
                    int n = SCHEDULERS.incrementAndGet();
                    ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, r -> {
                        Thread t = new Thread(r, "opencx-servlet-deadlines-" + n);
                        t.setDaemon(true);
                        return t;
                    });
                    pool.setRemoveOnCancelPolicy(true);
                    scheduler = s = pool;
                }
            }
        }
        return s;
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // completed already (the client went away, the container is stopping)
        }
    }

    /** The path below the context path and the mount path, or null when the request is not under the mount path. */
    private String pathBelowMount(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (uri == null) {
            return null;
        }
        if (context != null && !context.isEmpty()) {
            if (!uri.startsWith(context)) {
                return null;
            }
            uri = uri.substring(context.length());
        }
        int semicolon = uri.indexOf(';');
        if (semicolon >= 0) {
            uri = uri.substring(0, semicolon); // path parameters (;jsessionid=…) are the container's
        }
        if (mountPath.isEmpty()) {
            return uri.isEmpty() ? "/" : uri;
        }
        if (uri.equals(mountPath)) {
            return "/";
        }
        if (uri.startsWith(mountPath + "/")) {
            return uri.substring(mountPath.length());
        }
        return null;
    }

    /** The whole body, or null when it is over the limit. */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        long declared = request.getContentLengthLong();
        byte[] buf = new byte[(int) Math.min(maxRequestBytes, declared > 0 ? declared : 16 * 1024)];
        int size = 0;
        try (InputStream in = request.getInputStream()) {
            while (true) {
                if (size == buf.length) {
                    if (size >= maxRequestBytes) {
                        return in.read() < 0 ? buf : null;
                    }
                    buf = Arrays.copyOf(buf, (int) Math.min(maxRequestBytes, Math.max(16 * 1024, size * 2L)));
                }
                int n = in.read(buf, size, buf.length - size);
                if (n < 0) {
                    break;
                }
                size += n;
            }
        }
        return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    private static WebRequest toWebRequest(HttpServletRequest request, String path, byte[] body) {
        WebRequest.Builder b = WebRequest.builder(request.getMethod(), path)
                .query(request.getQueryString())
                .body(body)
                .remoteAddress(request.getRemoteAddr());
        Enumeration<String> names = request.getHeaderNames();
        while (names != null && names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                String v = values.nextElement();
                b.header(name, v == null ? "" : v);
            }
        }
        return b.build();
    }

    private WebResponse tooLarge() {
        return WebResponse.error(
                        413, "payload_too_large", "the body exceeds the limit of " + maxRequestBytes + " bytes")
                .withHeader("Connection", "close");
    }

    private static void headers(HttpServletResponse response, WebResponse answer) {
        response.setStatus(answer.status());
        for (Map.Entry<String, String> h : answer.headers()) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                response.setContentType(h.getValue());
            } else {
                response.addHeader(h.getKey(), h.getValue());
            }
        }
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, WebResponse answer)
            throws IOException {
        headers(response, answer);
        byte[] body = answer.body();
        response.setContentLength(body.length);
        if (!request.getMethod().equals("HEAD") && body.length > 0) {
            ServletOutputStream out = response.getOutputStream();
            out.write(body);
            out.flush();
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 80 ? s : s.substring(0, 80) + "...";
    }

    /** Configures an {@link OpenCxServlet}; every setter checks its value at once and names it when it is wrong. */
    public static final class Builder {
        private static final Pattern PREFIX = Pattern.compile("/|(/[A-Za-z0-9._~-]+)+");

        private final WebhookHandler handler;
        private String mountPath;
        private int maxRequestBytes = 1024 * 1024;
        private Duration deferredTimeout = Duration.ofSeconds(30);

        private Builder(WebhookHandler handler, String mountPath) {
            this.handler = handler;
            mountPath(mountPath);
        }

        /**
         * Where the handler's paths start below the context path ({@code /}, {@code /api}, {@code
         * /support/api}, …): map the servlet to this path plus {@code /*} (or to the few paths a
         * root handler serves, like the widget's {@code /widget.js} and {@code /widget/*}).
         */
        public Builder mountPath(String path) {
            Objects.requireNonNull(path, "mountPath");
            if (!PREFIX.matcher(path).matches()) {
                throw new IllegalArgumentException(
                        "mountPath must be '/' or like '/support/api' (no trailing slash), was '" + path + "'");
            }
            this.mountPath = path;
            return this;
        }

        /** Largest request body read (default 1 MiB, 1 KiB to 64 MiB); larger ones get 413. */
        public Builder maxRequestBytes(int max) {
            if (max < 1024 || max > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be from 1024 to 67108864, was " + max);
            }
            this.maxRequestBytes = max;
            return this;
        }

        /**
         * How long a {@link WebResponse#later deferred} response may take (default 30 s, 1 s to 10
         * min); past it the client gets 503 {@code unavailable} with {@code Retry-After}.
         */
        public Builder deferredTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "deferredTimeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("deferredTimeout must be from 1 s to 10 min, was " + timeout);
            }
            this.deferredTimeout = timeout;
            return this;
        }

        public OpenCxServlet build() {
            return new OpenCxServlet(this);
        }
    }
}
