package dev.opencx.action;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.opencx.conversation.ChannelId;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The actions of an agent, by name, with the {@link ImportReport} of the document they came from.
 * Immutable and thread-safe; filters return new registries.
 *
 * <pre>{@code
 * ActionRegistry actions = ActionRegistry.of(cancelOrder, orderStatus);
 * List<ToolSpecification> tools = actions.forChannel(ChannelId.WEB).visible().toolSpecifications();
 * }</pre>
 */
public final class ActionRegistry {
    private static final ActionRegistry EMPTY = new ActionRegistry(Map.of(), ImportReport.none());

    private final Map<String, Action> actions;
    private final ImportReport report;

    private ActionRegistry(Map<String, Action> actions, ImportReport report) {
        this.actions = actions;
        this.report = report;
    }

    public static ActionRegistry empty() {
        return EMPTY;
    }

    /**
     * @throws IllegalArgumentException naming the action when two have the same name
     */
    public static ActionRegistry of(Action... actions) {
        return of(List.of(actions), ImportReport.none());
    }

    /**
     * A registry of these actions with the report of their import.
     *
     * @throws IllegalArgumentException naming the action when two have the same name
     */
    public static ActionRegistry of(Collection<Action> actions, ImportReport report) {
        Objects.requireNonNull(report, "report");
        Map<String, Action> byName = new LinkedHashMap<>();
        for (Action action : actions) {
            Objects.requireNonNull(action, "action");
            if (byName.putIfAbsent(action.name(), action) != null) {
                throw new IllegalArgumentException("two actions are named '" + action.name() + "'");
            }
        }
        return new ActionRegistry(Collections.unmodifiableMap(byName), report);
    }

    /** The action of a name. */
    public Optional<Action> get(String name) {
        return Optional.ofNullable(actions.get(name));
    }

    /** All actions, in the order they were added (document order for an import). */
    public List<Action> all() {
        return List.copyOf(actions.values());
    }

    public Set<String> names() {
        return actions.keySet();
    }

    public int size() {
        return actions.size();
    }

    public boolean isEmpty() {
        return actions.isEmpty();
    }

    /** What the import made of the document; {@link ImportReport#none()} for actions built in code. */
    public ImportReport report() {
        return report;
    }

    /** The actions offered on a channel. */
    public ActionRegistry forChannel(ChannelId channel) {
        Objects.requireNonNull(channel, "channel");
        return filter(action -> action.settings().allowsChannel(channel));
    }

    /** The actions offered to a contact of these segments. */
    public ActionRegistry forSegments(Collection<String> segments) {
        Objects.requireNonNull(segments, "segments");
        return filter(action -> action.settings().allowsSegments(segments));
    }

    /** The actions that may run without asking the customer first (not {@code requiresConfirmation}). */
    public ActionRegistry withoutConfirmation() {
        return filter(action -> !action.settings().requiresConfirmation());
    }

    /** The actions the model may see: not hidden. */
    public ActionRegistry visible() {
        return filter(action -> !action.settings().hidden());
    }

    /** The actions always offered to the model. */
    public ActionRegistry pinned() {
        return filter(action -> action.settings().pinned());
    }

    /** The actions that match. */
    public ActionRegistry filter(Predicate<Action> predicate) {
        Map<String, Action> kept = new LinkedHashMap<>();
        actions.values().stream().filter(predicate).forEach(action -> kept.put(action.name(), action));
        return new ActionRegistry(Collections.unmodifiableMap(kept), report);
    }

    /** The {@link Action#toToolSpecification() tools} of these actions. */
    public List<ToolSpecification> toolSpecifications() {
        return actions.values().stream().map(Action::toToolSpecification).toList();
    }

    @Override
    public String toString() {
        return "ActionRegistry" + actions.keySet();
    }
}
