package dev.opencx.examples.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.anthropic.AnthropicChatModel;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LlmProviderTest {

    @Test
    void nothing_configured_selects_nothing() {
        assertThat(LlmProvider.select(Map.of("PATH", "/bin"), null, null)).isEmpty();
        assertThat(LlmProvider.select(Map.of("OPENAI_API_KEY", "  "), null, null))
                .isEmpty();
    }

    @Test
    void takes_the_first_configured_provider_with_its_default_model() {
        Map<String, String> env = Map.of("ANTHROPIC_API_KEY", "sk-ant-1", "OLLAMA_BASE_URL", "http://localhost:11434");
        LlmProvider p = LlmProvider.select(env, null, null).orElseThrow();
        assertThat(p.name()).isEqualTo("anthropic");
        assertThat(p.model()).isEqualTo("claude-haiku-4-5");
        assertThat(p.chatModel()).isInstanceOf(AnthropicChatModel.class);

        LlmProvider all = LlmProvider.select(
                        Map.of("OPENAI_API_KEY", "sk-1", "ANTHROPIC_API_KEY", "sk-ant-1"), null, null)
                .orElseThrow();
        assertThat(all.label()).isEqualTo("OpenAI gpt-4o-mini");
        assertThat(all.chatModel()).isInstanceOf(OpenAiChatModel.class);
    }

    @Test
    void a_named_provider_and_model_win() {
        Map<String, String> env =
                Map.of("OPENAI_API_KEY", "sk-1", "OLLAMA_BASE_URL", "http://gpu:11434", "OPENCX_LLM_MODEL", "from-env");
        LlmProvider p = LlmProvider.select(env, "Ollama", "qwen2.5:7b").orElseThrow();
        assertThat(p).isEqualTo(new LlmProvider("ollama", "qwen2.5:7b", "http://gpu:11434", ""));
        assertThat(p.chatModel()).isInstanceOf(OllamaChatModel.class);
        assertThat(LlmProvider.select(env, null, null).orElseThrow().model()).isEqualTo("from-env");
    }

    @Test
    void names_what_is_wrong() {
        assertThatThrownBy(() -> LlmProvider.select(Map.of(), "gemini", null))
                .hasMessage("unknown provider 'gemini'; known: [openai, anthropic, ollama]");
        assertThatThrownBy(() -> LlmProvider.select(Map.of("OPENAI_API_KEY", "sk-1"), "anthropic", null))
                .hasMessage("provider 'anthropic' was asked for but ANTHROPIC_API_KEY is not set");
    }

    @Test
    void never_shows_the_key() {
        LlmProvider p = LlmProvider.select(Map.of("OPENAI_API_KEY", "sk-secret"), null, null)
                .orElseThrow();
        assertThat(p.toString()).doesNotContain("sk-secret");
    }
}
