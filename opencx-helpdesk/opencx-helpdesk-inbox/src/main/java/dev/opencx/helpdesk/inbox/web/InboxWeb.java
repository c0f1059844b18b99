package dev.opencx.helpdesk.inbox.web;

import dev.opencx.OpenCx;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.helpdesk.inbox.web.internal.AgentSessions;
import dev.opencx.helpdesk.inbox.web.internal.InboxEndpoints;
import dev.opencx.helpdesk.inbox.web.internal.LiveUpdates;
import dev.opencx.helpdesk.inbox.web.internal.LoginLimiter;
import dev.opencx.webhook.WebhookHandler;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The team inbox's web UI: agents sign in, work the queue of handed-off sessions (claim, reply,
 * internal notes, resolve), watch live AI sessions with what the AI saw for every reply (inspect
 * mode), take a session over by typing, and switch autopilot per channel and topic. A framework-neutral
 * {@link WebhookHandler}: mount it on the embedded server of {@code opencx-channel-web} or in your
 * own server.
 *
 * <pre>{@code
 * InboxHelpdesk inbox = InboxHelpdesk.builder().store(store).build();
 * OpenCx cx = OpenCx.builder().store(store).channel(web).helpdesk(inbox).knowledge(knowledge).build();
 * InboxWeb inboxWeb = InboxWeb.builder(cx, inbox)
 *         .agent(AgentAccount.of("maria", "Maria Silva", System.getenv("MARIA_PASSWORD_HASH")))
 *         .secureCookies(true)                       // behind HTTPS
 *         .build();
 * WebServer server = WebServer.builder().web(web).mount("/inbox", inboxWeb.handler()).build().start();
 * }</pre>
 *
 * <p>Security: passwords are checked against PBKDF2 hashes ({@link PasswordHashes}); sign-in
 * sessions live on the server behind an HttpOnly, SameSite=Strict cookie (Secure with {@link
 * Builder#secureCookies}) and end after {@link Builder#idleTimeout} without a request or {@link
 * Builder#absoluteTimeout} after sign-in; every state-changing POST needs the session's CSRF token;
 * {@link Builder#loginLockout} wrong passwords in a row lock an account for a while; pages carry a
 * strict Content-Security-Policy and render every customer, AI and passage text as text.
 *
 * <p>Owns one thread (live updates); {@link #close()} stops it and ends the open pages' streams.
 */
public final class InboxWeb implements AutoCloseable {
    /** Autopilot changes kept for {@link #autopilotChanges()}. */
    static final int AUDIT_KEPT = 200;

    private final OpenCx cx;
    private final InboxHelpdesk inbox;
    private final String path;
    private final Map<String, AgentAccount> agents;
    private final Set<String> topics;
    private final LiveUpdates live;
    private final InboxEndpoints endpoints;
    private final List<AutopilotChange> audit = new ArrayList<>();
    private final List<Consumer<AutopilotChange>> auditListeners;
    private final AtomicBoolean closed = new AtomicBoolean();

    private InboxWeb(Builder b) {
        this.cx = b.cx;
        this.inbox = b.inbox;
        this.path = b.path;
        this.agents = Map.copyOf(b.agents);
        this.topics = Set.copyOf(b.topics);
        this.auditListeners = List.copyOf(b.auditListeners);
        AgentSessions sessions = new AgentSessions(b.clock, b.idleTimeout, b.absoluteTimeout);
        this.live = new LiveUpdates(cx.store(), sessions::isLive, b.pollInterval, b.heartbeat);
        this.endpoints = new InboxEndpoints(
                new InboxEndpoints.Config(
                        cx, inbox, path, agents, b.topics, b.secureCookies, b.clock, this::autopilotChanges),
                sessions,
                new LoginLimiter(b.clock, b.maxFailures, b.lockout),
                live,
                this::recordChange);
        inbox.onChange(t -> {
            if (!closed.get()) {
                live.changed(t.sessionId());
            }
        });
    }

    /**
     * A builder for the inbox of {@code cx}, whose helpdesk is {@code inbox}.
     *
     * @throws NullPointerException when either is null
     */
    public static Builder builder(OpenCx cx, InboxHelpdesk inbox) {
        return new Builder(Objects.requireNonNull(cx, "cx"), Objects.requireNonNull(inbox, "inbox"));
    }

    /** The handler to mount at {@link #path()}: it serves the pages, their API and their live stream. */
    public WebhookHandler handler() {
        return endpoints;
    }

    /** Where the handler is meant to be mounted ({@code /inbox} by default). */
    public String path() {
        return path;
    }

    /** The configured agents by id. */
    public Map<String, AgentAccount> agents() {
        return agents;
    }

    /** The latest autopilot changes made in the inbox, oldest first (at most 200). */
    public List<AutopilotChange> autopilotChanges() {
        synchronized (audit) {
            return List.copyOf(audit);
        }
    }

    /** Open pages (live event streams). */
    public int openPages() {
        return live.openStreams();
    }

    private void recordChange(AutopilotChange change) {
        synchronized (audit) {
            audit.add(change);
            if (audit.size() > AUDIT_KEPT) {
                audit.remove(0);
            }
        }
        for (Consumer<AutopilotChange> l : auditListeners) {
            l.accept(change);
        }
    }

    /** Stops the live-update thread and closes the open pages' streams (they reconnect elsewhere); idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            live.close();
        }
    }

    /** Configures an {@link InboxWeb}; every setter checks its value at once and names it when it is wrong. */
    public static final class Builder {
        private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");
        private static final Pattern TOPIC = Pattern.compile("[\\p{L}\\p{N} _.-]{1,64}");

        private final OpenCx cx;
        private final InboxHelpdesk inbox;
        private final Map<String, AgentAccount> agents = new LinkedHashMap<>();
        private final Set<String> topics = new LinkedHashSet<>();
        private final List<Consumer<AutopilotChange>> auditListeners = new ArrayList<>();
        private String path = "/inbox";
        private boolean secureCookies;
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout = Duration.ofHours(12);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration heartbeat = Duration.ofSeconds(15);
        private int maxFailures = 5;
        private Duration lockout = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();

        private Builder(OpenCx cx, InboxHelpdesk inbox) {
            this.cx = cx;
            this.inbox = inbox;
        }

        /**
         * Adds an agent who may sign in.
         *
         * @throws IllegalArgumentException when an agent with the same id was added
         */
        public Builder agent(AgentAccount account) {
            Objects.requireNonNull(account, "account");
            if (agents.putIfAbsent(account.id(), account) != null) {
                throw new IllegalArgumentException("agent '" + account.id() + "' is already configured");
            }
            return this;
        }

        /**
         * Where the handler is mounted (default {@code /inbox}): links, redirects and the cookie's
         * {@code Path} use it.
         */
        public Builder path(String path) {
            Objects.requireNonNull(path, "path");
            if (!PATH.matcher(path).matches()) {
                throw new IllegalArgumentException(
                        "path must look like '/inbox' (no trailing slash), was '" + path + "'");
            }
            this.path = path;
            return this;
        }

        /** Marks the session cookie {@code Secure} (default false): set it whenever the inbox is served over HTTPS. */
        public Builder secureCookies(boolean secure) {
            this.secureCookies = secure;
            return this;
        }

        /** A sign-in ends after this long without a request (default 30 min, 1 min to 24 h). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = within("idleTimeout", timeout, Duration.ofMinutes(1), Duration.ofHours(24));
            return this;
        }

        /** A sign-in ends this long after it started, whatever the activity (default 12 h, 1 min to 30 days). */
        public Builder absoluteTimeout(Duration timeout) {
            this.absoluteTimeout = within("absoluteTimeout", timeout, Duration.ofMinutes(1), Duration.ofDays(30));
            return this;
        }

        /** How often open pages look for AI activity in the store (default 1 s, 100 ms to 1 min). */
        public Builder pollInterval(Duration interval) {
            this.pollInterval = within("pollInterval", interval, Duration.ofMillis(100), Duration.ofMinutes(1));
            return this;
        }

        /** Keep-alive comments on idle page streams (default 15 s, 100 ms to 5 min). */
        public Builder heartbeat(Duration interval) {
            this.heartbeat = within("heartbeat", interval, Duration.ofMillis(100), Duration.ofMinutes(5));
            return this;
        }

        /**
         * After {@code maxFailures} wrong passwords in a row (default 5, 1 to 100) an account refuses
         * every sign-in for {@code lockout} (default 5 min, 1 s to 24 h).
         */
        public Builder loginLockout(int maxFailures, Duration lockout) {
            if (maxFailures < 1 || maxFailures > 100) {
                throw new IllegalArgumentException("maxFailures must be from 1 to 100, was " + maxFailures);
            }
            this.lockout = within("lockout", lockout, Duration.ofSeconds(1), Duration.ofHours(24));
            this.maxFailures = maxFailures;
            return this;
        }

        /**
         * Topics offered on the autopilot page besides those that already have a gate (e.g. the
         * names of your classifier's topics).
         */
        public Builder topics(List<String> names) {
            Objects.requireNonNull(names, "names");
            for (String n : names) {
                if (n == null || !TOPIC.matcher(n).matches()) {
                    throw new IllegalArgumentException(
                            "topic name must be 1 to 64 letters, digits, spaces or _ . -, was '" + n + "'");
                }
                topics.add(n);
            }
            return this;
        }

        /** Called after every autopilot change made in the inbox (e.g. to write your own audit log). */
        public Builder onAutopilotChange(Consumer<AutopilotChange> listener) {
            auditListeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** @throws IllegalStateException without any agent, or when the idle timeout exceeds the absolute one */
        public InboxWeb build() {
            if (agents.isEmpty()) {
                throw new IllegalStateException("no agent can sign in: add one with agent(AgentAccount...)");
            }
            if (idleTimeout.compareTo(absoluteTimeout) > 0) {
                throw new IllegalStateException(
                        "idleTimeout (" + idleTimeout + ") exceeds absoluteTimeout (" + absoluteTimeout + ")");
            }
            return new InboxWeb(this);
        }

        private static Duration within(String name, Duration d, Duration min, Duration max) {
            Objects.requireNonNull(d, name);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException(name + " must be from " + min + " to " + max + ", was " + d);
            }
            return d;
        }
    }
}
