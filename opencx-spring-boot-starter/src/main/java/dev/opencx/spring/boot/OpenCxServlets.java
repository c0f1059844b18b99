package dev.opencx.spring.boot;

import dev.opencx.http.servlet.OpenCxServlet;
import dev.opencx.webhook.WebhookHandler;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletRegistration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.SmartLifecycle;

/**
 * The OpenCX servlets of the application, registered on its servlet container at start, and
 * drained first when the application context closes.
 *
 * <p>Why draining matters: Spring Boot shuts the web server down gracefully by default, waiting
 * (up to {@code spring.lifecycle.timeout-per-shutdown-phase}, 30 s) for the requests in flight to
 * finish. An open event stream (a browser with the widget or the inbox open) is an async request
 * that never finishes by itself, so the shutdown waited for the timeout, and the streams ended
 * only when the container was stopped after it. This lifecycle runs in the last-started phase,
 * so its {@link #stop()} comes before the web server's graceful shutdown: it {@linkplain
 * OpenCxServlet#drain() drains} every servlet (open streams end at once, browsers reconnect and
 * resume from their last event, new streams are refused with 503) and the graceful shutdown has
 * only ordinary requests left to wait for.
 */
public final class OpenCxServlets implements ServletContextInitializer, SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(OpenCxServlets.class);
    private static final Pattern BASE = Pattern.compile("|(/[A-Za-z0-9._~-]+)+");

    private record Mount(String name, OpenCxServlet servlet, List<String> mappings) {}

    private final String basePath;
    private final int maxRequestBytes;
    private final Duration deferredTimeout;
    private final Map<String, Mount> mounts = new LinkedHashMap<>();
    private volatile boolean running;

    OpenCxServlets(String basePath, int maxRequestBytes, Duration deferredTimeout) {
        String base = basePath == null ? "" : basePath.strip();
        if (base.equals("/")) {
            base = "";
        }
        if (!BASE.matcher(base).matches()) {
            throw new IllegalArgumentException(
                    "opencx.web.base-path must be empty or like '/support' (no trailing slash), was '" + basePath
                            + "'");
        }
        this.basePath = base;
        this.maxRequestBytes = maxRequestBytes;
        this.deferredTimeout = deferredTimeout;
    }

    /** Mounts {@code handler} at {@code path} under the base path, mapped to that path and everything below it. */
    void mount(String name, String path, WebhookHandler handler) {
        String full = basePath + (path.equals("/") ? "" : path);
        add(name, handler, full, List.of(full + "/*"));
    }

    /** Mounts a handler that sees paths from the base path on, mapped to only the paths it serves ({@code /widget.js}, …). */
    void mountRoot(String name, WebhookHandler handler, String... paths) {
        List<String> mappings = new ArrayList<>();
        for (String p : paths) {
            mappings.add(basePath + p);
        }
        add(name, handler, basePath.isEmpty() ? "/" : basePath, mappings);
    }

    private void add(String name, WebhookHandler handler, String mountPath, List<String> mappings) {
        if (mounts.containsKey(name)) {
            throw new IllegalStateException("two OpenCX servlets are named '" + name + "'");
        }
        OpenCxServlet servlet = OpenCxServlet.builder(handler)
                .mountPath(mountPath)
                .maxRequestBytes(maxRequestBytes)
                .deferredTimeout(deferredTimeout)
                .build();
        mounts.put(name, new Mount(name, servlet, List.copyOf(mappings)));
    }

    /** The servlet mappings by servlet name ({@code opencx-widget → [/widget.js, /widget/*]}). */
    public Map<String, List<String>> mappings() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        mounts.values().forEach(x -> m.put(x.name(), x.mappings()));
        return m;
    }

    /** The event streams open now, over every servlet. */
    public int openStreams() {
        return mounts.values().stream().mapToInt(m -> m.servlet().openStreams()).sum();
    }

    @Override
    public void onStartup(ServletContext context) {
        for (Mount m : mounts.values()) {
            ServletRegistration.Dynamic r = context.addServlet(m.name(), m.servlet());
            if (r == null) {
                throw new IllegalStateException("a servlet named '" + m.name() + "' is already registered");
            }
            r.setAsyncSupported(true);
            r.setLoadOnStartup(1);
            var conflicts = r.addMapping(m.mappings().toArray(String[]::new));
            if (!conflicts.isEmpty()) {
                throw new IllegalStateException(
                        "OpenCX cannot serve " + conflicts + ": another servlet is mapped there");
            }
        }
        LOG.info("OpenCX mounted on the application's server: {}", mappings());
    }

    @Override
    public void start() {
        running = true;
    }

    /** Drains every servlet: open event streams end, deferred answers get 503, new streams are refused. */
    @Override
    public void stop() {
        running = false;
        int open = openStreams();
        long start = System.nanoTime();
        for (Mount m : mounts.values()) {
            m.servlet().drain();
        }
        LOG.info(
                "OpenCX drained its servlets for shutdown: {} event streams ended in {} ms",
                open,
                (System.nanoTime() - start) / 1_000_000);
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The last phase to start, so the first to stop: before the web server's graceful shutdown. */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE;
    }
}
