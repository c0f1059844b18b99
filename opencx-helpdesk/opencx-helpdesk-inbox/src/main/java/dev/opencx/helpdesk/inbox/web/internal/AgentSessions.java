package dev.opencx.helpdesk.inbox.web.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Server-side sign-in sessions of the inbox, keyed by a random 256-bit id carried in an HttpOnly,
 * SameSite=Strict cookie. Each session has its own CSRF token; a sign-in always starts a new
 * session (no fixation). Sessions end after {@code idle} without a request and {@code absolute}
 * after sign-in, whatever the activity. Only signed-in agents have one: the sign-in form keeps
 * nothing on the server ({@link FormTokens}), so anonymous traffic cannot fill this table.
 */
public final class AgentSessions {
    /** At most this many sessions are kept; past it, expired ones are dropped, then the least recently used. */
    static final int MAX_SESSIONS = 10_000;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, WebSession> sessions = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Duration idle;
    private final Duration absolute;

    public AgentSessions(Clock clock, Duration idle, Duration absolute) {
        this.clock = clock;
        this.idle = idle;
        this.absolute = absolute;
    }

    /** One browser's session. */
    public static final class WebSession {
        private final String id;
        private final String agentId;
        private final String csrf;
        private final Instant created;
        private volatile Instant lastSeen;

        WebSession(String id, String agentId, String csrf, Instant created) {
            this.id = id;
            this.agentId = agentId;
            this.csrf = csrf;
            this.created = created;
            this.lastSeen = created;
        }

        public String id() {
            return id;
        }

        /** The signed-in agent. */
        public String agentId() {
            return agentId;
        }

        public String csrf() {
            return csrf;
        }

        /** Whether {@code token} is this session's CSRF token (constant time). */
        public boolean csrfMatches(String token) {
            return token != null
                    && MessageDigest.isEqual(
                            csrf.getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** A new session for an agent who just signed in. */
    public WebSession create(String agentId) {
        if (agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("a session needs the signed-in agent's id");
        }
        prune();
        WebSession s = new WebSession(randomToken(), agentId, randomToken(), clock.instant());
        sessions.put(s.id, s);
        return s;
    }

    /** The live session with this id, touched; empty when unknown or expired (an expired one is removed). */
    public Optional<WebSession> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        WebSession s = sessions.get(id);
        if (s == null) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        if (expired(s, now)) {
            sessions.remove(id, s);
            return Optional.empty();
        }
        s.lastSeen = now;
        return Optional.of(s);
    }

    /** Whether the session is still live, without touching it (for open event streams). */
    public boolean isLive(WebSession s) {
        return sessions.get(s.id) == s && !expired(s, clock.instant());
    }

    public void invalidate(WebSession s) {
        sessions.remove(s.id, s);
    }

    /** Signed-in sessions now live. */
    public int signedIn() {
        Instant now = clock.instant();
        return (int) sessions.values().stream().filter(s -> !expired(s, now)).count();
    }

    private boolean expired(WebSession s, Instant now) {
        return now.isAfter(s.lastSeen.plus(idle)) || now.isAfter(s.created.plus(absolute));
    }

    private void prune() {
        if (sessions.size() < MAX_SESSIONS / 2) {
            return;
        }
        Instant now = clock.instant();
        sessions.values().removeIf(s -> expired(s, now));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.values().stream()
                    .sorted(Comparator.comparing((WebSession s) -> s.lastSeen))
                    .limit(sessions.size() - MAX_SESSIONS + 1L)
                    .toList()
                    .forEach(s -> sessions.remove(s.id, s));
        }
    }

    /** 256 random bits, Base64url. */
    public static String randomToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
