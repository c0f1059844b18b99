package dev.opencx.responder.llm;

import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The tools an {@link LlmResponder} offers the model: LangChain4j {@link ToolSpecification}s, each
 * with the {@link ToolExecutor} that runs it. Immutable and thread-safe.
 *
 * <pre>{@code
 * ToolRegistry tools = ToolRegistry.builder()
 *         .add(ToolSpecification.builder()
 *                         .name("order_status")
 *                         .description("Status of an order by its number")
 *                         .parameters(JsonObjectSchema.builder().addStringProperty("order_id").required("order_id").build())
 *                         .build(),
 *                 (call, turn) -> shop.statusJson(call.arguments()))
 *         .build();
 * }</pre>
 */
public final class ToolRegistry {
    private static final ToolRegistry EMPTY = new ToolRegistry(Map.of(), Map.of());

    private final Map<String, ToolSpecification> specifications;
    private final Map<String, ToolExecutor> executors;

    private ToolRegistry(Map<String, ToolSpecification> specifications, Map<String, ToolExecutor> executors) {
        this.specifications = specifications;
        this.executors = executors;
    }

    /** No tools. */
    public static ToolRegistry empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The tools, in the order they were added. */
    public List<ToolSpecification> specifications() {
        return List.copyOf(specifications.values());
    }

    /** The executor of a tool, empty when there is no tool of that name. */
    public Optional<ToolExecutor> executor(String name) {
        return Optional.ofNullable(executors.get(name));
    }

    public boolean isEmpty() {
        return specifications.isEmpty();
    }

    public int size() {
        return specifications.size();
    }

    /** Builds a {@link ToolRegistry}. */
    public static final class Builder {
        private final Map<String, ToolSpecification> specifications = new LinkedHashMap<>();
        private final Map<String, ToolExecutor> executors = new LinkedHashMap<>();

        private Builder() {}

        /**
         * Adds a tool.
         *
         * @throws IllegalArgumentException when a tool of the same name was already added, or the
         *     name is not 1-64 letters, digits, '_' or '-' (what model providers accept)
         */
        public Builder add(ToolSpecification specification, ToolExecutor executor) {
            Objects.requireNonNull(specification, "specification");
            Objects.requireNonNull(executor, "executor");
            String name = specification.name();
            if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException(
                        "tool name must be 1-64 letters, digits, '_' or '-', was '" + name + "'");
            }
            if (specifications.containsKey(name)) {
                throw new IllegalArgumentException("tool '" + name + "' was already added");
            }
            specifications.put(name, specification);
            executors.put(name, executor);
            return this;
        }

        public ToolRegistry build() {
            return specifications.isEmpty()
                    ? EMPTY
                    : new ToolRegistry(
                            java.util.Collections.unmodifiableMap(new LinkedHashMap<>(specifications)),
                            Map.copyOf(executors));
        }
    }
}
