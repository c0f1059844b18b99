package dev.opencx.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The values of one call, checked: the model's arguments validated against each parameter's JSON
 * Schema, contact-bound parameters filled from the {@link ActionContext} (whatever the model said),
 * required values present. For {@link ActionInvoker} implementations.
 *
 * @param values the value to send for each parameter, in the action's parameter order
 * @param problems what is wrong, one readable sentence each; empty when the call can be made
 * @param ignored the arguments the model gave for contact-bound parameters (not used)
 */
public record ActionArguments(Map<ActionParameter, JsonNode> values, List<String> problems, List<String> ignored) {
    public ActionArguments {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        problems = List.copyOf(problems);
        ignored = List.copyOf(ignored);
    }

    /** Whether the call can be made with these values. */
    public boolean valid() {
        return problems.isEmpty();
    }

    /**
     * Checks {@code arguments} for {@code action} in the context {@code ctx}.
     *
     * @param arguments the model's arguments; null means none
     */
    public static ActionArguments resolve(Action action, ObjectNode arguments, ActionContext ctx) {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(ctx, "ctx");
        ObjectNode args = arguments == null ? JsonNodeFactory.instance.objectNode() : arguments;
        List<String> problems = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        Map<ActionParameter, JsonNode> values = new LinkedHashMap<>();
        for (Iterator<String> names = args.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            ActionParameter parameter = action.parameter(name).orElse(null);
            if (parameter == null) {
                problems.add(name + " is not a parameter of " + action.name());
            } else if (parameter.isContactBound()) {
                ignored.add(name);
            }
        }
        for (ActionParameter parameter : action.parameters()) {
            if (parameter.isContactBound()) {
                BoundSource source = parameter.contactBound().orElseThrow();
                String value = ctx.value(source).orElse(null);
                if (value != null) {
                    values.put(parameter, JsonNodeFactory.instance.textNode(value));
                } else if (parameter.required()) {
                    problems.add(parameter.name() + " comes from " + source + ", which is not known for this contact");
                }
                continue;
            }
            JsonNode value = args.get(parameter.name());
            if (value == null || value.isNull()) {
                if (parameter.required()) {
                    problems.add(parameter.name() + " is required");
                }
                continue;
            }
            ArgumentValidator.validate(parameter.name(), value, parameter.schema(), problems);
            values.put(parameter, value);
        }
        return new ActionArguments(values, problems, ignored);
    }
}
