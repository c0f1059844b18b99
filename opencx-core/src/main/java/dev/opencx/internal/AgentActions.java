package dev.opencx.internal;

import dev.opencx.action.ActionContextProvider;
import dev.opencx.action.ActionInvoker;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ConfirmationDetector;
import dev.opencx.conversation.Contact;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The actions of one OpenCx client, as {@code OpenCx.Builder.actions(...)} configured them.
 *
 * @param registry every action
 * @param executor calls them
 * @param segments the segments of a contact, for actions limited to some
 * @param context what the host application adds to each call's context (credentials, attributes)
 * @param pendingTtl how long a question about an action (values, a yes) stays open
 * @param confirmations reads the customer's yes or no
 */
public record AgentActions(
        ActionRegistry registry,
        ActionInvoker executor,
        Function<Contact, Set<String>> segments,
        ActionContextProvider context,
        Duration pendingTtl,
        ConfirmationDetector confirmations) {
    public AgentActions {
        Objects.requireNonNull(registry, "registry");
        Objects.requireNonNull(executor, "executor");
        Objects.requireNonNull(segments, "segments");
        Objects.requireNonNull(context, "context");
        Objects.requireNonNull(pendingTtl, "pendingTtl");
        Objects.requireNonNull(confirmations, "confirmations");
    }
}
