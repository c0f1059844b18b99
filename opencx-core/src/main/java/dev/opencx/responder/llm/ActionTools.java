package dev.opencx.responder.llm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionExecutor;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ActionResult;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.responder.ResponderRequest;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The actions an {@link LlmResponder} offers as tools: which ones a turn may see, the {@link
 * ActionContext} of the verified contact and session, and one call through the {@link
 * ActionExecutor}. Immutable and thread-safe.
 */
final class ActionTools {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ActionRegistry actions;
    private final ActionExecutor executor;
    private final Function<Contact, Set<String>> segments;

    ActionTools(ActionRegistry actions, ActionExecutor executor, Function<Contact, Set<String>> segments) {
        this.actions = Objects.requireNonNull(actions, "actions");
        this.executor = Objects.requireNonNull(executor, "executor");
        this.segments = Objects.requireNonNull(segments, "segments");
    }

    ActionRegistry all() {
        return actions;
    }

    /**
     * The actions offered this turn: visible, enabled for the session's channel and for the
     * contact's segments, and not marked {@code requiresConfirmation}: the confirmation step (the
     * filled values proposed to the customer, the call made only after an explicit yes) is not built
     * yet, and running such an action unasked would break what its owner declared.
     */
    ActionRegistry offered(ResponderRequest req) {
        if (actions.isEmpty()) {
            return actions;
        }
        Set<String> of = segments.apply(req.contact());
        return actions.visible()
                .withoutConfirmation()
                .forChannel(req.session().channel())
                .forSegments(of == null ? Set.of() : of);
    }

    /** The values of contact-bound parameters: from the verified contact and session only. */
    static ActionContext context(ResponderRequest req) {
        Contact contact = req.contact();
        Session session = req.session();
        ActionContext.Builder b = ActionContext.builder()
                .contactId(contact.id())
                .sessionId(session.id())
                .sessionTicket(session.ticket().toString())
                .sessionChannel(session.channel().toString());
        if (!contact.displayName().isBlank()) {
            b.contactName(contact.displayName());
        }
        contact.identities().stream()
                .filter(i -> i.type() == IdentityType.EMAIL)
                .map(Identity::value)
                .findFirst()
                .ifPresent(b::contactEmail);
        contact.identities().stream()
                .filter(i -> i.type() == IdentityType.PHONE)
                .map(Identity::value)
                .findFirst()
                .ifPresent(b::contactPhone);
        return b.build();
    }

    /**
     * Calls an action with the model's arguments (real values, placeholders revealed).
     *
     * @return the result; {@code INVALID_ARGUMENTS} without a request when the text is not a JSON
     *     object
     */
    ActionResult call(Action action, String arguments, ResponderRequest req) {
        ObjectNode parsed = parse(arguments);
        if (parsed == null) {
            return new ActionResult(
                    action.name(),
                    ActionResult.Outcome.INVALID_ARGUMENTS,
                    0,
                    java.time.Duration.ZERO,
                    "",
                    false,
                    "the arguments are not a JSON object: nothing was sent",
                    null,
                    0,
                    java.util.List.of("arguments must be a JSON object"),
                    java.util.List.of());
        }
        return executor.execute(action, parsed, context(req));
    }

    private static ObjectNode parse(String arguments) {
        if (arguments == null || arguments.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            JsonNode node = JSON.readTree(arguments);
            return node instanceof ObjectNode o ? o : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
