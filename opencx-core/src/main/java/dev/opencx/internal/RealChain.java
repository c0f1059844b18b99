package dev.opencx.internal;

import dev.opencx.pipeline.Chain;
import dev.opencx.pipeline.ConversationInterceptor;
import dev.opencx.pipeline.Turn;
import dev.opencx.pipeline.TurnResult;
import java.util.List;
import java.util.function.Function;

/** The chain over a list of interceptors; explains contract violations. */
public final class RealChain implements Chain {
    private final List<ConversationInterceptor> interceptors;
    private final int index;
    private final Turn turn;
    private final Function<Turn, TurnResult> terminal;
    private boolean called;

    public RealChain(
            List<ConversationInterceptor> interceptors, int index, Turn turn, Function<Turn, TurnResult> terminal) {
        this.interceptors = interceptors;
        this.index = index;
        this.turn = turn;
        this.terminal = terminal;
    }

    @Override
    public Turn turn() {
        return turn;
    }

    @Override
    public TurnResult proceed() {
        if (called) {
            throw new IllegalStateException("interceptor " + name(index - 1) + " called proceed() more than once");
        }
        called = true;
        if (index >= interceptors.size()) {
            return terminal.apply(turn);
        }
        ConversationInterceptor next = interceptors.get(index);
        TurnResult r = next.intercept(new RealChain(interceptors, index + 1, turn, terminal));
        if (r == null) {
            throw new NullPointerException("interceptor " + name(index) + " returned null");
        }
        return r;
    }

    private String name(int i) {
        if (i < 0 || i >= interceptors.size()) {
            return "<start>";
        }
        Object o = interceptors.get(i);
        return o instanceof NamedInterceptor n ? n.name() : o.getClass().getName();
    }

    /** Runs a chain from its start. */
    public static TurnResult run(
            List<ConversationInterceptor> interceptors, Turn turn, Function<Turn, TurnResult> terminal) {
        return new RealChain(interceptors, 0, turn, terminal).proceed();
    }

    /** An interceptor with a name for error messages and inspect mode. */
    public interface NamedInterceptor extends ConversationInterceptor {
        String name();
    }
}
