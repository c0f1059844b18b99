package dev.opencx.test;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import java.util.EnumSet;
import java.util.Set;

/**
 * A LangChain4j {@link ChatModel} that answers from a script, for tests: queue the responses (text,
 * the JSON answer an {@code LlmResponder} asks for, tool calls, failures, a hang), then assert on
 * the requests it got.
 *
 * <pre>{@code
 * ScriptedChatModel model = new ScriptedChatModel()
 *         .toolCall("order_status", "{\"order_id\":\"A-1\"}")
 *         .answer("Your order A-1 ships tomorrow.", 0.9, "orders#0");
 * try (OpenCx cx = OpenCx.builder().channel(api).knowledge(store)
 *         .responder(LlmResponder.builder().chatModel(model).tools(tools)).build()) {
 *     ...
 * }
 * assertThat(model.requests()).hasSize(2);
 * }</pre>
 *
 * A request with no response left fails with an {@link IllegalStateException}. It declares JSON
 * schema support ({@link Capability#RESPONSE_FORMAT_JSON_SCHEMA}) unless told otherwise. Thread-safe.
 */
public final class ScriptedChatModel extends ChatScript<ScriptedChatModel> implements ChatModel {
    private volatile Set<Capability> capabilities = EnumSet.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);

    /** What the model claims to support (default: JSON schema response formats). */
    public ScriptedChatModel capabilities(Set<Capability> capabilities) {
        this.capabilities = Set.copyOf(capabilities);
        return this;
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        try {
            return next(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return capabilities;
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }
}
