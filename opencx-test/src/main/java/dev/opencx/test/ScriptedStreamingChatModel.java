package dev.opencx.test;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.EnumSet;
import java.util.Set;

/**
 * The streaming variant of {@link ScriptedChatModel}: each scripted response's text is streamed
 * in chunks of {@link #chunkSize} characters ({@code onPartialResponse}), then completed ({@code
 * onCompleteResponse}); a failing step calls {@code onError}. Streams on the caller's thread.
 *
 * <pre>{@code
 * ScriptedStreamingChatModel model = new ScriptedStreamingChatModel().chunkSize(5)
 *         .answer("Refunds take 5 days.", 0.9, "returns#0");
 * }</pre>
 *
 * Thread-safe.
 */
public final class ScriptedStreamingChatModel extends ChatScript<ScriptedStreamingChatModel>
        implements StreamingChatModel {
    private volatile int chunkSize = 8;

    /** Characters per streamed chunk, at least 1 (default 8). */
    public ScriptedStreamingChatModel chunkSize(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("chunkSize must be >= 1, was " + n);
        }
        this.chunkSize = n;
        return this;
    }

    @Override
    public void doChat(ChatRequest request, StreamingChatResponseHandler handler) {
        ChatResponse r;
        try {
            r = next(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handler.onError(e);
            return;
        } catch (Exception e) {
            handler.onError(e);
            return;
        }
        String text = r.aiMessage() == null ? null : r.aiMessage().text();
        if (text != null) {
            int n = chunkSize;
            for (int i = 0; i < text.length(); i += n) {
                handler.onPartialResponse(text.substring(i, Math.min(text.length(), i + n)));
            }
        }
        handler.onCompleteResponse(r);
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return EnumSet.of(Capability.RESPONSE_FORMAT_JSON_SCHEMA);
    }

    @Override
    public ModelProvider provider() {
        return ModelProvider.OTHER;
    }
}
