package dev.opencx.bench.jmh;

import dev.opencx.OpenCx;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Identity;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.pipeline.ConversationInterceptor;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnResult;
import dev.opencx.responder.Reply;
import dev.opencx.spi.InterceptorChain;
import dev.opencx.store.InMemoryConversationStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The pipeline's own cost with a no-op responder: the bare interceptor chain (ten pass-through
 * interceptors), and a whole turn through OpenCx on the in-memory store, from {@code receive} to
 * the reply delivered on the API channel (intake, autopilot with both detectors, responder, gate,
 * emit, outbox dispatch).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PipelineOverheadBenchmark {
    private List<ConversationInterceptor> tenPassThrough;
    private Turn turn;
    private OpenCx cx;
    private ApiChannel api;
    private final AtomicReference<CompletableFuture<Void>> pending = new AtomicReference<>();
    private int n;

    @Setup
    public void setup() {
        List<ConversationInterceptor> links = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            links.add(chain -> chain.proceed());
        }
        tenPassThrough = List.copyOf(links);
        turn = new Turn(
                dev.opencx.conversation.InboundMessage.builder(dev.opencx.conversation.ChannelId.API)
                        .from(Identity.email("a@example.com"))
                        .text("hello")
                        .build(),
                new InMemoryConversationStore());
        api = ApiChannel.create();
        api.onReply(m -> {
            CompletableFuture<Void> f = pending.get();
            if (f != null) {
                f.complete(null);
            }
        });
        cx = OpenCx.builder()
                .channel(api)
                .knowledge(new InMemoryKnowledgeStore())
                .responder(req -> Reply.answer(
                        "Our support team is available Monday to Friday.", 0.99, List.of(), "no-op", Map.of()))
                .build();
    }

    @Benchmark
    public TurnResult chainOfTenPassThroughInterceptors() {
        return InterceptorChain.run(tenPassThrough, turn, t -> TurnResult.of(TurnResult.Outcome.STOPPED, t, "end"));
    }

    /** One turn of a new conversation every 20 turns (sessions of 20 messages). */
    @Benchmark
    public void wholeTurnNoOpResponder() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        pending.set(f);
        int k = n++;
        api.receive(dev.opencx.conversation.InboundMessage.builder(dev.opencx.conversation.ChannelId.API)
                        .from(Identity.email("c" + (k / 20) + "@example.com"))
                        .text("where is my order " + k + "?")
                        .build())
                .join();
        f.get(10, TimeUnit.SECONDS);
    }

    @TearDown
    public void tearDown() {
        cx.awaitIdle(Duration.ofSeconds(10));
        cx.close();
    }
}
