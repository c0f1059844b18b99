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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The REST API channel's endpoints under {@code /v1}: create a session for a contact, post a
 * message, read the session, its messages and its live events. Every request carries an API key
 * ({@code Authorization: Bearer …}); every refusal is a JSON error with a reason, and nothing is
 * stored from a refused request.
 */
public final class RestApiEndpoints implements WebhookHandler {
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}");

    private final ChannelId channel;
    private final Supplier<ChannelRuntime> runtime;
    private final List<String> apiKeys;
    private final int maxBodyBytes;

    public RestApiEndpoints(
            ChannelId channel, Supplier<ChannelRuntime> runtime, List<String> apiKeys, int maxBodyBytes) {
        this.channel = channel;
        this.runtime = runtime;
        this.apiKeys = List.copyOf(apiKeys);
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public WebResponse handle(WebRequest r) {
        try {
            return route(r).withHeader("Cache-Control", "no-store");
        } catch (HttpError e) {
            return e.response().withHeader("Cache-Control", "no-store");
        }
    }

    private WebResponse route(WebRequest r) {
        String[] seg = Requests.segments(r.path(), "/v1");
        if (seg == null || seg.length == 0 || !seg[0].equals("sessions") || seg.length > 3) {
            throw HttpError.notFound("no API endpoint at " + Requests.clip(r.path()));
        }
        if (r.method().equals("OPTIONS")) {
            throw new HttpError(403, "origin_not_allowed", "the REST API is for servers: browsers use the widget API");
        }
        authenticate(r);
        ChannelRuntime rt = runtime.get();
        if (rt == null) {
            throw new HttpError(
                    503,
                    "not_started",
                    "the API channel is not started: register it with OpenCx.builder().channel(api)");
        }
        if (seg.length == 1) {
            if (!r.method().equals("POST")) {
                throw Requests.methodNotAllowed(r.method(), "POST");
            }
            return create(rt, Json.body(r, maxBodyBytes));
        }
        String what = seg.length == 3 ? seg[2] : "";
        switch (what) {
            case "" -> {
                if (!r.method().equals("GET")) {
                    throw Requests.methodNotAllowed(r.method(), "GET");
                }
                Session s = rt.session(seg[1]);
                ObjectNode o = rt.sessionJson(s);
                o.put("contactId", s.contactId());
                return Json.response(200, o);
            }
            case "messages" -> {
                if (r.method().equals("POST")) {
                    ObjectNode body = Json.body(r, maxBodyBytes);
                    Session s = rt.session(seg[1]);
                    Contact c =
                            rt.cx().contact(s.contactId()).orElseThrow(() -> ChannelRuntime.sessionNotFound(seg[1]));
                    return rt.post(s, c.identities().get(0), body);
                }
                if (!r.method().equals("GET")) {
                    throw Requests.methodNotAllowed(r.method(), "GET, POST");
                }
                return rt.messages(rt.session(seg[1]), r);
            }
            case "events" -> {
                if (!r.method().equals("GET")) {
                    throw Requests.methodNotAllowed(r.method(), "GET");
                }
                return rt.events(rt.session(seg[1]), r);
            }
            default -> throw HttpError.notFound("no API endpoint at " + Requests.clip(r.path()));
        }
    }

    /** Compares the key with every configured key in constant time. */
    private void authenticate(WebRequest r) {
        Optional<String> key = Requests.bearer(r);
        if (key.isEmpty()) {
            throw new HttpError(401, "unauthorized", "missing API key: send 'Authorization: Bearer <api key>'")
                    .header("WWW-Authenticate", "Bearer");
        }
        boolean ok = false;
        for (String k : apiKeys) {
            ok |= Hmac.constantTimeEquals(k, key.get());
        }
        if (!ok) {
            throw new HttpError(401, "unauthorized", "the API key is not valid")
                    .header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
    }

    /** Opens a new session (its own thread) for the contact named by one identity. */
    private WebResponse create(ChannelRuntime rt, ObjectNode body) {
        ObjectNode contact = Json.objectField(body, "contact")
                .orElseThrow(() -> HttpError.badRequest(
                        "field 'contact' is required: {\"email\": …}, {\"phone\": …} or {\"userId\": …}"));
        List<Identity> ids = new ArrayList<>();
        try {
            Json.string(contact, "email").ifPresent(v -> ids.add(Identity.email(v)));
            Json.string(contact, "phone").ifPresent(v -> ids.add(Identity.phone(v)));
            Json.string(contact, "userId").ifPresent(v -> ids.add(Identity.custom(v)));
        } catch (IllegalArgumentException e) {
            throw HttpError.badRequest("contact: " + e.getMessage());
        }
        if (ids.size() != 1) {
            throw HttpError.badRequest(
                    "field 'contact' must have exactly one of 'email', 'phone' or 'userId', had " + ids.size());
        }
        String name = Json.string(body, "name").map(String::strip).orElse("");
        if (name.length() > 100) {
            throw HttpError.badRequest("field 'name' must be at most 100 characters");
        }
        String locale = Json.matching(body, "locale", LOCALE, "a BCP 47 language tag such as 'en' or 'pt-BR'")
                .orElse("en");
        Contact c = rt.cx().contact(ids.get(0), name);
        Session s = rt.cx().openSession(new NewSession(c.id(), channel, "api-" + Requests.randomId(), locale), name);
        ObjectNode o = rt.sessionJson(s);
        o.put("contactId", c.id());
        return Json.response(201, o).withHeader("Location", "/v1/sessions/" + s.id());
    }
}
