package dev.opencx.test.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionArguments;
import dev.opencx.action.ActionContext;
import dev.opencx.action.ActionInvoker;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionResult;
import dev.opencx.action.ActionResult.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * An {@link ActionInvoker} for tests: no HTTP; it checks the arguments like every invoker ({@link
 * ActionArguments#resolve}), records each call it makes and answers it with the JSON body you set
 * per action ({@code {"ok":true}} by default). Test an agent's actions in JUnit without a server:
 *
 * <pre>{@code
 * RecordingActionInvoker api = new RecordingActionInvoker()
 *         .answer("get_order", values -> "{\"status\":\"shipped\"}");
 * OpenCx cx = OpenCx.builder().channel(channel).actions(registry, api).build();
 * ...
 * assertThat(api.calls()).extracting(RecordingActionInvoker.Call::action).containsExactly("get_order");
 * }</pre>
 */
public final class RecordingActionInvoker implements ActionInvoker {
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Function<Map<String, JsonNode>, String>> answers = new ConcurrentHashMap<>();

    /** One call that reached the API: the action's name and the values sent, by parameter name. */
    public record Call(String action, Map<String, JsonNode> values, ActionContext context) {}

    /** Answers calls of {@code action} with the JSON body {@code answer} makes from the values sent. */
    public RecordingActionInvoker answer(String action, Function<Map<String, JsonNode>, String> answer) {
        answers.put(Objects.requireNonNull(action, "action"), Objects.requireNonNull(answer, "answer"));
        return this;
    }

    /** The calls made so far, in order. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public ActionResult execute(Action action, ObjectNode arguments, ActionContext ctx) {
        ActionArguments resolved = ActionArguments.resolve(action, arguments, ctx);
        if (!resolved.valid()) {
            return new ActionResult(
                    action.name(),
                    Outcome.INVALID_ARGUMENTS,
                    0,
                    Duration.ZERO,
                    "",
                    false,
                    "The arguments are not valid: " + String.join("; ", resolved.problems()) + ".",
                    null,
                    0,
                    resolved.problems(),
                    resolved.ignored());
        }
        Map<String, JsonNode> values = new java.util.LinkedHashMap<>();
        for (Map.Entry<ActionParameter, JsonNode> e : resolved.values().entrySet()) {
            values.put(e.getKey().name(), e.getValue());
        }
        calls.add(new Call(action.name(), Map.copyOf(values), ctx));
        String body = answers.getOrDefault(action.name(), v -> JsonNodeFactory.instance
                        .objectNode()
                        .put("ok", true)
                        .toString())
                .apply(values);
        return new ActionResult(
                action.name(), Outcome.OK, 200, Duration.ZERO, body, false, "", null, 1, List.of(), resolved.ignored());
    }
}
