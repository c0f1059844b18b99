package dev.opencx.test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The queue of scripted model responses shared by {@link ScriptedChatModel} and {@link
 * ScriptedStreamingChatModel}: each request takes the next step. Thread-safe.
 */
public abstract class ChatScript<S extends ChatScript<S>> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One scripted step: what the model does with the request it gets. */
    @FunctionalInterface
    public interface Step {
        ChatResponse respond(ChatRequest request) throws Exception;
    }

    private final Deque<Step> steps = new ArrayDeque<>();
    private final List<ChatRequest> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger toolIds = new AtomicInteger();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile String modelName = "scripted-model";

    ChatScript() {}

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /** The model name reported in responses (default {@code scripted-model}). */
    public S modelName(String name) {
        this.modelName = Objects.requireNonNull(name, "name");
        return self();
    }

    public String modelName() {
        return modelName;
    }

    /** Queues a step of your own. */
    public synchronized S then(Step step) {
        steps.addLast(Objects.requireNonNull(step, "step"));
        return self();
    }

    /** Queues a reply with this text, exactly as a model would write it (JSON, prose, code fences). */
    public S reply(String text) {
        Objects.requireNonNull(text, "text");
        return then(r -> response(AiMessage.from(text), FinishReason.STOP, text.length()));
    }

    /**
     * Queues the JSON answer an {@code LlmResponder} asks for: {@code {"answer", "citations",
     * "confidence", "needs_human": false, "handoff_reason": "none"}}.
     */
    public S answer(String answer, double confidence, String... citations) {
        ObjectNode o = JSON.createObjectNode();
        o.put("answer", answer);
        ArrayNode c = o.putArray("citations");
        for (String id : citations) {
            c.add(id);
        }
        o.put("confidence", confidence);
        o.put("needs_human", false);
        o.put("handoff_reason", "none");
        return reply(o.toString());
    }

    /** Queues the JSON answer asking for a human, with a reason category ({@code missing_knowledge}, …). */
    public S needsHuman(String category) {
        ObjectNode o = JSON.createObjectNode();
        o.put("answer", "");
        o.putArray("citations");
        o.put("confidence", 0.0);
        o.put("needs_human", true);
        o.put("handoff_reason", category);
        return reply(o.toString());
    }

    /** Queues a response asking for one tool call. */
    public S toolCall(String name, String argumentsJson) {
        return toolCalls(List.<String[]>of(new String[] {name, argumentsJson}));
    }

    /** Queues a response asking for several tool calls at once, each {@code {name, argumentsJson}}. */
    public S toolCalls(List<String[]> calls) {
        List<String[]> copy = List.copyOf(calls);
        return then(r -> {
            List<ToolExecutionRequest> out = new ArrayList<>();
            for (String[] c : copy) {
                out.add(ToolExecutionRequest.builder()
                        .id("call_" + toolIds.incrementAndGet())
                        .name(c[0])
                        .arguments(c[1])
                        .build());
            }
            return response(AiMessage.from(out), FinishReason.TOOL_EXECUTION, 10);
        });
    }

    /** Queues a failure: the model call throws this exception. */
    public S fail(RuntimeException error) {
        Objects.requireNonNull(error, "error");
        return then(r -> {
            throw error;
        });
    }

    /**
     * Queues a call that never answers until the caller gives up (interrupts it) or {@link
     * #release()} is called: a model that times out.
     */
    public S hang() {
        return then(r -> {
            released.await();
            throw new IllegalStateException("released: the scripted model was told to stop hanging");
        });
    }

    /** Lets every {@link #hang()}ing call end (for cleanup). */
    public void release() {
        released.countDown();
    }

    /** Every request the model got, in order. */
    public List<ChatRequest> requests() {
        return List.copyOf(requests);
    }

    /** The last request, or an {@link IllegalStateException} when there was none. */
    public ChatRequest lastRequest() {
        if (requests.isEmpty()) {
            throw new IllegalStateException("the scripted model got no request");
        }
        return requests.get(requests.size() - 1);
    }

    /** Steps not yet used. */
    public synchronized int remaining() {
        return steps.size();
    }

    ChatResponse next(ChatRequest request) throws Exception {
        requests.add(request);
        Step s;
        synchronized (this) {
            s = steps.pollFirst();
        }
        if (s == null) {
            throw new IllegalStateException("the scripted model has no response left for request #" + requests.size()
                    + ": queue one with reply(...), answer(...), toolCall(...)");
        }
        return s.respond(request);
    }

    ChatResponse response(AiMessage message, FinishReason finish, int outputChars) {
        return ChatResponse.builder()
                .aiMessage(message)
                .modelName(modelName)
                .finishReason(finish)
                .tokenUsage(new TokenUsage(100, Math.max(1, outputChars / 4)))
                .build();
    }
}
