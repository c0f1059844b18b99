package dev.opencx.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.InboundMessage;
import dev.opencx.pipeline.ConversationInterceptor;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnResult;
import dev.opencx.pipeline.TurnResult.Outcome;
import dev.opencx.store.InMemoryConversationStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterceptorChainTest {
    private final Turn turn = new Turn(
            InboundMessage.builder(ChannelId.API)
                    .from(Identity.email("a@example.com"))
                    .text("hello")
                    .build(),
            new InMemoryConversationStore());

    @Test
    void runs_interceptors_in_order_then_the_terminal() {
        List<String> seen = new ArrayList<>();
        ConversationInterceptor first = chain -> {
            seen.add("first");
            return chain.proceed();
        };
        ConversationInterceptor second = chain -> {
            seen.add("second saw " + chain.turn().inbound().text());
            return chain.proceed();
        };

        TurnResult r = InterceptorChain.run(List.of(first, second), turn, t -> {
            seen.add("terminal");
            return TurnResult.of(Outcome.STOPPED, t, "end");
        });

        assertThat(seen).containsExactly("first", "second saw hello", "terminal");
        assertThat(r.outcome()).isEqualTo(Outcome.STOPPED);
        assertThat(r.explanation()).isEqualTo("end");
    }

    @Test
    void an_interceptor_that_returns_its_own_result_stops_the_chain() {
        List<String> seen = new ArrayList<>();
        ConversationInterceptor stop = chain -> TurnResult.of(Outcome.STOPPED, chain.turn(), "closed");
        ConversationInterceptor never = chain -> {
            seen.add("never");
            return chain.proceed();
        };

        TurnResult r = InterceptorChain.run(List.of(stop, never), turn, t -> {
            seen.add("terminal");
            return TurnResult.of(Outcome.ACCEPTED, t, "end");
        });

        assertThat(r.explanation()).isEqualTo("closed");
        assertThat(seen).isEmpty();
    }

    @Test
    void an_empty_chain_returns_the_terminal_result() {
        TurnResult r = InterceptorChain.run(List.of(), turn, t -> TurnResult.of(Outcome.ACCEPTED, t, "only"));

        assertThat(r.explanation()).isEqualTo("only");
    }

    @Test
    void refuses_a_second_proceed_from_the_same_interceptor() {
        ConversationInterceptor twice = new ConversationInterceptor() {
            @Override
            public TurnResult intercept(dev.opencx.pipeline.Chain chain) {
                chain.proceed();
                return chain.proceed();
            }

            @Override
            public String toString() {
                return "twice";
            }
        };

        assertThatThrownBy(
                        () -> InterceptorChain.run(List.of(twice), turn, t -> TurnResult.of(Outcome.STOPPED, t, "end")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("called proceed() more than once");
    }

    @Test
    void names_the_interceptor_that_returned_null() {
        ConversationInterceptor broken = new NullInterceptor();

        assertThatThrownBy(() ->
                        InterceptorChain.run(List.of(broken), turn, t -> TurnResult.of(Outcome.STOPPED, t, "end")))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining(NullInterceptor.class.getName());
    }

    @Test
    void names_a_null_interceptor_and_a_terminal_that_returns_null() {
        ConversationInterceptor pass = chain -> chain.proceed();

        assertThatThrownBy(() -> InterceptorChain.run(
                        Arrays.asList(pass, null), turn, t -> TurnResult.of(Outcome.STOPPED, t, "end")))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("interceptors[1] is null");
        assertThatThrownBy(() -> InterceptorChain.run(List.of(pass), turn, t -> null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("the terminal of the chain returned null");
    }

    private static final class NullInterceptor implements ConversationInterceptor {
        @Override
        public TurnResult intercept(dev.opencx.pipeline.Chain chain) {
            return null;
        }
    }
}
