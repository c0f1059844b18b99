package dev.opencx.spi;

import dev.opencx.internal.RealChain;
import dev.opencx.pipeline.Chain;
import dev.opencx.pipeline.ConversationInterceptor;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnResult;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Runs a list of {@link ConversationInterceptor}s over a turn with the same chain the pipeline uses,
 * outside {@code OpenCx}: to test an interceptor on its own, or to measure what a chain costs.
 *
 * <pre>{@code
 * Turn turn = new Turn(InboundMessage.builder(ChannelId.API)
 *         .from(Identity.email("a@example.com")).text("hello").build(),
 *     new InMemoryConversationStore());
 * TurnResult r = InterceptorChain.run(List.of(businessHours), turn,
 *     t -> TurnResult.of(TurnResult.Outcome.STOPPED, t, "end of chain"));
 * }</pre>
 *
 * <p>The chain enforces the interceptor contract as the pipeline does: an interceptor that calls
 * {@link Chain#proceed()} twice gets an {@link IllegalStateException}, and one that returns null
 * makes {@code run} throw a {@link NullPointerException}; both messages name the interceptor.
 */
public final class InterceptorChain {
    private InterceptorChain() {}

    /**
     * Runs {@code interceptors} in order over {@code turn}; the last one's {@code proceed()} calls
     * {@code terminal}. No parameter may be null, nor any interceptor in the list.
     *
     * @param interceptors the links of the chain, first to run first
     * @param turn the turn every link sees through {@link Chain#turn()}
     * @param terminal what the end of the chain returns, e.g. the rest of a pipeline
     * @return the first interceptor's result (the terminal's result when the list is empty)
     * @throws NullPointerException when a parameter or an interceptor in the list is null, or when
     *     an interceptor or the terminal returns null
     * @throws IllegalStateException when an interceptor calls {@code proceed()} more than once
     */
    public static TurnResult run(
            List<? extends ConversationInterceptor> interceptors, Turn turn, Function<Turn, TurnResult> terminal) {
        Objects.requireNonNull(interceptors, "interceptors");
        Objects.requireNonNull(turn, "turn");
        Objects.requireNonNull(terminal, "terminal");
        for (int i = 0; i < interceptors.size(); i++) {
            if (interceptors.get(i) == null) {
                throw new NullPointerException("interceptors[" + i + "] is null");
            }
        }
        List<ConversationInterceptor> links = List.copyOf(interceptors);
        return RealChain.run(links, turn, t -> {
            TurnResult r = terminal.apply(t);
            if (r == null) {
                throw new NullPointerException("the terminal of the chain returned null");
            }
            return r;
        });
    }
}
