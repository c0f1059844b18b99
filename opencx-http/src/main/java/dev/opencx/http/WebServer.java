package dev.opencx.http;

import dev.opencx.http.internal.ConnectionGuard;
import dev.opencx.http.internal.JettyAdapter;
import dev.opencx.http.internal.JsonErrorHandler;
import dev.opencx.webhook.Endpoint;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded HTTP server (Jetty 12, no servlets): serves the chat widget, the REST API channel,
 * provider webhooks and any {@link WebhookHandler} you mount, each under its own path prefix.
 *
 * <pre>{@code
 * try (WebServer server = WebServer.builder()
 *         .port(8080)                                   // 0 picks a free port
 *         .mount(webChannel)                            // /widget.js and /widget/v1/*
 *         .mount(restApiChannel)                        // /api/v1/*
 *         .mount("/webhooks/shop", request -> WebResponse.empty(204))
 *         .build()
 *         .start()) {
 *     System.out.println("widget at " + server.uri().resolve("/widget.js"));
 * }
 * }</pre>
 *
 * <p>The longest mounted prefix that matches a request's path wins, and the handler sees the path
 * below it. {@code GET /health} answers 200 unless something else is mounted there. The server is
 * immutable once built; {@link #close()} stops it and is idempotent (the channels stay usable and
 * can be served again by a new server).
 *
 * <p>Slow clients cannot stall it: request bodies are read asynchronously (no thread waits for
 * a byte) and must arrive within {@link Builder#bodyTimeout}, a request head within {@link
 * Builder#headerTimeout}, and connections are capped per remote address and in total. Every error
 * it sends, Jetty's own included (a malformed request line, headers too large, …), is JSON in the
 * shape of {@link WebResponse#error}. A handler's {@link WebResponse#later deferred} response holds
 * no thread while it waits either, and is bounded by {@link Builder#deferredTimeout}.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);

    private final String host;
    private final int requestedPort;
    private final Duration idleTimeout;
    private final Server jetty;
    private final ServerConnector connector;
    private final Map<String, WebhookHandler> mounts;
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private WebServer(Builder b) {
        this.host = b.host;
        this.requestedPort = b.port;
        this.idleTimeout = b.idleTimeout;
        Map<String, WebhookHandler> m = new LinkedHashMap<>(b.mounts);
        m.putIfAbsent("/health", request -> WebResponse.json(200, "{\"status\":\"ok\"}"));
        this.mounts = Map.copyOf(m);
        List<JettyAdapter.Mount> ordered = new ArrayList<>();
        m.forEach((prefix, handler) -> ordered.add(new JettyAdapter.Mount(prefix.equals("/") ? "" : prefix, handler)));
        ordered.sort(
                Comparator.comparingInt((JettyAdapter.Mount x) -> x.prefix().length())
                        .reversed());

        QueuedThreadPool pool = new QueuedThreadPool(b.maxThreads, Math.min(4, b.maxThreads));
        pool.setName("opencx-web");
        pool.setDaemon(true);
        this.jetty = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // no per-connection header cache: Jetty's default (1024) builds a 98 KB trie on every
        // connection that serves a second request, and event streams keep their connection for hours
        config.setHeaderCacheSize(0);
        // the handler runs as soon as the head is read, so the body's deadline starts there (with
        // the default, a client that sends a head and then nothing would wait for the idle timeout)
        config.setDelayDispatchUntilContent(false);
        this.connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(host);
        connector.setPort(requestedPort);
        connector.setIdleTimeout(idleTimeout.toMillis());
        // a burst of connections waits in the kernel's queue instead of being dropped (the JDK's
        // default queue is 50: past it, a client's connect is retried a second later)
        connector.setAcceptQueueSize(1024);
        connector.addBean(new ConnectionGuard(connector, b.maxConnectionsPerAddress, b.headerTimeout));
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(b.maxConnections, jetty));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setHandler(new JettyAdapter(ordered, b.maxRequestBytes, b.bodyTimeout, b.deferredTimeout));
        jetty.setStopTimeout(0);
    }

    /**
     * A builder: port 8080 on 127.0.0.1, 1 MiB request bodies, 60 s idle timeout, 10 s for a request
     * head, 30 s for a body, 30 s for a deferred response, 10,000 connections of which 256 from one
     * address.
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds the port and starts serving.
     *
     * @return this server
     * @throws IllegalStateException when it was started or closed before, or the port cannot be bound
     */
    public WebServer start() {
        if (closed.get()) {
            throw new IllegalStateException("this WebServer is closed; build a new one");
        }
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this WebServer is already started on port " + connector.getLocalPort());
        }
        try {
            jetty.start();
        } catch (Exception e) {
            stopQuietly();
            closed.set(true);
            throw new IllegalStateException(
                    "cannot listen on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        LOG.info("OpenCX web server listening on {}:{} ({})", host, port(), mounts.keySet());
        return this;
    }

    /**
     * The port it listens on (the one picked when built with port 0).
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public int port() {
        int p = connector.getLocalPort();
        if (!started.get() || p <= 0) {
            throw new IllegalStateException("the WebServer is not started");
        }
        return p;
    }

    /** {@code http://host:port/}; {@code localhost} when it listens on every interface. */
    public URI uri() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "localhost" : host;
        if (h.contains(":")) {
            h = "[" + h + "]";
        }
        return URI.create("http://" + h + ":" + port() + "/");
    }

    /** The mounted prefixes and their handlers. */
    public Map<String, WebhookHandler> mounts() {
        return mounts;
    }

    /** The connections open now (for tests and monitoring); 0 before {@link #start()} and after {@link #close()}. */
    public int openConnections() {
        return connector.getConnectedEndPoints().size();
    }

    /** Stops serving; open event streams end (browsers resume elsewhere or later). Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        stopQuietly();
    }

    private void stopQuietly() {
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the web server failed: {}", e.toString());
        }
    }

    /** Configures a {@link WebServer}; every setter checks its value at once and names it when it is wrong. */
    public static final class Builder {
        private static final Pattern PREFIX = Pattern.compile("/|(/[A-Za-z0-9._~-]+)+");
        private static final Pattern WEBHOOK = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

        private String host = "127.0.0.1";
        private int port = 8080;
        private int maxRequestBytes = 1024 * 1024;
        private Duration idleTimeout = Duration.ofSeconds(60);
        private int maxThreads = 64;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private Duration bodyTimeout = Duration.ofSeconds(30);
        private Duration deferredTimeout = Duration.ofSeconds(30);
        private int maxConnections = 10_000;
        private int maxConnectionsPerAddress = 256;
        private final Map<String, WebhookHandler> mounts = new LinkedHashMap<>();

        private Builder() {}

        /** The interface to listen on (default {@code 127.0.0.1}; {@code 0.0.0.0} for every interface). */
        public Builder host(String host) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("host must be a name or address without spaces, was '" + host + "'");
            }
            this.host = host;
            return this;
        }

        /** The port (default 8080; 0 picks a free one, see {@link WebServer#port()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be from 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /** Largest request body read (default 1 MiB, 1 KiB to 64 MiB); larger ones get 413 unread. */
        public Builder maxRequestBytes(int max) {
            if (max < 1024 || max > 64 * 1024 * 1024) {
                throw new IllegalArgumentException("maxRequestBytes must be from 1024 to 67108864, was " + max);
            }
            this.maxRequestBytes = max;
            return this;
        }

        /** How long a silent connection stays open (default 60 s, 1 s to 1 h); event streams send heartbeats. */
        public Builder idleTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("idleTimeout must be from 1 s to 1 h, was " + timeout);
            }
            this.idleTimeout = timeout;
            return this;
        }

        /** Request threads (default 64, 8 to 1000); event streams hold no thread while idle. */
        public Builder maxThreads(int max) {
            if (max < 8 || max > 1000) {
                throw new IllegalArgumentException("maxThreads must be from 8 to 1000, was " + max);
            }
            this.maxThreads = max;
            return this;
        }

        /**
         * How long a client has to send a complete request head, from the moment it connects or
         * sends the first byte of its next request on a kept-alive connection (default 10 s, 1 s
         * to 5 min). A connection that has not sent it by then is closed, however steadily it
         * trickles bytes; the idle timeout alone would restart at every byte. A kept-alive
         * connection with nothing sent since its last answer waits the {@link #idleTimeout}.
         */
        public Builder headerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(5)) > 0) {
                throw new IllegalArgumentException("headerTimeout must be from 1 s to 5 min, was " + timeout);
            }
            this.headerTimeout = timeout;
            return this;
        }

        /**
         * How long a request body may take to arrive in full, from the end of the request head
         * (default 30 s, 1 s to 10 min). A body still incomplete then is answered 408 ({@code
         * request_timeout}) and the connection is closed. Bodies are read without holding a
         * thread, so a slow one costs only its connection until then.
         */
        public Builder bodyTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("bodyTimeout must be from 1 s to 10 min, was " + timeout);
            }
            this.bodyTimeout = timeout;
            return this;
        }

        /**
         * How long a handler's {@link WebResponse#later deferred} response may take to come (default
         * 30 s, 1 s to 10 min). No thread waits for it meanwhile; one that has not come by then is
         * answered 503 ({@code unavailable}) with {@code Retry-After}, and its later completion is
         * ignored. Keep it below the {@link #idleTimeout}, which otherwise ends the wait first
         * (with the same 503, and the connection closed).
         */
        public Builder deferredTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.compareTo(Duration.ofSeconds(1)) < 0 || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("deferredTimeout must be from 1 s to 10 min, was " + timeout);
            }
            this.deferredTimeout = timeout;
            return this;
        }

        /**
         * Open connections in all (default 10,000, 16 to 1,000,000); at the cap the server stops
         * accepting until some close (new ones wait in the operating system's queue). Each takes
         * a file descriptor: keep it below the process's limit ({@code ulimit -n}).
         */
        public Builder maxConnections(int max) {
            if (max < 16 || max > 1_000_000) {
                throw new IllegalArgumentException("maxConnections must be from 16 to 1000000, was " + max);
            }
            this.maxConnections = max;
            return this;
        }

        /**
         * Open connections from one remote address (default 256, 1 to 1,000,000, at most {@link
         * #maxConnections}); past it a new connection from that address is closed as soon as it
         * is accepted. A browser uses up to 6 plus one per open event stream. Behind a reverse
         * proxy every connection comes from the proxy's address: raise it to {@code
         * maxConnections} there and let the proxy limit clients.
         */
        public Builder maxConnectionsPerAddress(int max) {
            if (max < 1 || max > 1_000_000) {
                throw new IllegalArgumentException("maxConnectionsPerAddress must be from 1 to 1000000, was " + max);
            }
            this.maxConnectionsPerAddress = max;
            return this;
        }

        /**
         * Serves {@code handler} for every path under {@code prefix} ({@code /} for the root,
         * {@code /webhooks/zendesk}, …); it sees the path below the prefix. Modules add their
         * routes this way (an inbox UI, a helpdesk's webhook).
         *
         * @throws IllegalArgumentException for a malformed prefix or one mounted before
         */
        public Builder mount(String prefix, WebhookHandler handler) {
            Objects.requireNonNull(prefix, "prefix");
            Objects.requireNonNull(handler, "handler");
            if (!PREFIX.matcher(prefix).matches()) {
                throw new IllegalArgumentException(
                        "mount prefix must be '/' or like '/webhooks/shop' (no trailing slash), was '" + prefix + "'");
            }
            if (mounts.containsKey(prefix)) {
                throw new IllegalArgumentException("prefix '" + prefix + "' is already mounted");
            }
            mounts.put(prefix, handler);
            return this;
        }

        /**
         * Mounts a provider's or helpdesk's webhook at {@code /webhooks/<name>} (lower-case letters,
         * digits and {@code -}, at most 40).
         */
        public Builder webhook(String name, WebhookHandler handler) {
            Objects.requireNonNull(name, "name");
            if (!WEBHOOK.matcher(name).matches()) {
                throw new IllegalArgumentException(
                        "webhook name must be 1 to 40 lower-case letters, digits or '-', was '" + name + "'");
            }
            return mount("/webhooks/" + name, handler);
        }

        /**
         * Mounts an adapter's endpoint at its usual path: the widget ({@code WebChannel}) at the root
         * ({@code /widget.js}, {@code /widget/v1/*}), the REST API ({@code RestApiChannel}) at {@code
         * /api}.
         */
        public Builder mount(Endpoint endpoint) {
            Objects.requireNonNull(endpoint, "endpoint");
            return mount(endpoint.mountPath(), endpoint.handler());
        }

        /**
         * @throws IllegalStateException when nothing is mounted, or {@code maxConnectionsPerAddress}
         *     is above {@code maxConnections}
         */
        public WebServer build() {
            if (mounts.isEmpty()) {
                throw new IllegalStateException("nothing to serve: call web(...), restApi(...) or mount(...)");
            }
            if (maxConnectionsPerAddress > maxConnections) {
                throw new IllegalStateException("maxConnectionsPerAddress (" + maxConnectionsPerAddress
                        + ") must not be above maxConnections (" + maxConnections + ")");
            }
            return new WebServer(this);
        }
    }
}
