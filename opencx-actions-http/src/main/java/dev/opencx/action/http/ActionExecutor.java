package dev.opencx.action.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.failsafe.Execution;
import dev.failsafe.RetryPolicy;
import dev.failsafe.RetryPolicyBuilder;
import dev.opencx.action.Action;
import dev.opencx.action.ActionArguments;
import dev.opencx.action.ActionAuth;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionInvoker;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionResult;
import dev.opencx.action.ActionResult.Outcome;
import dev.opencx.action.ActionResult.RequestSummary;
import dev.opencx.action.HttpMethod;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import okhttp3.Credentials;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the customer's APIs for {@link Action}s: validates the model's arguments against the
 * action's schema, fills contact-bound parameters from the {@link ActionContext} (never from the
 * model), builds the request (path, query, headers, cookies, JSON or form body), authenticates it
 * ({@link ActionAuth} by security scheme name), and sends it with timeouts, retries with exponential
 * backoff (only for idempotent actions or with an idempotency key), a circuit breaker per action and
 * a response size limit. Retries and circuit breakers are Failsafe's ({@code dev.failsafe:failsafe},
 * no further dependencies), timed on the builder's clock and sleeper. The response body is trimmed for the model. Every failure is an {@link
 * ActionResult}, never an exception; secrets never reach the result, the logs or an exception.
 *
 * <pre>{@code
 * try (ActionExecutor executor = ActionExecutor.builder()
 *         .auth("apiKey", ActionAuth.apiKey(ActionAuth.In.HEADER, "X-Api-Key", key))
 *         .responseFields("get_order", "status", "/shipping/eta")
 *         .build()) {
 *     ActionResult result = executor.execute(getOrder, arguments,
 *             ActionContext.builder().contactId("c-42").build());
 *     String forTheModel = result.toToolResult();
 * }
 * }</pre>
 *
 * <p>Thread-safe; share one executor. It owns an {@link OkHttpClient} unless one is given to
 * {@link Builder#client(OkHttpClient)}; {@link #close()} releases an owned client and is idempotent.
 * Arguments of {@link #execute} must not be null, except {@code arguments} (no arguments).
 */
public final class ActionExecutor implements ActionInvoker {
    private static final Logger log = LoggerFactory.getLogger(ActionExecutor.class);
    private static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /** Waits between attempts; replaceable in tests. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final OkHttpClient client;
    private final boolean ownsClient;
    private final int maxAttempts;
    private final Duration maxRetryAfter;
    /** Failsafe's retry policy for calls that may be repeated: transient statuses and I/O failures. */
    private final RetryPolicy<Attempt> retries;
    /** For calls that must not be repeated (not idempotent and no idempotency key): one attempt. */
    private final RetryPolicy<Attempt> once;

    private final int breakerThreshold;
    private final Duration breakerCoolDown;
    private final long maxResponseBytes;
    private final int maxChars;
    private final int maxArrayItems;
    private final Map<String, List<String>> responseFields;
    private final Map<String, ActionAuth> auths;
    private final Map<String, OAuth2TokenCache> tokens = new ConcurrentHashMap<>();
    private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();
    private final Clock clock;
    private final Sleeper sleeper;
    private final AtomicBoolean closed = new AtomicBoolean();

    private ActionExecutor(Builder b) {
        if (b.client != null) {
            this.client = b.client;
            this.ownsClient = false;
        } else {
            this.client = new OkHttpClient.Builder()
                    .connectTimeout(b.connectTimeout)
                    .readTimeout(b.readTimeout)
                    .writeTimeout(b.readTimeout)
                    .followRedirects(false)
                    .build();
            this.ownsClient = true;
        }
        this.maxAttempts = b.maxAttempts;
        this.maxRetryAfter = b.maxRetryAfter;
        this.retries = retryPolicy(b.maxAttempts, b.initialBackoff, b.maxBackoff);
        this.once = retryPolicy(1, b.initialBackoff, b.maxBackoff);
        this.breakerThreshold = b.breakerThreshold;
        this.breakerCoolDown = b.breakerCoolDown;
        this.maxResponseBytes = b.maxResponseBytes;
        this.maxChars = b.maxChars;
        this.maxArrayItems = b.maxArrayItems;
        this.responseFields = Map.copyOf(b.responseFields);
        this.auths = Map.copyOf(b.auths);
        this.clock = b.clock;
        this.sleeper = b.sleeper;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Calls the action.
     *
     * @param action the action; never null
     * @param arguments the model's arguments (null means none); values for contact-bound parameters
     *     are ignored and listed in {@link ActionResult#ignoredArguments()}
     * @param ctx the contact, session, credentials and idempotency key; never null
     * @return the result, whatever happened; never null
     * @throws IllegalStateException when the executor is closed
     */
    public ActionResult execute(Action action, ObjectNode arguments, ActionContext ctx) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ctx, "ctx");
        if (closed.get()) {
            throw new IllegalStateException("the action executor is closed");
        }
        long start = System.nanoTime();
        ObjectNode args = arguments == null ? JsonNodeFactory.instance.objectNode() : arguments;
        ActionArguments resolved = ActionArguments.resolve(action, args, ctx);
        List<String> problems = resolved.problems();
        List<String> ignored = resolved.ignored();
        Map<ActionParameter, JsonNode> values = resolved.values();
        if (!problems.isEmpty()) {
            log.debug("action {}: invalid arguments, nothing sent", action.name());
            return new ActionResult(
                    action.name(),
                    Outcome.INVALID_ARGUMENTS,
                    0,
                    since(start),
                    "",
                    false,
                    "The arguments are not valid: " + String.join("; ", problems) + ".",
                    null,
                    0,
                    problems,
                    ignored);
        }
        Prepared prepared;
        try {
            prepared = prepare(action, values, ctx);
        } catch (IllegalArgumentException e) {
            String problem = e.getMessage();
            return new ActionResult(
                    action.name(),
                    Outcome.INVALID_ARGUMENTS,
                    0,
                    since(start),
                    "",
                    false,
                    "The request cannot be built: " + problem + ".",
                    null,
                    0,
                    List.of(problem),
                    ignored);
        }
        CircuitBreaker breaker = breakers.computeIfAbsent(
                action.name(), n -> new CircuitBreaker(breakerThreshold, breakerCoolDown, clock));
        if (!breaker.tryAcquire()) {
            log.debug("action {}: circuit open, nothing sent", action.name());
            return new ActionResult(
                    action.name(),
                    Outcome.CIRCUIT_OPEN,
                    0,
                    since(start),
                    "",
                    false,
                    "This action failed repeatedly and is paused for now; try later or hand off to a person.",
                    prepared.summary,
                    0,
                    List.of(),
                    ignored);
        }
        ActionResult result = send(action, prepared, ctx, start, ignored);
        switch (result.outcome()) {
            case OK -> breaker.onSuccess();
            case SERVER_ERROR, TIMEOUT, NETWORK_ERROR -> breaker.onFailure();
            default -> breaker.onNeutral();
        }
        if (result.ok()) {
            log.debug(
                    "action {}: {} in {} ms, {} attempt(s)",
                    action.name(),
                    result.status(),
                    result.latency().toMillis(),
                    result.attempts());
        } else if (breaker.state() == CircuitBreaker.State.OPEN && result.outcome() != Outcome.CIRCUIT_OPEN) {
            log.warn(
                    "action {}: {} (status {}) in {} ms, {} attempt(s); circuit open for {} s",
                    action.name(),
                    result.outcome(),
                    result.status(),
                    result.latency().toMillis(),
                    result.attempts(),
                    breakerCoolDown.toSeconds());
        } else {
            log.info(
                    "action {}: {} (status {}) in {} ms, {} attempt(s)",
                    action.name(),
                    result.outcome(),
                    result.status(),
                    result.latency().toMillis(),
                    result.attempts());
        }
        return result;
    }

    /**
     * What is wrong with a call, without making it: arguments against the schema, required values,
     * contact-bound values unknown in the context, a request that cannot be built. Used to check a
     * call before the customer is asked to confirm it.
     *
     * @return the problems; empty when {@link #execute} would send a request
     */
    public List<String> check(Action action, ObjectNode arguments, ActionContext ctx) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ctx, "ctx");
        ObjectNode args = arguments == null ? JsonNodeFactory.instance.objectNode() : arguments;
        ActionArguments resolved = ActionArguments.resolve(action, args, ctx);
        List<String> problems = new ArrayList<>(resolved.problems());
        if (problems.isEmpty()) {
            try {
                prepare(action, resolved.values(), ctx);
            } catch (IllegalArgumentException e) {
                problems.add(e.getMessage());
            }
        }
        return List.copyOf(problems);
    }

    /** A request ready to send, before authentication. */
    private record Prepared(
            HttpUrl url,
            Map<String, List<String>> headers,
            List<String> cookies,
            RequestBody body,
            RequestSummary summary) {}

    private Prepared prepare(Action action, Map<ActionParameter, JsonNode> values, ActionContext ctx) {
        String base = action.baseUrl()
                .orElseThrow(() -> new IllegalArgumentException("action " + action.name() + " has no base URL"));
        StringBuilder path = new StringBuilder();
        String template = action.pathTemplate();
        int at = 0;
        while (at < template.length()) {
            int open = template.indexOf('{', at);
            if (open < 0) {
                path.append(template, at, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            path.append(template, at, open);
            String name = template.substring(open + 1, close);
            ActionParameter parameter = action.parameter(name).orElseThrow();
            path.append(pathValue(parameter, values.get(parameter)));
            at = close + 1;
        }
        String joined = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + path;
        HttpUrl parsed = HttpUrl.parse(joined);
        if (parsed == null) {
            throw new IllegalArgumentException("action " + action.name() + " has a base URL that is not http(s)");
        }
        HttpUrl.Builder url = parsed.newBuilder();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        List<String> cookies = new ArrayList<>();
        List<String> sent = new ArrayList<>();
        ObjectNode bodyObject = null;
        JsonNode wholeBody = null;
        for (Map.Entry<ActionParameter, JsonNode> entry : values.entrySet()) {
            ActionParameter p = entry.getKey();
            JsonNode v = entry.getValue();
            sent.add(p.name());
            switch (p.location()) {
                case PATH -> {}
                case QUERY -> addQuery(url, p, v);
                case HEADER -> {
                    String value = String.join(",", flatten(v));
                    if (!value.chars().allMatch(c -> c == '\t' || (c >= 0x20 && c < 0x7f))) {
                        throw new IllegalArgumentException(
                                "header " + p.name() + " may only hold printable ASCII characters");
                    }
                    headers.computeIfAbsent(p.name(), k -> new ArrayList<>()).add(value);
                }
                case COOKIE -> cookies.add(p.name() + "=" + encode(String.join(",", flatten(v))));
                case BODY_PROPERTY -> {
                    if (bodyObject == null) {
                        bodyObject = JsonNodeFactory.instance.objectNode();
                    }
                    bodyObject.set(p.name(), v);
                }
                case BODY -> wholeBody = v;
            }
        }
        RequestBody body = null;
        String contentType = action.requestContentType().orElse("application/json");
        JsonNode bodyNode = wholeBody != null ? wholeBody : bodyObject;
        if (bodyNode != null) {
            if (contentType.startsWith("application/x-www-form-urlencoded")) {
                FormBody.Builder form = new FormBody.Builder();
                bodyNode.properties().forEach(e -> flatten(e.getValue()).forEach(item -> form.add(e.getKey(), item)));
                body = form.build();
            } else {
                body = RequestBody.create(bodyNode.toString(), MediaType.parse(contentType));
            }
        } else if (action.method() == HttpMethod.POST
                || action.method() == HttpMethod.PUT
                || action.method() == HttpMethod.PATCH) {
            body = RequestBody.create(new byte[0], null);
        }
        if (ctx.idempotencyKey().isPresent()) {
            headers.put(IDEMPOTENCY_KEY, List.of(ctx.idempotencyKey().get()));
        }
        HttpUrl built = url.build();
        RequestSummary summary = new RequestSummary(action.method().name(), built.toString(), sent);
        return new Prepared(built, headers, cookies, body, summary);
    }

    private static String pathValue(ActionParameter p, JsonNode v) {
        List<String> items = flatten(v).stream().map(ActionExecutor::encode).toList();
        String joined = String.join(p.explode() && p.style().equals("label") ? "." : ",", items);
        return switch (p.style()) {
            case "label" -> "." + joined;
            case "matrix" -> p.explode() && v.isArray()
                    ? String.join(
                            "",
                            items.stream().map(i -> ";" + p.name() + "=" + i).toList())
                    : ";" + p.name() + "=" + joined;
            default -> joined;
        };
    }

    private static void addQuery(HttpUrl.Builder url, ActionParameter p, JsonNode v) {
        if (v.isObject()) {
            if (p.style().equals("deepObject")) {
                v.properties()
                        .forEach(e -> url.addQueryParameter(p.name() + "[" + e.getKey() + "]", text(e.getValue())));
            } else if (p.explode()) {
                v.properties().forEach(e -> url.addQueryParameter(e.getKey(), text(e.getValue())));
            } else {
                url.addQueryParameter(p.name(), String.join(",", flatten(v)));
            }
            return;
        }
        List<String> items = flatten(v);
        switch (p.style()) {
            case "spaceDelimited" -> url.addQueryParameter(p.name(), String.join(" ", items));
            case "pipeDelimited" -> url.addQueryParameter(p.name(), String.join("|", items));
            default -> {
                if (p.explode()) {
                    items.forEach(item -> url.addQueryParameter(p.name(), item));
                } else {
                    url.addQueryParameter(p.name(), String.join(",", items));
                }
            }
        }
    }

    /** Array items as text; an object as key,value,key,value; a scalar as one item. */
    private static List<String> flatten(JsonNode v) {
        List<String> items = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(item -> items.add(text(item)));
        } else if (v.isObject()) {
            v.properties().forEach(e -> {
                items.add(e.getKey());
                items.add(text(e.getValue()));
            });
        } else {
            items.add(text(v));
        }
        return items;
    }

    private static String text(JsonNode v) {
        return v.isValueNode() ? v.asText() : v.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** Thrown while authenticating; the message never holds a secret. */
    private static final class AuthFailure extends Exception {
        final Outcome outcome;

        AuthFailure(String message, Outcome outcome) {
            super(message, null, false, false);
            this.outcome = outcome;
        }
    }

    private Request authenticate(Action action, Prepared prepared, ActionContext ctx) throws AuthFailure {
        HttpUrl.Builder url = prepared.url.newBuilder();
        Request.Builder request = new Request.Builder();
        List<String> cookies = new ArrayList<>(prepared.cookies);
        prepared.headers.forEach((name, list) -> list.forEach(value -> request.addHeader(name, value)));
        boolean anyConfigured = false;
        for (String scheme : action.securityRequirements()) {
            try {
                anyConfigured |= applyAuth(scheme, request, url, cookies, ctx);
            } catch (IllegalArgumentException badCharacters) {
                // OkHttp's message quotes the header value: never pass it on
                throw new AuthFailure(
                        "The credential of " + scheme + " has characters not allowed in a request",
                        Outcome.CLIENT_ERROR);
            }
        }
        if (!anyConfigured && !action.securityRequirements().isEmpty()) {
            throw new AuthFailure(
                    "No authentication is configured for " + action.securityRequirements(), Outcome.CLIENT_ERROR);
        }
        if (!cookies.isEmpty()) {
            request.header("Cookie", String.join("; ", cookies));
        }
        String method = action.method().name();
        return request.url(url.build()).method(method, prepared.body).build();
    }

    private boolean applyAuth(
            String scheme, Request.Builder request, HttpUrl.Builder url, List<String> cookies, ActionContext ctx)
            throws AuthFailure {
        ActionAuth auth = auths.get(scheme);
        if (auth == null) {
            return false;
        }
        if (auth instanceof ActionAuth.ApiKey k) {
            place(k.in(), k.name(), k.key(), request, url, cookies);
        } else if (auth instanceof ActionAuth.Bearer b) {
            request.header("Authorization", "Bearer " + b.token());
        } else if (auth instanceof ActionAuth.Basic b) {
            request.header("Authorization", Credentials.basic(b.user(), b.password(), StandardCharsets.UTF_8));
        } else if (auth instanceof ActionAuth.OAuth2ClientCredentials o) {
            OAuth2TokenCache cache = tokens.computeIfAbsent(scheme, s -> new OAuth2TokenCache(o, client, clock));
            try {
                request.header("Authorization", "Bearer " + cache.token());
            } catch (OAuth2TokenCache.TokenException e) {
                Outcome outcome = e.status == 0
                        ? Outcome.NETWORK_ERROR
                        : e.status >= 500 || e.status < 0 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
                throw new AuthFailure(
                        "No access token could be obtained for " + scheme + ": " + e.getMessage(), outcome);
            }
        } else if (auth instanceof ActionAuth.PerContact p) {
            String secret = ctx.credential(scheme)
                    .orElseThrow(() -> new AuthFailure(
                            "No credential of this contact for " + scheme + " was supplied", Outcome.CLIENT_ERROR));
            if (p.in() == null) {
                request.header("Authorization", "Bearer " + secret);
            } else {
                place(p.in(), p.name(), secret, request, url, cookies);
            }
        }
        return true;
    }

    private static void place(
            ActionAuth.In in,
            String name,
            String secret,
            Request.Builder request,
            HttpUrl.Builder url,
            List<String> cookies) {
        switch (in) {
            case HEADER -> request.header(name, secret);
            case QUERY -> url.setQueryParameter(name, secret);
            case COOKIE -> cookies.add(name + "=" + secret);
        }
    }

    /**
     * What an answered attempt means for retrying: its status, and the wait a 429 asked for in
     * {@code Retry-After} (already cut to {@code maxRetryAfter}; null when it asked for none we read).
     */
    private record Attempt(int status, Duration retryAfter) {
        boolean transientStatus() {
            return status == 429 || status == 502 || status == 503 || status == 504;
        }
    }

    /**
     * Retries transient statuses (429, 502, 503, 504) and I/O failures (timeouts, refused
     * connections) up to {@code maxAttempts} attempts in all, waiting {@code initial} doubled per
     * retry up to {@code max}, or what a 429's {@code Retry-After} asked for.
     */
    private static RetryPolicy<Attempt> retryPolicy(int maxAttempts, Duration initial, Duration max) {
        RetryPolicyBuilder<Attempt> policy = RetryPolicy.<Attempt>builder()
                .handle(IOException.class)
                .handleResultIf(Attempt::transientStatus)
                .withMaxAttempts(maxAttempts)
                // a negative delay tells Failsafe to use the backoff instead
                .withDelayFn(ctx -> {
                    Attempt last = ctx.getLastResult();
                    return last != null && last.retryAfter() != null ? last.retryAfter() : Duration.ofNanos(-1);
                });
        return initial.compareTo(max) < 0
                ? policy.withBackoff(initial, max).build()
                : policy.withDelay(initial).build();
    }

    private ActionResult send(Action action, Prepared prepared, ActionContext ctx, long start, List<String> ignored) {
        boolean retryable = action.idempotent() || ctx.idempotencyKey().isPresent();
        Execution<Attempt> execution = Execution.of(retryable ? retries : once);
        int attempts = 0;
        boolean reauthenticated = false;
        while (true) {
            Request request;
            try {
                request = authenticate(action, prepared, ctx);
            } catch (AuthFailure e) {
                return new ActionResult(
                        action.name(),
                        e.outcome,
                        0,
                        since(start),
                        "",
                        false,
                        e.getMessage() + ".",
                        prepared.summary,
                        attempts,
                        List.of(),
                        ignored);
            }
            attempts++;
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                log.debug("action {}: attempt {} answered {}", action.name(), attempts, code);
                if (code == 401 && !reauthenticated && usesOAuth2(action)) {
                    // a fresh token and one resend, outside the retry budget: not a failure of the API
                    reauthenticated = true;
                    action.securityRequirements().forEach(s -> {
                        OAuth2TokenCache cache = tokens.get(s);
                        if (cache != null) {
                            cache.invalidate();
                        }
                    });
                    continue;
                }
                execution.recordResult(new Attempt(code, code == 429 ? retryAfter(response) : null));
                if (execution.isComplete()) {
                    return complete(action, prepared, response, attempts, start, ignored);
                }
            } catch (IOException e) {
                boolean timeout = e instanceof InterruptedIOException;
                log.debug(
                        "action {}: attempt {} failed with {}",
                        action.name(),
                        attempts,
                        e.getClass().getSimpleName());
                execution.recordException(e);
                if (execution.isComplete()) {
                    return new ActionResult(
                            action.name(),
                            timeout ? Outcome.TIMEOUT : Outcome.NETWORK_ERROR,
                            0,
                            since(start),
                            "",
                            false,
                            timeout
                                    ? "The API did not answer in time (" + attempts
                                            + " attempt(s)); try later or hand off to a person."
                                    : "The API could not be reached (" + attempts
                                            + " attempt(s)); try later or hand off to a person.",
                            prepared.summary,
                            attempts,
                            List.of(),
                            ignored);
                }
            } catch (RuntimeException e) {
                // e.g. an interceptor of a given client failing; its message may quote the URL or a header
                log.warn(
                        "action {}: attempt {} failed with {}",
                        action.name(),
                        attempts,
                        e.getClass().getName());
                return new ActionResult(
                        action.name(),
                        Outcome.NETWORK_ERROR,
                        0,
                        since(start),
                        "",
                        false,
                        "The call failed in the HTTP client (" + e.getClass().getSimpleName()
                                + "); hand off to a person.",
                        prepared.summary,
                        attempts,
                        List.of(),
                        ignored);
            }
            try {
                sleeper.sleep(execution.getDelay());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new ActionResult(
                        action.name(),
                        Outcome.NETWORK_ERROR,
                        0,
                        since(start),
                        "",
                        false,
                        "The call was interrupted.",
                        prepared.summary,
                        attempts,
                        List.of(),
                        ignored);
            }
        }
    }

    private boolean usesOAuth2(Action action) {
        return action.securityRequirements().stream()
                .anyMatch(s -> auths.get(s) instanceof ActionAuth.OAuth2ClientCredentials);
    }

    /** The wait a {@code Retry-After} in seconds asks for, cut to {@code maxRetryAfter}; null for none. */
    private Duration retryAfter(Response response) {
        String header = response.header("Retry-After");
        if (header != null) {
            try {
                long seconds = Long.parseLong(header.trim());
                Duration asked = Duration.ofSeconds(Math.max(0, seconds));
                return asked.compareTo(maxRetryAfter) > 0 ? maxRetryAfter : asked;
            } catch (NumberFormatException dateOrGarbage) {
                // an HTTP date or garbage: the backoff applies
            }
        }
        return null;
    }

    private ActionResult complete(
            Action action, Prepared prepared, Response response, int attempts, long start, List<String> ignored)
            throws IOException {
        int code = response.code();
        ResponseBody body = response.body();
        String text;
        if (body.contentLength() > maxResponseBytes) {
            text = null;
        } else {
            BufferedSource source = body.source();
            text = source.request(maxResponseBytes + 1)
                    ? null
                    : source.getBuffer().readUtf8();
        }
        if (text == null) {
            return new ActionResult(
                    action.name(),
                    Outcome.TOO_LARGE,
                    code,
                    since(start),
                    "",
                    true,
                    "The API answered with more than " + maxResponseBytes + " bytes, which was not read.",
                    prepared.summary,
                    attempts,
                    List.of(),
                    ignored);
        }
        ResponseTrimmer.Trimmed trimmed = ResponseTrimmer.trim(
                text,
                code < 300 ? responseFields.getOrDefault(action.name(), List.of()) : List.of(),
                maxArrayItems,
                maxChars);
        Outcome outcome = code < 300 ? Outcome.OK : code < 500 ? Outcome.CLIENT_ERROR : Outcome.SERVER_ERROR;
        String explanation =
                switch (outcome) {
                    case OK -> "The call succeeded (HTTP " + code + ").";
                    case SERVER_ERROR -> "The API failed (HTTP " + code + ", " + attempts
                            + " attempt(s)); try later or hand off to a person.";
                    default -> code < 400
                            ? "The API redirected the request (HTTP " + code + "), which actions do not follow."
                            : code == 401 || code == 403
                                    ? "The API did not accept the credentials (HTTP " + code
                                            + "); hand off to a person."
                                    : code == 429
                                            ? "The API is limiting calls (HTTP 429); try again later."
                                            : "The API refused the request (HTTP " + code + ").";
                };
        return new ActionResult(
                action.name(),
                outcome,
                code,
                since(start),
                trimmed.text(),
                trimmed.truncated(),
                explanation,
                prepared.summary,
                attempts,
                List.of(),
                ignored);
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Releases the owned HTTP client's threads and connections; idempotent. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && ownsClient) {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    @Override
    public String toString() {
        return "ActionExecutor[auth schemes " + auths.keySet() + ", attempts " + maxAttempts + "]";
    }

    /**
     * Builds an {@link ActionExecutor}. Defaults: connect timeout 5 s, read timeout 15 s, 3 attempts,
     * backoff from 200 ms doubling up to 5 s, {@code Retry-After} honoured up to 10 s, circuit
     * breaker opening after 5 consecutive failures for 30 s, responses up to 1 MiB, bodies for the
     * model up to 4000 characters and 20 items per array. Setters fail fast naming the bad value.
     */
    public static final class Builder {
        private OkHttpClient client;
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration readTimeout = Duration.ofSeconds(15);
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(200);
        private Duration maxBackoff = Duration.ofSeconds(5);
        private Duration maxRetryAfter = Duration.ofSeconds(10);
        private int breakerThreshold = 5;
        private Duration breakerCoolDown = Duration.ofSeconds(30);
        private long maxResponseBytes = 1024 * 1024;
        private int maxChars = 4000;
        private int maxArrayItems = 20;
        private final Map<String, List<String>> responseFields = new LinkedHashMap<>();
        private final Map<String, ActionAuth> auths = new LinkedHashMap<>();
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = d -> TimeUnit.NANOSECONDS.sleep(d.toNanos());

        private Builder() {}

        /** Uses this client (not closed by the executor); timeouts set here are then ignored. */
        public Builder client(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connect timeout");
            return this;
        }

        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "read timeout");
            return this;
        }

        /** Attempts per call, the first included (1 means no retry). */
        public Builder maxAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new IllegalArgumentException("max attempts must be 1 to 10, was " + attempts);
            }
            this.maxAttempts = attempts;
            return this;
        }

        /** The wait before the first retry, doubled for each next one up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = positive(initial, "initial backoff");
            this.maxBackoff = positive(max, "max backoff");
            if (max.compareTo(initial) < 0) {
                throw new IllegalArgumentException(
                        "max backoff " + max + " is shorter than initial backoff " + initial);
            }
            return this;
        }

        /** The longest {@code Retry-After} honoured; longer ones are cut to it. */
        public Builder maxRetryAfter(Duration max) {
            this.maxRetryAfter = positive(max, "max Retry-After");
            return this;
        }

        /** Opens an action's circuit after this many consecutive failures, for {@code coolDown}. */
        public Builder circuitBreaker(int consecutiveFailures, Duration coolDown) {
            if (consecutiveFailures < 1) {
                throw new IllegalArgumentException(
                        "circuit breaker failures must be at least 1, was " + consecutiveFailures);
            }
            this.breakerThreshold = consecutiveFailures;
            this.breakerCoolDown = positive(coolDown, "circuit breaker cool-down");
            return this;
        }

        /** The largest response body read; a larger one gives {@link Outcome#TOO_LARGE}. */
        public Builder maxResponseBytes(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("max response bytes must be positive, was " + bytes);
            }
            this.maxResponseBytes = bytes;
            return this;
        }

        /** The largest body given to the model, in characters, and the items kept per array. */
        public Builder modelBody(int maxChars, int maxArrayItems) {
            if (maxChars < 100) {
                throw new IllegalArgumentException("max characters must be at least 100, was " + maxChars);
            }
            if (maxArrayItems < 1) {
                throw new IllegalArgumentException("max array items must be at least 1, was " + maxArrayItems);
            }
            this.maxChars = maxChars;
            this.maxArrayItems = maxArrayItems;
            return this;
        }

        /**
         * Keeps only these fields of an action's successful JSON responses: top-level names ({@code
         * status}) or JSON pointers ({@code /shipping/eta}).
         */
        public Builder responseFields(String actionName, String... fields) {
            Objects.requireNonNull(actionName, "action name");
            if (fields.length == 0) {
                throw new IllegalArgumentException("response fields of " + actionName + " must not be empty");
            }
            for (String field : fields) {
                if (field == null || field.isBlank()) {
                    throw new IllegalArgumentException(
                            "response field of " + actionName + " must not be blank, was '" + field + "'");
                }
            }
            this.responseFields.put(actionName, List.of(fields));
            return this;
        }

        /**
         * How requests of a security scheme are authenticated.
         *
         * @throws IllegalArgumentException when the scheme already has an auth
         */
        public Builder auth(String schemeName, ActionAuth auth) {
            Objects.requireNonNull(schemeName, "scheme name");
            Objects.requireNonNull(auth, "auth of " + schemeName);
            if (auths.putIfAbsent(schemeName, auth) != null) {
                throw new IllegalArgumentException("security scheme '" + schemeName + "' already has an auth");
            }
            return this;
        }

        /** The clock of the circuit breakers and token expiry. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        public ActionExecutor build() {
            return new ActionExecutor(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, was " + d);
            }
            return d;
        }
    }
}
