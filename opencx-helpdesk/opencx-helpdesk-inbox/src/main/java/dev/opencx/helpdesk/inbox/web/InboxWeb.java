package dev.opencx.helpdesk.inbox.web;

import dev.opencx.OpenCx;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.helpdesk.inbox.web.internal.AgentSessions;
import dev.opencx.helpdesk.inbox.web.internal.ClientAddress;
import dev.opencx.helpdesk.inbox.web.internal.InboxEndpoints;
import dev.opencx.helpdesk.inbox.web.internal.LiveUpdates;
import dev.opencx.helpdesk.inbox.web.internal.LoginThrottle;
import dev.opencx.helpdesk.inbox.web.internal.PasswordChecks;
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
 * WebServer server = WebServer.builder().mount(web).mount("/inbox", inboxWeb.handler()).build().start();
 * }</pre>
 *
 * <p>Security: passwords are checked against PBKDF2 hashes ({@link PasswordHashes}); sign-in
 * sessions live on the server behind an HttpOnly, SameSite=Strict cookie (Secure with {@link
 * Builder#secureCookies}) and end after {@link Builder#idleTimeout} without a request or {@link
 * Builder#absoluteTimeout} after sign-in; every state-changing POST needs a CSRF token (the sign-in
 * form's is signed and kept by nobody, so other people's traffic cannot expire it); wrong passwords
 * slow down the address that sends them ({@link Builder#loginBackoff}), never lock an account for
 * everyone; password checks run on a few threads of their own and a sign-in that cannot get one at
 * once is answered 429 at once, while a queued one is answered later ({@link
 * dev.opencx.webhook.WebResponse#later}: no server thread waits for it); pages carry a strict Content-Security-Policy and render every
 * customer, AI and passage text as text.
 *
 * <p>Owns a few threads (live updates, password checks); {@link #close()} stops them and ends the
 * open pages' streams.
 */
public final class InboxWeb implements AutoCloseable {
    /** Autopilot changes kept for {@link #autopilotChanges()}. */
    static final int AUDIT_KEPT = 200;
    /** An address may send this many times {@code freeFailures} wrong passwords (for any names) before it is slowed. */
    static final int ADDRESS_FAILURES_FACTOR = 4;
    /** Password checks that may wait for a thread; past it, sign-ins get a 429 at once. */
    static final int PASSWORD_QUEUE = 6;
    /**
     * Sign-ins from an address with at most this many attempts in the last minute plus wrong
     * passwords lately may use the password-check thread kept for them.
     */
    static final int CLEAN_SCORE = 4;

    private final OpenCx cx;
    private final InboxHelpdesk inbox;
    private final String path;
    private final Map<String, AgentAccount> agents;
    private final Set<String> topics;
    private final LiveUpdates live;
    private final PasswordChecks passwordChecks;
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
        this.passwordChecks = new PasswordChecks(PasswordChecks.defaultThreads(), PASSWORD_QUEUE, CLEAN_SCORE);
        this.endpoints = new InboxEndpoints(
                new InboxEndpoints.Config(
                        cx,
                        inbox,
                        path,
                        agents,
                        b.topics,
                        b.secureCookies,
                        b.clock,
                        this::autopilotChanges,
                        Set.copyOf(b.trustedProxies),
                        b.pageSize,
                        PasswordHashes.decoy(agents.values().stream()
                                .mapToInt(a -> PasswordHashes.iterations(a.passwordHash()))
                                .max()
                                .orElse(PasswordHashes.DEFAULT_ITERATIONS))),
                sessions,
                new LoginThrottle(b.clock, b.freeFailures, b.freeFailures * ADDRESS_FAILURES_FACTOR, b.maxDelay),
                passwordChecks,
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

    /** Stops the live-update and password-check threads and closes the open pages' streams (they reconnect elsewhere); idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            live.close();
            passwordChecks.close();
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
        private final Set<String> trustedProxies = new LinkedHashSet<>();
        private String path = "/inbox";
        private boolean secureCookies;
        private Duration idleTimeout = Duration.ofMinutes(30);
        private Duration absoluteTimeout = Duration.ofHours(12);
        private Duration pollInterval = Duration.ofSeconds(1);
        private Duration heartbeat = Duration.ofSeconds(15);
        private int freeFailures = 5;
        private Duration maxDelay = Duration.ofMinutes(5);
        private int pageSize = 50;
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
         * Slows password guessing without locking anyone out (default 5 and 5 min). Wrong passwords
         * are counted per (name, client address) and per client address: after {@code freeFailures}
         * (1 to 100) wrong passwords in a row for one name from one address, or 4 times as many for
         * any names from one address, the next attempt from there must wait 1 s, then 2 s, 4 s, …
         * up to {@code maxDelay} (1 s to 1 h), and is answered 429 with {@code Retry-After} before
         * any password is checked. The same agent signing in from another address is not slowed,
         * so a flood against an account cannot keep its agent out. Failures are forgotten after
         * twice {@code maxDelay} (15 min at least) without one; a successful sign-in clears the
         * count of its name and address.
         */
        public Builder loginBackoff(int freeFailures, Duration maxDelay) {
            if (freeFailures < 1 || freeFailures > 100) {
                throw new IllegalArgumentException("freeFailures must be from 1 to 100, was " + freeFailures);
            }
            this.maxDelay = within("maxDelay", maxDelay, Duration.ofSeconds(1), Duration.ofHours(1));
            this.freeFailures = freeFailures;
            return this;
        }

        /**
         * The addresses of your reverse proxies (IP literals; none by default). A request from one
         * of them is counted, for sign-in throttling, against the nearest {@code X-Forwarded-For}
         * address that is not one of them; without this setting every request counts against the
         * address the server saw, and behind a proxy all agents would share one budget. Never list
         * an address that clients can reach the server from directly.
         *
         * @throws IllegalArgumentException for an address that is not an IP literal
         */
        public Builder trustedProxies(List<String> addresses) {
            Objects.requireNonNull(addresses, "addresses");
            for (String a : addresses) {
                String ip = ClientAddress.canonical(a);
                if (ip == null) {
                    throw new IllegalArgumentException(
                            "a trusted proxy must be an IP address like 10.0.0.2 or ::1, was '" + a + "'");
                }
                trustedProxies.add(ip);
            }
            return this;
        }

        /**
         * How many items (messages, notes, handoffs, …) a conversation shows at first, and loads at
         * a time with "Load earlier messages" (default 50, 10 to 200).
         */
        public Builder conversationPageSize(int items) {
            if (items < 10 || items > 200) {
                throw new IllegalArgumentException("conversationPageSize must be from 10 to 200, was " + items);
            }
            this.pageSize = items;
            return this;
        }

        /**
         * Topics offered on the autopilot page besides those that already have a gate (e.g. the
         * names of your classifier's topics). Agents can gate only these and the already gated
         * ones: another topic name is refused with a 400.
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
