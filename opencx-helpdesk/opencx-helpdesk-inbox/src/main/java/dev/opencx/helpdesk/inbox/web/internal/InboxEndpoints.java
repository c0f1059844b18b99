package dev.opencx.helpdesk.inbox.web.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.OpenCx;
import dev.opencx.autopilot.AutopilotPolicy;
import dev.opencx.autopilot.AutopilotPolicy.GateAction;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.helpdesk.inbox.InboxTicket;
import dev.opencx.helpdesk.inbox.web.AgentAccount;
import dev.opencx.helpdesk.inbox.web.AutopilotChange;
import dev.opencx.helpdesk.inbox.web.PasswordHashes;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbox's routes, below its mount point:
 *
 * <pre>
 * GET  /                   the app (signed in) or a redirect to /login
 * GET  /login, POST /login the sign-in form (form-encoded: csrf, login, password)
 * POST /logout             signs out
 * GET  /assets/inbox.js, /assets/inbox.css
 * GET  /api/state          queue, claimed tickets, live AI sessions, autopilot
 * GET  /api/sessions/{id}  one conversation with what the AI saw: its latest items, then
 *                          ?before={cursor} for older ones (a page at a time)
 * GET  /api/events         live updates (server-sent events)
 * POST /api/tickets/{n}/claim | reply | note | resolve     JSON {"text": "..."}
 * POST /api/sessions/{id}/takeover                          JSON {"text": "..."} (optional first reply)
 * POST /api/autopilot      JSON {"channel": "web", "on": false} or {"topic": "billing", "gate": "HANDOFF"}
 * </pre>
 *
 * Every POST needs a CSRF token (the session's in the {@code X-CSRF-Token} header or the logout
 * form's {@code csrf} field; the sign-in form's own signed token, bound to the browser's cookie) and
 * is refused when the browser says it comes from another site ({@code Sec-Fetch-Site}).
 *
 * <p>Sign-in: wrong passwords slow down the address that sends them ({@link LoginThrottle}), and
 * the password check runs on {@link PasswordChecks}' own few threads. The answer to a queued
 * sign-in is {@link WebResponse#later deferred}: no server thread waits for its check, and the
 * answer is written when the check ends. A check that cannot be queued at once is answered 429
 * with {@code Retry-After} at once, one still queued after {@link #MAX_QUEUE_WAIT} is given up
 * (429), and one that runs longer than {@link #MAX_CHECK_RUN} as well.
 */
public final class InboxEndpoints implements WebhookHandler {
    private static final Logger LOG = LoggerFactory.getLogger("dev.opencx.helpdesk.inbox.web.InboxWeb");
    static final String COOKIE = "opencx_inbox";
    static final int MAX_TEXT = 16_000;
    private static final int MAX_LOGIN_FIELD = 256;
    /** The longest a sign-in waits for its password check to start (then it is given up: 429). */
    static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(5);
    /** The longest it then waits for the running check to end (far more than a check costs, even on a busy machine). */
    static final Duration MAX_CHECK_RUN = Duration.ofSeconds(20);
    /** How long a sign-in form may be sent back. */
    static final Duration FORM_LIFETIME = Duration.ofHours(1);
    /** Most conversation items one page may ask for. */
    static final int MAX_PAGE = 200;

    private static final Pattern COOKIE_VALUE = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final Pattern CURSOR = Pattern.compile("[1-9]\\d{0,17}");

    private static final Pattern TICKET_ACTION = Pattern.compile("/api/tickets/(\\d{1,18})/(claim|reply|note|resolve)");
    private static final Pattern SESSION = Pattern.compile("/api/sessions/([A-Za-z0-9_-]{1,100})");
    private static final Pattern TAKEOVER = Pattern.compile("/api/sessions/([A-Za-z0-9_-]{1,100})/takeover");
    private static final Pattern CHANNEL = Pattern.compile("[a-z0-9][a-z0-9_-]{0,39}");
    private static final Pattern TOPIC = Pattern.compile("[\\p{L}\\p{N} _.-]{1,64}");

    /**
     * What the endpoints serve; {@code unknownLoginHash} is checked for names that are not accounts,
     * with the agents' iteration count, so a wrong name costs as much time as a wrong password.
     */
    public record Config(
            OpenCx cx,
            InboxHelpdesk inbox,
            String path,
            Map<String, AgentAccount> agents,
            Set<String> topics,
            boolean secureCookies,
            Clock clock,
            Supplier<List<AutopilotChange>> changes,
            Set<String> trustedProxies,
            int pageSize,
            String unknownLoginHash) {}

    private final Config config;
    private final AgentSessions sessions;
    private final LoginThrottle throttle;
    private final PasswordChecks checks;
    private final FormTokens formTokens;
    private final LiveUpdates live;
    private final Consumer<AutopilotChange> audit;
    private final Views views;
    private final Map<String, byte[]> assets = new HashMap<>();

    public InboxEndpoints(
            Config config,
            AgentSessions sessions,
            LoginThrottle throttle,
            PasswordChecks checks,
            LiveUpdates live,
            Consumer<AutopilotChange> audit) {
        this.config = config;
        this.sessions = sessions;
        this.throttle = throttle;
        this.checks = checks;
        this.formTokens = new FormTokens(config.clock(), FORM_LIFETIME);
        this.live = live;
        this.audit = audit;
        this.views = new Views(config.cx(), config.inbox());
        assets.put("inbox.js", resource("inbox.js"));
        assets.put("inbox.css", resource("inbox.css"));
    }

    @Override
    public WebResponse handle(WebRequest request) {
        WebResponse r;
        try {
            r = route(request);
        } catch (Problem p) {
            r = WebResponse.error(p.status, p.code, p.getMessage());
        }
        return Pages.secured(r);
    }

    private WebResponse route(WebRequest request) {
        String path = request.path();
        String method = request.method();
        if (path.startsWith("/assets/")) {
            byte[] body = assets.get(path.substring("/assets/".length()));
            if (body == null) {
                throw new Problem(404, "not_found", "no such asset");
            }
            requireMethod(method, "GET");
            String type = path.endsWith(".js") ? "text/javascript; charset=utf-8" : "text/css; charset=utf-8";
            return WebResponse.of(200, type, body).withHeader("Cache-Control", "no-cache");
        }
        switch (path) {
            case "/", "" -> {
                requireMethod(method, "GET");
                Optional<AgentSessions.WebSession> s = signedIn(request);
                if (s.isEmpty()) {
                    return redirect(config.path() + "/login");
                }
                AgentAccount me = config.agents().get(s.get().agentId());
                return Pages.html(200, Pages.app(config.path(), me, s.get().csrf()));
            }
            case "/login" -> {
                if (method.equals("GET")) {
                    if (signedIn(request).isPresent()) {
                        return redirect(config.path() + "/");
                    }
                    return loginForm(200, formBinding(request), "", "");
                }
                requireMethod(method, "GET", "POST");
                return login(request);
            }
            case "/logout" -> {
                requireMethod(method, "POST");
                AgentSessions.WebSession s = signedIn(request).orElse(null);
                Map<String, String> form = form(request);
                if (s == null) {
                    return redirect(config.path() + "/login");
                }
                requireSameSite(request);
                if (!s.csrfMatches(form.get("csrf"))) {
                    throw new Problem(403, "csrf", "the form's CSRF token is missing or wrong; reload the page");
                }
                sessions.invalidate(s);
                LOG.info("inbox: agent {} signed out", s.agentId());
                return redirect(config.path() + "/login")
                        .withHeader("Set-Cookie", Pages.cookie(COOKIE, "", config.path(), config.secureCookies(), 0));
            }
            default -> {
                if (path.startsWith("/api/")) {
                    return api(request);
                }
                throw new Problem(404, "not_found", "nothing is served here");
            }
        }
    }

    // ---- sign-in ----

    private WebResponse login(WebRequest request) {
        requireSameSite(request);
        Map<String, String> form = form(request);
        String binding = cookie(request, COOKIE);
        if (!formTokens.valid(form.get("csrf"), binding)) {
            return loginForm(403, formBinding(request), "", "Your sign-in form expired. Please try again.");
        }
        String login = form.getOrDefault("login", "").strip().toLowerCase(Locale.ROOT);
        String password = form.getOrDefault("password", "");
        if (login.length() > MAX_LOGIN_FIELD || password.length() > MAX_LOGIN_FIELD) {
            throw new Problem(400, "invalid_request", "login and password must have at most 256 characters");
        }
        String address = ClientAddress.of(request, config.trustedProxies());
        int recentAttempts = throttle.attempted(address);
        Optional<Duration> wait = throttle.waitFor(login, address);
        if (wait.isPresent()) {
            long seconds = Math.max(1, (wait.get().toMillis() + 999) / 1000);
            LOG.debug("inbox: a sign-in was refused: too many wrong passwords from its address");
            return refusedSignIn(
                    binding,
                    login,
                    "Too many wrong passwords. Try again in " + seconds + (seconds == 1 ? " second." : " seconds."),
                    seconds);
        }
        AgentAccount account = config.agents().get(login);
        // an unknown name costs a check of the same cost, so the answer's timing does not tell names apart
        String hash = account == null ? config.unknownLoginHash() : account.passwordHash();
        char[] typed = password.toCharArray();
        CompletableFuture<Boolean> check = checks.submit(
                LoginThrottle.addressKey(address),
                (int) Math.min(Integer.MAX_VALUE, (long) recentAttempts + throttle.addressFailures(address)),
                () -> {
                    try {
                        return PasswordHashes.verify(typed, hash);
                    } finally {
                        Arrays.fill(typed, '\0');
                    }
                });
        if (check.isDone()) {
            // refused at once (this address has a check in flight, or the queue is full): no waiting
            return afterCheck(outcome(check), binding, login, address, account, typed);
        }
        // a check still queued after MAX_QUEUE_WAIT is given up (its sign-in gets a 429); the timer
        // runs on the JDK's delay thread and only takes the check out of the queue
        CompletableFuture.delayedExecutor(MAX_QUEUE_WAIT.toMillis(), TimeUnit.MILLISECONDS, Runnable::run)
                .execute(() -> checks.abandonIfQueued(check));
        CompletableFuture<Boolean> bounded =
                check.copy().orTimeout(MAX_QUEUE_WAIT.plus(MAX_CHECK_RUN).toMillis(), TimeUnit.MILLISECONDS);
        // no server thread waits: the answer is written when the check ends
        return WebResponse.later(bounded.handle((ok, failure) ->
                afterCheck(failure == null ? ok : refusal(failure), binding, login, address, account, typed)));
    }

    /**
     * The answer to a sign-in once its password check ended.
     *
     * @param matches whether the password matched; null when the check was refused or given up
     */
    private WebResponse afterCheck(
            Boolean matches, String binding, String login, String address, AgentAccount account, char[] typed) {
        if (matches == null) {
            Arrays.fill(typed, '\0'); // a check that never ran did not clear it
            LOG.debug("inbox: a sign-in was refused: the password checks are busy");
            return refusedSignIn(binding, login, "Too many sign-ins at once. Try again in a few seconds.", 2);
        }
        if (!matches || account == null) {
            if (throttle.failed(login, address)) {
                LOG.warn("inbox: repeated wrong passwords: sign-ins from one address are slowed down");
            } else {
                LOG.debug("inbox: a sign-in failed");
            }
            return loginForm(401, binding, login, "Wrong name or password.");
        }
        throttle.succeeded(login, address);
        sessions.find(binding).ifPresent(sessions::invalidate);
        AgentSessions.WebSession s = sessions.create(account.id());
        LOG.info("inbox: agent {} signed in", account.id());
        return withCookie(redirect(config.path() + "/"), s.id());
    }

    /** The outcome of a check that is done. */
    private static Boolean outcome(CompletableFuture<Boolean> done) {
        try {
            return done.join();
        } catch (CompletionException | CancellationException e) {
            return refusal(e.getCause() == null ? e : e.getCause());
        }
    }

    /**
     * Null for a check that was refused ({@link PasswordChecks.Busy}) or given up (it took longer
     * than {@link #MAX_QUEUE_WAIT} plus {@link #MAX_CHECK_RUN}).
     *
     * @throws IllegalStateException when the check itself failed (a bug: answered 500)
     */
    private static Boolean refusal(Throwable failure) {
        Throwable cause =
                failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof PasswordChecks.Busy || cause instanceof TimeoutException) {
            return null;
        }
        throw new IllegalStateException("the password check failed", cause);
    }

    /** The sign-in form again, with why it was refused and when to try again (429). */
    private WebResponse refusedSignIn(String binding, String login, String why, long retryAfterSeconds) {
        return loginForm(429, binding, login, why).withHeader("Retry-After", String.valueOf(retryAfterSeconds));
    }

    /** The sign-in form with a token bound to {@code binding}, which the browser's cookie is set to. */
    private WebResponse loginForm(int status, String binding, String login, String error) {
        return withCookie(
                Pages.html(status, Pages.login(config.path(), formTokens.issue(binding), login, error)), binding);
    }

    /**
     * The random value the sign-in form's token is bound to: the browser's cookie when it has a
     * well-formed one (so several open forms keep working), a new one otherwise. Nothing is stored.
     */
    private static String formBinding(WebRequest request) {
        String c = cookie(request, COOKIE);
        return COOKIE_VALUE.matcher(c).matches() ? c : AgentSessions.randomToken();
    }

    private WebResponse withCookie(WebResponse r, String value) {
        return r.withHeader("Set-Cookie", Pages.cookie(COOKIE, value, config.path(), config.secureCookies(), -1));
    }

    private Optional<AgentSessions.WebSession> session(WebRequest request) {
        return sessions.find(cookie(request, COOKIE));
    }

    private Optional<AgentSessions.WebSession> signedIn(WebRequest request) {
        return session(request);
    }

    // ---- the API ----

    private WebResponse api(WebRequest request) {
        AgentSessions.WebSession s =
                signedIn(request).orElseThrow(() -> new Problem(401, "unauthorized", "sign in first"));
        String agent = s.agentId();
        String path = request.path();
        Instant now = config.clock().instant();
        if (request.method().equals("GET")) {
            if (path.equals("/api/state")) {
                ObjectNode state = views.lists(now);
                AgentAccount me = config.agents().get(agent);
                state.putObject("me").put("id", me.id()).put("name", me.displayName());
                state.set("autopilot", autopilot());
                return json(200, state);
            }
            if (path.equals("/api/events")) {
                return WebResponse.eventStream(stream -> live.subscribe(stream, s));
            }
            Matcher m = SESSION.matcher(path);
            if (m.matches()) {
                long before = cursor(request);
                int limit = pageLimit(request);
                return json(
                        200,
                        views.conversation(m.group(1), now, before, limit)
                                .orElseThrow(() -> new Problem(404, "session_not_found", "no such session")));
            }
            throw new Problem(404, "not_found", "no such endpoint");
        }
        requireMethod(request.method(), "GET", "POST");
        requireSameSite(request);
        if (!s.csrfMatches(request.header("X-CSRF-Token").orElse(null))) {
            throw new Problem(403, "csrf", "the X-CSRF-Token header is missing or wrong; reload the page");
        }
        JsonNode body = jsonBody(request);
        Matcher t = TICKET_ACTION.matcher(path);
        Matcher take = TAKEOVER.matcher(path);
        try {
            if (t.matches()) {
                TicketNumber ticket = TicketNumber.of(Long.parseLong(t.group(1)));
                InboxHelpdesk inbox = config.inbox();
                if (inbox.ticket(ticket).isEmpty()) {
                    throw new Problem(404, "ticket_not_found", "ticket " + ticket + " is not in the inbox");
                }
                switch (t.group(2)) {
                    case "claim" -> inbox.claim(ticket, agent);
                    case "reply" -> inbox.reply(ticket, agent, text(body, "text"));
                    case "note" -> inbox.note(ticket, agent, text(body, "text"));
                    case "resolve" -> inbox.resolve(ticket, agent);
                    default -> throw new IllegalStateException(t.group(2));
                }
                return json(200, ticketJson(inbox.ticket(ticket).orElseThrow()));
            }
            if (take.matches()) {
                String first = body.path("text").asText("");
                InboxTicket taken = config.inbox().takeOver(take.group(1), agent);
                LOG.info("inbox: agent {} took over {} from the AI", agent, taken.ticket());
                if (!first.isBlank()) {
                    config.inbox().reply(taken.ticket(), agent, text(body, "text"));
                }
                return json(
                        200, ticketJson(config.inbox().ticket(taken.ticket()).orElseThrow()));
            }
            if (path.equals("/api/autopilot")) {
                return json(200, changeAutopilot(agent, body));
            }
        } catch (IllegalArgumentException e) {
            throw new Problem(400, "invalid_request", e.getMessage());
        } catch (IllegalStateException e) {
            throw new Problem(409, "conflict", e.getMessage());
        }
        throw new Problem(404, "not_found", "no such endpoint");
    }

    /** The {@code before} cursor of a conversation page: items older than it; {@link Long#MAX_VALUE} for the latest. */
    private static long cursor(WebRequest request) {
        Optional<String> before = request.queryParam("before");
        if (before.isEmpty() || before.get().isEmpty()) {
            return Long.MAX_VALUE;
        }
        if (!CURSOR.matcher(before.get()).matches()) {
            throw new Problem(
                    400, "invalid_cursor", "'before' must be the cursor of an earlier page (a positive number)");
        }
        return Long.parseLong(before.get());
    }

    private int pageLimit(WebRequest request) {
        Optional<String> limit = request.queryParam("limit");
        if (limit.isEmpty() || limit.get().isEmpty()) {
            return config.pageSize();
        }
        try {
            int n = Integer.parseInt(limit.get());
            if (n >= 1 && n <= MAX_PAGE) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new Problem(400, "invalid_limit", "'limit' must be from 1 to " + MAX_PAGE);
    }

    private ObjectNode ticketJson(InboxTicket t) {
        ObjectNode n = Views.JSON.createObjectNode();
        n.put("ticket", t.ticket().toString());
        n.put("sessionId", t.sessionId());
        n.put("status", t.status().name());
        n.put("assignee", t.assignee());
        return n;
    }

    private ObjectNode autopilot() {
        AutopilotPolicy p = config.cx().autopilot();
        ObjectNode out = Views.JSON.createObjectNode();
        out.put("preset", p.preset().name());
        out.put("threshold", p.confidenceThreshold());
        ArrayNode ch = out.putArray("channels");
        for (String c : channels()) {
            ch.addObject().put("channel", c).put("on", p.isOn(ChannelId.of(c)));
        }
        Set<String> topics = topics(p);
        ArrayNode gates = out.putArray("topics");
        for (String topic : topics) {
            GateAction g = p.gates().get(topic);
            gates.addObject().put("topic", topic).put("gate", g == null ? "NONE" : g.name());
        }
        ArrayNode changes = out.putArray("changes");
        for (AutopilotChange c : config.changes().get()) {
            changes.addObject()
                    .put("agentId", c.agentId())
                    .put("at", c.at().toString())
                    .put("setting", c.setting())
                    .put("before", c.before())
                    .put("after", c.after());
        }
        return out;
    }

    /** The channels registered with OpenCX: the only ones autopilot can be switched for. */
    private Set<String> channels() {
        Set<String> channels = new TreeSet<>();
        config.cx().channelIds().forEach(c -> channels.add(c.value()));
        return channels;
    }

    /** The topics an agent may gate: those configured on the inbox and those that already have a gate. */
    private Set<String> topics(AutopilotPolicy p) {
        Set<String> topics = new TreeSet<>(config.topics());
        topics.addAll(p.gates().keySet());
        return topics;
    }

    private ObjectNode changeAutopilot(String agent, JsonNode body) {
        String before;
        String after;
        String setting;
        if (body.hasNonNull("channel")) {
            String channel = body.path("channel").asText("");
            if (!CHANNEL.matcher(channel).matches()) {
                throw new IllegalArgumentException(
                        "channel must be a channel id like 'web', was '" + clip(channel) + "'");
            }
            if (!body.path("on").isBoolean()) {
                throw new IllegalArgumentException("'on' must be true or false");
            }
            if (!channels().contains(channel)) {
                throw new Problem(
                        400,
                        "unknown_channel",
                        "channel '" + channel + "' is not registered with OpenCX; channels: " + channels());
            }
            boolean on = body.path("on").booleanValue();
            ChannelId id = ChannelId.of(channel);
            setting = "channel:" + channel;
            Object[] was = new Object[1];
            config.cx().updateAutopilot(p -> {
                was[0] = p.isOn(id);
                return p.toBuilder().channel(id, on).build();
            });
            before = Boolean.TRUE.equals(was[0]) ? "on" : "off";
            after = on ? "on" : "off";
        } else if (body.hasNonNull("topic")) {
            String topic = body.path("topic").asText("");
            if (!TOPIC.matcher(topic).matches()) {
                throw new IllegalArgumentException(
                        "topic must be 1 to 64 letters, digits, spaces or _ . -, was '" + clip(topic) + "'");
            }
            Set<String> known = topics(config.cx().autopilot());
            if (!known.contains(topic)) {
                throw new Problem(
                        400,
                        "unknown_topic",
                        "topic '" + topic + "' is not a configured topic; topics: " + known
                                + " (add topics with InboxWeb.Builder.topics)");
            }
            GateAction gate;
            try {
                gate = GateAction.valueOf(body.path("gate").asText(""));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("gate must be REPLY or HANDOFF");
            }
            setting = "topic:" + topic;
            Object[] was = new Object[1];
            config.cx().updateAutopilot(p -> {
                was[0] = p.gates().get(topic);
                return p.toBuilder().topicGate(topic, gate).build();
            });
            before = was[0] == null ? "none" : was[0].toString();
            after = gate.name();
        } else {
            throw new IllegalArgumentException(
                    "send {\"channel\": ..., \"on\": ...} or {\"topic\": ..., \"gate\": ...}");
        }
        AutopilotChange change = new AutopilotChange(agent, config.clock().instant(), setting, before, after);
        LOG.info("inbox: autopilot changed by {}: {} {} -> {}", agent, setting, before, after);
        audit.accept(change);
        live.autopilotChanged();
        return autopilot();
    }

    // ---- request helpers ----

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new Problem(405, "method_not_allowed", "use " + String.join(" or ", allowed));
    }

    /** Browsers say where a request comes from; anything but this site is refused. */
    private static void requireSameSite(WebRequest request) {
        String site = request.header("Sec-Fetch-Site").orElse("");
        if (site.equals("cross-site") || site.equals("same-site")) {
            throw new Problem(403, "cross_site", "requests from other sites are refused");
        }
    }

    private static JsonNode jsonBody(WebRequest request) {
        if (request.bodyLength() == 0) {
            return Views.JSON.createObjectNode();
        }
        if (!request.mediaType().equals("application/json")) {
            throw new Problem(415, "unsupported_media_type", "the body must be application/json");
        }
        if (request.bodyLength() > 4 * MAX_TEXT + 1024) {
            throw new Problem(413, "payload_too_large", "the body is too large");
        }
        try {
            JsonNode n = Views.JSON.readTree(request.body());
            if (n == null || !n.isObject()) {
                throw new Problem(400, "invalid_json", "the body must be a JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new Problem(400, "invalid_json", "the body is not valid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().isBlank()) {
            throw new IllegalArgumentException("'" + field + "' must be a non-blank text");
        }
        if (n.asText().length() > MAX_TEXT) {
            throw new IllegalArgumentException(
                    "'" + field + "' has " + n.asText().length() + " characters, at most " + MAX_TEXT);
        }
        return n.asText();
    }

    private static Map<String, String> form(WebRequest request) {
        if (request.bodyLength() > 8192) {
            throw new Problem(413, "payload_too_large", "the form is too large");
        }
        Map<String, String> out = new HashMap<>();
        if (!request.mediaType().equals("application/x-www-form-urlencoded")) {
            return out;
        }
        for (String pair : request.bodyText().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            try {
                out.putIfAbsent(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                throw new Problem(400, "invalid_request", "the form is not URL-encoded");
            }
        }
        return out;
    }

    private static String cookie(WebRequest request, String name) {
        for (String header : request.headers().getOrDefault("Cookie", List.of())) {
            for (String part : header.split(";")) {
                String p = part.strip();
                if (p.startsWith(name + "=")) {
                    return p.substring(name.length() + 1);
                }
            }
        }
        return "";
    }

    private static WebResponse redirect(String location) {
        return WebResponse.empty(303).withHeader("Location", location);
    }

    private static WebResponse json(int status, JsonNode node) {
        try {
            return WebResponse.json(status, Views.JSON.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode JSON", e);
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static byte[] resource(String name) {
        try (InputStream in = InboxEndpoints.class.getResourceAsStream("/dev/opencx/helpdesk/inbox/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the opencx-helpdesk-inbox jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A refusal with its status and code. */
    static final class Problem extends RuntimeException {
        final int status;
        final String code;

        Problem(int status, String code, String message) {
            super(message, null, false, false);
            this.status = status;
            this.code = code;
        }
    }
}
