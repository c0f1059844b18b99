package dev.opencx.examples.llm;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which model the example talks to, chosen from the environment: {@code OPENAI_API_KEY} (OpenAI;
 * {@code OPENAI_BASE_URL} for a compatible server), {@code ANTHROPIC_API_KEY} (Anthropic) or
 * {@code OLLAMA_BASE_URL} (a local Ollama), checked in that order unless a provider is named.
 *
 * @param name {@code openai}, {@code anthropic} or {@code ollama}
 * @param model the model name (the provider's default unless one was given)
 * @param baseUrl where the provider is reached, empty for the provider's default
 * @param apiKey the key, empty for Ollama (never printed)
 */
public record LlmProvider(String name, String model, String baseUrl, String apiKey) {
    /** The providers, in the order they are looked for. */
    public static final List<String> NAMES = List.of("openai", "anthropic", "ollama");

    static final Map<String, String> DEFAULT_MODELS =
            Map.of("openai", "gpt-4o-mini", "anthropic", "claude-haiku-4-5", "ollama", "llama3.2");

    /** What to tell a user who set nothing. */
    public static final String HOW_TO = String.join(
            System.lineSeparator(),
            "examples/llm needs a language model. Set one of:",
            "  OPENAI_API_KEY=sk-...             OpenAI (default model gpt-4o-mini; OPENAI_BASE_URL for a compatible server)",
            "  ANTHROPIC_API_KEY=sk-ant-...      Anthropic (default model claude-haiku-4-5)",
            "  OLLAMA_BASE_URL=http://localhost:11434   a local Ollama (default model llama3.2)",
            "and choose a model with --model NAME (or OPENCX_LLM_MODEL). Without a model, the quickstart runs",
            "offline: java -jar examples/quickstart/target/opencx-quickstart.jar");

    public LlmProvider {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        baseUrl = baseUrl == null ? "" : baseUrl;
        apiKey = apiKey == null ? "" : apiKey;
    }

    /**
     * The provider the environment configures.
     *
     * @param env the environment (e.g. {@code System.getenv()})
     * @param provider a provider name to insist on, or null to take the first configured one
     * @param model a model name, or null for {@code OPENCX_LLM_MODEL} or the provider's default
     * @return empty when nothing is configured
     * @throws IllegalArgumentException when the named provider is unknown or not configured
     */
    public static Optional<LlmProvider> select(Map<String, String> env, String provider, String model) {
        String wanted = provider == null ? null : provider.strip().toLowerCase(Locale.ROOT);
        if (wanted != null && !NAMES.contains(wanted)) {
            throw new IllegalArgumentException("unknown provider '" + provider + "'; known: " + NAMES);
        }
        for (String name : NAMES) {
            if (wanted != null && !wanted.equals(name)) {
                continue;
            }
            String setting = setting(name);
            String value = env.get(setting);
            if (value == null || value.isBlank()) {
                if (wanted != null) {
                    throw new IllegalArgumentException(
                            "provider '" + name + "' was asked for but " + setting + " is not set");
                }
                continue;
            }
            String m = model != null && !model.isBlank()
                    ? model.strip()
                    : env.getOrDefault("OPENCX_LLM_MODEL", "").isBlank()
                            ? DEFAULT_MODELS.get(name)
                            : env.get("OPENCX_LLM_MODEL").strip();
            return Optional.of(
                    switch (name) {
                        case "openai" -> new LlmProvider(
                                name, m, env.getOrDefault("OPENAI_BASE_URL", ""), value.strip());
                        case "anthropic" -> new LlmProvider(
                                name, m, env.getOrDefault("ANTHROPIC_BASE_URL", ""), value.strip());
                        default -> new LlmProvider(name, m, value.strip(), "");
                    });
        }
        return Optional.empty();
    }

    /** The environment variable that turns a provider on. */
    static String setting(String name) {
        return switch (name) {
            case "openai" -> "OPENAI_API_KEY";
            case "anthropic" -> "ANTHROPIC_API_KEY";
            default -> "OLLAMA_BASE_URL";
        };
    }

    /** The LangChain4j chat model for this provider. */
    public ChatModel chatModel() {
        Duration timeout = Duration.ofSeconds(60);
        return switch (name) {
            case "openai" -> {
                var b = OpenAiChatModel.builder()
                        .apiKey(apiKey)
                        .modelName(model)
                        .timeout(timeout)
                        .maxRetries(2)
                        // OpenAI's structured outputs: the responder sends its JSON schema
                        .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                        .strictJsonSchema(true);
                if (!baseUrl.isBlank()) {
                    b.baseUrl(baseUrl);
                }
                yield b.build();
            }
            case "anthropic" -> {
                var b = AnthropicChatModel.builder()
                        .apiKey(apiKey)
                        .modelName(model)
                        .maxTokens(1024)
                        .timeout(timeout)
                        .maxRetries(2);
                if (!baseUrl.isBlank()) {
                    b.baseUrl(baseUrl);
                }
                yield b.build();
            }
            default -> OllamaChatModel.builder()
                    .baseUrl(baseUrl)
                    .modelName(model)
                    .timeout(timeout)
                    .maxRetries(1)
                    .build();
        };
    }

    /** "OpenAI gpt-4o-mini". */
    public String label() {
        return switch (name) {
                    case "openai" -> "OpenAI";
                    case "anthropic" -> "Anthropic";
                    default -> "Ollama";
                }
                + " " + model;
    }

    @Override
    public String toString() {
        return "LlmProvider{" + label() + (baseUrl.isEmpty() ? "" : " at " + baseUrl) + "}";
    }
}
