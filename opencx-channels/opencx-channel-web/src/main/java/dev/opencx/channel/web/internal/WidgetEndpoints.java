package dev.opencx.channel.web.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.store.NewSession;
import dev.opencx.webhook.WebRequest;
import dev.opencx.webhook.WebResponse;
import dev.opencx.webhook.WebhookHandler;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The widget's endpoints: {@code GET /widget.js} and the {@code /widget/v1} API (auth, sessions,
 * messages, live events). Every API request but auth carries the visitor's signed token; a visitor
 * only ever sees the sessions of their own contact.
 */
public final class WidgetEndpoints implements WebhookHandler {
    /** Prefix of anonymous visitors' identities ({@code custom:web-visitor:…}). */
    public static final String VISITOR_PREFIX = "web-visitor:";

    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");
    private static final Pattern HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final ChannelId channel;
    private final Supplier<ChannelRuntime> runtime;
    private final VisitorTokens tokens;
    private final byte[] identitySecret;
    private final boolean anonymousVisitors;
    private final Cors cors;
    private final int maxBodyBytes;
    private final WidgetTexts texts;
    private final WidgetScript script;

    /** @param identitySecret the secret user hashes are checked with, null when identity verification is off */
    public WidgetEndpoints(
            ChannelId channel,
            Supplier<ChannelRuntime> runtime,
            VisitorTokens tokens,
            byte[] identitySecret,
            boolean anonymousVisitors,
            Cors cors,
            int maxBodyBytes,
            WidgetTexts texts) {
        this.channel = channel;
        this.runtime = runtime;
        this.tokens = tokens;
        this.identitySecret = identitySecret;
        this.anonymousVisitors = anonymousVisitors;
        this.cors = cors;
        this.maxBodyBytes = maxBodyBytes;
        this.texts = texts;
        this.script = WidgetScript.of(texts);
    }

    @Override
    public WebResponse handle(WebRequest r) {
        String path = r.path();
        if (path.equals("/widget.js")) {
            if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
                return Requests.methodNotAllowed(r.method(), "GET").response();
            }
            return script.serve(r);
        }
        String[] seg = Requests.segments(path, "/widget/v1");
        if (seg == null || seg.length == 0) {
            return WebResponse.error(404, "not_found", "no widget endpoint at " + Requests.clip(path));
        }
        if (r.method().equals("OPTIONS")) {
            return cors.preflight(r);
        }
        if (!cors.allows(r)) {
            return cors.refusal(r);
        }
        if (seg[0].equals("texts") && seg.length == 1) {
            try {
                return cors.decorate(r, texts(r));
            } catch (HttpError e) {
                return cors.decorate(r, e.response().withHeader("Cache-Control", "no-store"));
            }
        }
        WebResponse resp;
        try {
            resp = route(r, seg);
        } catch (HttpError e) {
            resp = e.response();
        }
        // on the eventual response when it is deferred
        return resp.map(answer -> cors.decorate(
                r, answer.withHeader("Cache-Control", answer.isEventStream() ? "no-cache, no-store" : "no-store")));
    }

    private WebResponse route(WebRequest r, String[] seg) {
        ChannelRuntime rt = runtime.get();
        if (rt == null) {
            throw new HttpError(
                    503,
                    "not_started",
                    "the web channel is not started: register it with OpenCx.builder().channel(web)");
        }
        if (seg[0].equals("auth") && seg.length == 1) {
            require(r, "POST");
            return auth(rt, Json.body(r, maxBodyBytes));
        }
        if (!seg[0].equals("sessions")) {
            throw HttpError.notFound("no widget endpoint at " + Requests.clip(r.path()));
        }
        if (seg.length == 1) {
            require(r, "POST");
            VisitorTokens.Claims who = authenticate(r, false);
            return openSession(rt, who, Json.body(r, maxBodyBytes));
        }
        if (seg.length > 3) {
            throw HttpError.notFound("no widget endpoint at " + Requests.clip(r.path()));
        }
        String what = seg.length == 3 ? seg[2] : "";
        switch (what) {
            case "" -> {
                require(r, "GET");
                return Json.response(200, rt.sessionJson(owned(rt, authenticate(r, false), seg[1])));
            }
            case "messages" -> {
                if (r.method().equals("POST")) {
                    VisitorTokens.Claims who = authenticate(r, false);
                    ObjectNode body = Json.body(r, maxBodyBytes);
                    return rt.post(owned(rt, who, seg[1]), who.identity(), body);
                }
                if (!r.method().equals("GET")) {
                    throw Requests.methodNotAllowed(r.method(), "GET, POST");
                }
                return rt.messages(owned(rt, authenticate(r, false), seg[1]), r);
            }
            case "events" -> {
                require(r, "GET");
                return rt.events(owned(rt, authenticate(r, true), seg[1]), r);
            }
            default -> throw HttpError.notFound("no widget endpoint at " + Requests.clip(r.path()));
        }
    }

    /**
     * {@code GET /widget/v1/texts?lang=de}: the widget's texts in a language (full tag, then
     * language, then English), public and cacheable: they change only when the server restarts with
     * other texts, and the ETag tells.
     */
    private WebResponse texts(WebRequest r) {
        if (!r.method().equals("GET") && !r.method().equals("HEAD")) {
            throw Requests.methodNotAllowed(r.method(), "GET");
        }
        String lang = r.queryParam("lang").map(String::strip).orElse("");
        if (!lang.isEmpty() && !WidgetTexts.TAG.matcher(lang).matches()) {
            throw HttpError.badRequest(
                    "parameter 'lang' must be a language tag like 'de' or 'pt-BR', was '" + Requests.clip(lang) + "'");
        }
        ObjectNode o = Json.object();
        o.put("lang", texts.answering(lang).toLanguageTag());
        o.set("texts", texts.json(lang));
        WebResponse ok = Json.response(200, o);
        String etag = WidgetScript.etag(Json.write(o).getBytes(StandardCharsets.UTF_8));
        if (r.header("If-None-Match").map(etag::equals).orElse(false)) {
            ok = WebResponse.empty(304);
        }
        ok = ok.withHeader("Cache-Control", "public, max-age=300")
                .withHeader("ETag", etag)
                .withHeader("X-Content-Type-Options", "nosniff");
        // cross-origin answers get "Vary: Origin" from Cors.decorate; same-origin ones here, for shared caches
        return r.header("Origin").isPresent() ? ok : ok.withHeader("Vary", "Origin");
    }

    private static void require(WebRequest r, String method) {
        if (!r.method().equals(method)) {
            throw Requests.methodNotAllowed(r.method(), method);
        }
    }

    /** Issues a token: to a verified user (user id + hash), a returning visitor, or a new visitor. */
    private WebResponse auth(ChannelRuntime rt, ObjectNode body) {
        Optional<String> userId = Json.string(body, "userId");
        Optional<String> name = Json.string(body, "name").map(String::strip);
        if (name.isPresent() && name.get().length() > 100) {
            throw HttpError.badRequest("field 'name' must be at most 100 characters");
        }
        VisitorTokens.Claims claims;
        if (userId.isPresent()) {
            Identity user = verifiedUser(userId.get(), Json.string(body, "userHash"));
            // the name rides in the token to the session the user opens (its PII vault, when names are redacted)
            claims = tokens.issue(user, false, name.orElse(""));
            rt.cx().contact(user, name.orElse(""));
        } else if (Json.string(body, "userHash").isPresent()) {
            throw new HttpError(401, "identity_unverified", "userHash was sent without userId");
        } else if (!anonymousVisitors) {
            throw new HttpError(
                    401, "identity_required", "this widget only serves verified users: send userId and userHash");
        } else {
            claims = Json.string(body, "visitorToken")
                    .flatMap(tokens::verify)
                    .filter(VisitorTokens.Claims::anonymous)
                    .map(c -> tokens.issue(c.identity(), true))
                    .orElseGet(() -> tokens.issue(Identity.custom(VISITOR_PREFIX + Requests.randomId()), true));
        }
        ObjectNode o = Json.object();
        o.put("token", tokens.encode(claims));
        o.put("expiresAt", claims.expiresAt().toString());
        o.put("anonymous", claims.anonymous());
        Optional<Session> open =
                rt.cx().findContact(claims.identity()).flatMap(c -> rt.cx().findOpenSession(c.id(), ""));
        if (open.isPresent()) {
            o.set("session", rt.sessionJson(open.get()));
        } else {
            o.putNull("session");
        }
        return Json.response(200, o);
    }

    /**
     * The user a claimed id and hash stand for. The id is made canonical first (as {@link
     * Identity#custom} stores it: without leading or trailing spaces), and the hash is checked over
     * the canonical id, so "alice" and " alice " are one user with one hash, and no claim can land in
     * the anonymous visitors' namespace.
     */
    private Identity verifiedUser(String userId, Optional<String> userHash) {
        if (identitySecret == null) {
            throw new HttpError(
                    401,
                    "identity_unverified",
                    "identity verification is not configured on this server (WebChannel.Builder.secret)");
        }
        Identity user = claimedUser(userId);
        String hash = userHash.orElseThrow(
                () -> new HttpError(401, "identity_unverified", "userHash is required with userId"));
        String expected = Hmac.sha256Hex(identitySecret, user.value());
        if (!HEX.matcher(hash).matches() || !Hmac.constantTimeEquals(expected, hash.toLowerCase(Locale.ROOT))) {
            throw new HttpError(
                    401,
                    "identity_unverified",
                    user.value().equals(userId)
                            ? "userHash does not match userId"
                            : "userHash does not match userId; the hash is checked over the id without its"
                                    + " leading and trailing spaces");
        }
        return user;
    }

    /**
     * The canonical identity of a user id claimed through the widget: 400 for one that is blank
     * after trimming, too long, has control characters, or starts with {@value #VISITOR_PREFIX} (in
     * any case: the anonymous visitors' namespace is reserved).
     */
    public static Identity claimedUser(String userId) {
        Identity user;
        try {
            user = Identity.custom(userId);
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("field 'userId' is not a valid user id: " + e.getMessage());
        }
        if (user.value().regionMatches(true, 0, VISITOR_PREFIX, 0, VISITOR_PREFIX.length())) {
            throw HttpError.badRequest("field 'userId' must not start with '" + VISITOR_PREFIX
                    + "': that namespace is reserved for anonymous visitors");
        }
        return user;
    }

    private VisitorTokens.Claims authenticate(WebRequest r, boolean queryAllowed) {
        Optional<String> token = Requests.bearer(r);
        if (token.isEmpty() && queryAllowed) {
            token = r.queryParam("access_token");
        }
        if (token.isEmpty()) {
            throw new HttpError(
                            401,
                            "unauthorized",
                            "missing token: call POST /widget/v1/auth and send 'Authorization: Bearer <token>'")
                    .header("WWW-Authenticate", "Bearer");
        }
        return tokens.verify(token.get()).orElseThrow(() -> new HttpError(
                        401, "unauthorized", "the token is invalid or expired: call POST /widget/v1/auth again")
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\""));
    }

    /** The visitor's open session, or a new one. */
    private WebResponse openSession(ChannelRuntime rt, VisitorTokens.Claims who, ObjectNode body) {
        String locale = Json.string(body, "locale")
                .map(String::strip)
                .filter(l -> LOCALE.matcher(l).matches())
                .orElse("en");
        Contact contact = rt.cx().contact(who.identity(), who.name());
        Optional<Session> open = rt.cx().findOpenSession(contact.id(), "");
        if (open.isPresent()) {
            return Json.response(200, rt.sessionJson(open.get()));
        }
        Session s = rt.cx().openSession(new NewSession(contact.id(), channel, "", locale), who.name());
        return Json.response(201, rt.sessionJson(s));
    }

    /** The session when it belongs to the visitor's contact; 404 otherwise (existence is not revealed). */
    private static Session owned(ChannelRuntime rt, VisitorTokens.Claims who, String sessionId) {
        Session s = rt.session(sessionId);
        Optional<String> mine = rt.cx().findContact(who.identity()).map(Contact::id);
        Optional<String> owner = rt.cx().contact(s.contactId()).map(Contact::id);
        if (mine.isEmpty() || !mine.equals(owner)) {
            throw ChannelRuntime.sessionNotFound(sessionId);
        }
        return s;
    }
}
