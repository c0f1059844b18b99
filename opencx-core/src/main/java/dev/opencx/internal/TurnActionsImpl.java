package dev.opencx.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ActionResult;
import dev.opencx.action.ActionResult.Outcome;
import dev.opencx.action.HttpMethod;
import dev.opencx.action.PendingAction;
import dev.opencx.action.ReplyTemplate;
import dev.opencx.action.TurnActions;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.event.ActionCalled;
import dev.opencx.handoff.HandoffReason;
import dev.opencx.pii.PiiDestination;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.PiiRedactor;
import dev.opencx.pii.PiiType;
import dev.opencx.pii.SessionPii;
import dev.opencx.pipeline.Turn;
import dev.opencx.responder.Reply;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@link TurnActions} of one turn: one per turn (kept in the turn's attributes), so the calls of
 * a turn are numbered for their idempotency keys. Arguments travel with PII placeholders and are
 * revealed for the call only; what comes back is redacted before a responder or the log sees it.
 */
public final class TurnActionsImpl implements TurnActions {
    private static final String ATTRIBUTE = "opencx.turn-actions";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_SUMMARY_VALUES = 8;
    private static final int MAX_LIST_ITEMS = 5;

    private final Runtime rt;
    private final Turn turn;
    private final AgentActions cfg;
    private final Contact contact; // the verified contact, unredacted
    private final SessionPii pii;
    private ActionRegistry offered;
    private final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    private TurnActionsImpl(Runtime rt, Turn turn) {
        this.rt = rt;
        this.turn = turn;
        this.cfg = rt.actions();
        Session s = turn.session();
        this.contact = rt.store().contact(s.contactId()).orElse(turn.contact());
        this.pii = Steps.sessionPii(rt, s);
    }

    /** The turn's actions; {@link TurnActions#NONE} when the client has none. */
    public static TurnActions of(Runtime rt, Turn turn) {
        if (rt.actions() == null) {
            return TurnActions.NONE;
        }
        return (TurnActions) turn.attributes().computeIfAbsent(ATTRIBUTE, k -> new TurnActionsImpl(rt, turn));
    }

    @Override
    public synchronized ActionRegistry offered() {
        if (offered == null) {
            Set<String> segments = cfg.segments().apply(contact);
            offered = cfg.registry()
                    .visible()
                    .forChannel(turn.session().channel())
                    .forSegments(segments == null ? Set.of() : segments);
        }
        return offered;
    }

    @Override
    public Optional<PendingAction> pending() {
        return turn.previousPending()
                .filter(p -> !p.awaitsConfirmation())
                .filter(p -> !p.isExpired(rt.clock().instant()));
    }

    @Override
    public List<String> check(Action action, ObjectNode arguments) {
        requireOffered(action);
        return cfg.executor().check(action, reveal(arguments), context(null));
    }

    @Override
    public ActionResult call(Action action, ObjectNode arguments, String trigger) {
        requireOffered(action);
        return callWithKey(
                action, arguments, trigger, "opencx-" + turn.message().id() + "-" + calls.incrementAndGet());
    }

    /**
     * Calls with a given idempotency key (a confirmed pending action uses its id), sent only to an
     * action whose API {@link dev.opencx.action.ActionSettings#acceptsIdempotencyKey() accepts} one.
     */
    ActionResult callWithKey(Action action, ObjectNode arguments, String trigger, String idempotencyKey) {
        String key = action.settings().acceptsIdempotencyKey() ? idempotencyKey : "";
        ActionResult r = cfg.executor().execute(action, reveal(arguments), context(key));
        String request = r.request() == null ? "" : r.request().toLogLine(pii::redact);
        turn.record(new ActionCalled(
                action.name(),
                trigger,
                r.outcome().name().toLowerCase(Locale.ROOT),
                r.status(),
                r.latency().toMillis(),
                r.attempts(),
                request,
                key,
                pii.redact(r.explanation()),
                r.problems().stream().map(pii::redact).toList(),
                r.ignoredArguments()));
        return new ActionResult(
                r.action(),
                r.outcome(),
                r.status(),
                r.latency(),
                pii.redact(r.body()),
                r.truncated(),
                pii.redact(r.explanation()),
                r.request(),
                r.attempts(),
                r.problems().stream().map(pii::redact).toList(),
                r.ignoredArguments());
    }

    @Override
    public String propose(Action action, ObjectNode arguments, List<String> missing) {
        requireOffered(action);
        ObjectNode args = arguments == null ? JSON.createObjectNode() : arguments.deepCopy();
        for (String name : missing) {
            if (action.parameter(name).isEmpty()) {
                throw new IllegalArgumentException("'" + name + "' is not a parameter of action " + action.name());
            }
        }
        String values = values(action, args);
        String text;
        if (missing.isEmpty()) {
            text = notice("action_confirm", Map.of("action", title(action), "values", values.isEmpty() ? "-" : values));
        } else {
            ActionParameter next = action.parameter(missing.get(0)).orElseThrow();
            text = notice("action_ask", Map.of("action", title(action), "parameter", label(next)));
        }
        turn.leavePending(new PendingAction(
                Ids.newId(),
                action.name(),
                args.toString(),
                missing,
                title(action) + (values.isEmpty() ? "" : ": " + values),
                rt.clock().instant().plus(cfg.pendingTtl())));
        return text;
    }

    @Override
    public Reply reply(Action action, ObjectNode arguments, ActionResult result) {
        Map<String, Object> ev = new LinkedHashMap<>();
        ev.put("action", action.name());
        ev.put("action_outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        if (result.status() != 0) {
            ev.put("action_status", result.status());
        }
        JsonNode body = parse(result.body());
        if (result.ok()) {
            ReplyTemplate template = ReplyTemplate.parse(action.settings().replyTemplate());
            Optional<String> rendered = template.isEmpty() ? Optional.empty() : template.render(arguments, body);
            String text = rendered.orElseGet(() -> defaultSuccess(action, arguments, body));
            ev.put("reply", rendered.isPresent() ? "template" : "default");
            return Reply.answer(
                    text,
                    1.0,
                    List.of(),
                    "action " + action.name() + " succeeded (HTTP " + result.status() + ")"
                            + (rendered.isPresent() ? ", reply from its template" : ""),
                    ev);
        }
        boolean customerCanAct = result.outcome() == Outcome.CLIENT_ERROR
                && result.status() >= 400
                && result.status() != 401
                && result.status() != 403
                && result.status() != 407
                && result.status() != 429;
        if (customerCanAct) {
            String reason = apiMessage(body)
                    .orElse(result.status() == 404 ? notice("action_not_found", Map.of()) : "HTTP " + result.status());
            return Reply.answer(
                    notice("action_failed", Map.of("action", title(action), "reason", reason)),
                    0.9,
                    List.of(),
                    "action " + action.name() + " was refused (HTTP " + result.status() + "): the customer is told why",
                    ev);
        }
        return Reply.noAnswer(
                HandoffReason.ACTION_FAILED,
                "action " + action.name() + " failed: " + result.outcome() + " (" + result.explanation() + ")",
                ev);
    }

    // ---- helpers ----

    private void requireOffered(Action action) {
        if (offered().get(action.name()).isEmpty()) {
            throw new IllegalArgumentException("action " + action.name()
                    + " is not offered in this session (hidden, another channel or segment, or unknown)");
        }
    }

    private ObjectNode reveal(ObjectNode arguments) {
        if (arguments == null) {
            return JSON.createObjectNode();
        }
        if (pii == SessionPii.NONE) {
            return arguments;
        }
        try {
            JsonNode revealed = JSON.readTree(pii.reveal(arguments.toString(), PiiDestination.ACTION));
            return revealed instanceof ObjectNode o ? o : arguments;
        } catch (JsonProcessingException e) {
            // a value revealed into something that no longer parses: keep the placeholders
            return arguments;
        }
    }

    /** The values of contact-bound parameters, from the verified contact as the PII policy allows. */
    private ActionContext context(String idempotencyKey) {
        Session s = turn.session();
        PiiPolicy policy = rt.pii().policy(s.channel());
        ActionContext.Builder b = ActionContext.builder()
                .contactId(contact.id())
                .sessionId(s.id())
                .sessionTicket(s.ticket().toString())
                .sessionChannel(s.channel().toString());
        String name = rt.pii().contactName(s, contact, PiiDestination.ACTION);
        if (!name.isBlank() && !name.equals(PiiRedactor.CONTACT_NAME) && allowed(policy, PiiType.PERSON)) {
            b.contactName(name);
        }
        if (allowed(policy, PiiType.EMAIL)) {
            first(contact, IdentityType.EMAIL).ifPresent(b::contactEmail);
        }
        if (allowed(policy, PiiType.PHONE)) {
            first(contact, IdentityType.PHONE).ifPresent(b::contactPhone);
        }
        first(contact, IdentityType.CUSTOM).ifPresent(b::contactExternalId);
        cfg.context().contribute(contact, s, b);
        // the SDK's, whatever the provider set; none for an API that does not accept one
        b.idempotencyKey(idempotencyKey == null || idempotencyKey.isEmpty() ? null : idempotencyKey);
        return b.build();
    }

    private static boolean allowed(PiiPolicy policy, PiiType type) {
        return !policy.isEnabled() || !policy.redacts(type) || policy.reveals(type, PiiDestination.ACTION);
    }

    private static Optional<String> first(Contact contact, IdentityType type) {
        return contact.identities().stream()
                .filter(i -> i.type() == type)
                .map(Identity::value)
                .findFirst();
    }

    private String notice(String key, Map<String, String> vars) {
        return rt.notice(key, turn.locale(), turn.session().ticket().toString(), vars);
    }

    /** The action as the customer reads it: the first sentence of its description, or its name. */
    static String title(Action action) {
        String d = action.description().strip();
        if (d.isEmpty() || d.equals(action.method() + " " + action.pathTemplate())) {
            String h = humanize(action.name());
            return h.isEmpty() ? action.name() : Character.toUpperCase(h.charAt(0)) + h.substring(1);
        }
        int end = d.length();
        for (String stop : new String[] {". ", ".\n", "\n"}) {
            int at = d.indexOf(stop);
            if (at > 0 && at < end) {
                end = at;
            }
        }
        String first = d.substring(0, end);
        if (first.endsWith(".")) {
            first = first.substring(0, first.length() - 1);
        }
        return first.length() <= 80 ? first : first.substring(0, 77) + "...";
    }

    /** How to ask for a parameter: its short description ("order number"), else its name humanized. */
    static String label(ActionParameter p) {
        String d = p.description().strip();
        int cut = d.length();
        for (char c : new char[] {'.', ',', '(', ';', ':', '\n'}) {
            int at = d.indexOf(c);
            if (at >= 0 && at < cut) {
                cut = at;
            }
        }
        d = d.substring(0, cut).strip();
        String lower = d.toLowerCase(Locale.ROOT);
        for (String article : new String[] {"the ", "a ", "an ", "your "}) {
            if (lower.startsWith(article)) {
                d = d.substring(article.length());
                break;
            }
        }
        String first = d.isEmpty() ? "" : d.split("\\s+")[0].toLowerCase(Locale.ROOT);
        boolean question = List.of("how", "what", "which", "when", "where", "who", "why", "whether")
                .contains(first);
        if (d.isEmpty() || d.length() > 40 || question) {
            return humanize(p.name());
        }
        boolean acronym = d.length() > 1 && Character.isUpperCase(d.charAt(1));
        return acronym ? d : Character.toLowerCase(d.charAt(0)) + d.substring(1);
    }

    /** {@code order_id}, {@code orderId}, {@code order-id} -> {@code order id}. */
    static String humanize(String name) {
        String spaced = name.replaceAll("([a-z0-9])([A-Z])", "$1 $2").replaceAll("[_\\-.]+", " ");
        return spaced.toLowerCase(Locale.ROOT).strip();
    }

    /** "order id: 1042, reason: too late": the arguments the customer gave (not contact-bound ones). */
    private static String values(Action action, ObjectNode args) {
        List<String> parts = new ArrayList<>();
        for (ActionParameter p : action.parameters()) {
            JsonNode v = args.get(p.name());
            if (p.isContactBound() || v == null || v.isNull()) {
                continue;
            }
            if (parts.size() == MAX_SUMMARY_VALUES) {
                parts.add("...");
                break;
            }
            parts.add(humanize(p.name()) + ": " + (v.isValueNode() ? v.asText() : v.toString()));
        }
        return String.join(", ", parts);
    }

    private String defaultSuccess(Action action, ObjectNode arguments, JsonNode body) {
        if (action.method() == HttpMethod.GET && body != null && body.isContainerNode()) {
            String fields = fields(body);
            if (!fields.isEmpty()) {
                return notice("action_found", Map.of("action", title(action), "fields", fields));
            }
        }
        String values = values(action, arguments == null ? JSON.createObjectNode() : arguments);
        return notice("action_done", Map.of("action", title(action), "values", values.isEmpty() ? "-" : values));
    }

    /**
     * A response in a sentence: the scalar fields of an object (one level of nesting flattened), or
     * of the first items of a list ("order id: 1042, status: shipped; order id: 1043, …").
     */
    private String fields(JsonNode body) {
        JsonNode node = body;
        if (node.isObject() && node.size() == 1 && node.elements().next().isArray()) {
            node = node.elements().next(); // {"orders": [...]}
        }
        if (node.isArray()) {
            List<String> items = new ArrayList<>();
            for (int i = 0; i < Math.min(MAX_LIST_ITEMS, node.size()); i++) {
                String item = node.get(i).isContainerNode()
                        ? scalars(node.get(i), 4)
                        : node.get(i).asText();
                if (!item.isEmpty()) {
                    items.add(item);
                }
            }
            String more = node.size() > MAX_LIST_ITEMS
                    ? "; " + notice("action_more", Map.of("count", String.valueOf(node.size() - MAX_LIST_ITEMS)))
                    : "";
            return items.isEmpty() ? "" : String.join("; ", items) + more;
        }
        return scalars(node, 6);
    }

    private static String scalars(JsonNode node, int max) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            JsonNode v = e.getValue();
            if (v.isValueNode() && !v.isNull()) {
                parts.add(humanize(e.getKey()) + ": " + v.asText());
            } else if (v.isObject()) {
                for (Map.Entry<String, JsonNode> f : v.properties()) {
                    if (f.getValue().isValueNode() && !f.getValue().isNull()) {
                        parts.add(humanize(e.getKey() + " " + f.getKey()) + ": "
                                + f.getValue().asText());
                    }
                }
            }
        }
        return String.join(", ", parts.subList(0, Math.min(max, parts.size())));
    }

    /** The reason an API gives in its error body ({@code message}, {@code error}, {@code detail}…). */
    private static Optional<String> apiMessage(JsonNode body) {
        if (body == null || !body.isObject()) {
            return Optional.empty();
        }
        for (String field : new String[] {"message", "detail", "error_description", "title", "error"}) {
            JsonNode v = body.get(field);
            if (v != null && v.isTextual() && !v.asText().isBlank()) {
                String text = v.asText().strip();
                return Optional.of(text.length() <= 200 ? text : text.substring(0, 197) + "...");
            }
            if (v != null && v.isObject()) {
                Optional<String> inner = apiMessage(v);
                if (inner.isPresent()) {
                    return inner;
                }
            }
        }
        return Optional.empty();
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
