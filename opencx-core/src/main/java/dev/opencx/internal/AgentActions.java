package dev.opencx.internal;

import dev.opencx.action.ActionExecutor;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ConfirmationDetector;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Session;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The actions of one OpenCx client, as {@code OpenCx.Builder.actions(...)} configured them.
 *
 * @param registry every action
 * @param executor calls them
 * @param segments the segments of a contact, for actions limited to some
 * @param credentials the per-contact credentials by security scheme, supplied at call time
 * @param pendingTtl how long a question about an action (values, a yes) stays open
 * @param confirmations reads the customer's yes or no
 */
public record AgentActions(
        ActionRegistry registry,
        ActionExecutor executor,
        Function<Contact, Set<String>> segments,
        BiFunction<Contact, Session, Map<String, String>> credentials,
        Duration pendingTtl,
        ConfirmationDetector confirmations) {
    public AgentActions {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(segments, "segments");
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(pendingTtl, "pendingTtl");
        Objects.requireNonNull(confirmations, "confirmations");
    }
}
