package dev.opencx.responder;

import java.util.Objects;
import java.util.function.Function;

/**
 * Makes the responder when {@code OpenCx.builder().build()} runs, from what the client was
 * configured with (its knowledge store, training scenarios, prohibited topics). A responder made
 * this way belongs to the client: when it is {@link AutoCloseable} it is closed with the client.
 *
 * <pre>{@code
 * OpenCx.builder()
 *         .knowledge(store).embeddingModel(embeddings).scenarios(scenarios)
 *         .responder(LlmResponder.builder().chatModel(model))   // a ResponderFactory
 *         .build();
 * OpenCx.builder()
 *         .responder(ResponderFactory.of(ctx -> new MyResponder(ctx.knowledge().orElseThrow())))
 *         ...
 * }</pre>
 *
 * (An abstract class rather than an interface so that {@code responder(request -> reply)}
 * lambdas stay unambiguous.)
 */
public abstract class ResponderFactory {
    protected ResponderFactory() {}

    /** A factory from a function. */
    public static ResponderFactory of(Function<ResponderContext, ? extends Responder> make) {
        Objects.requireNonNull(make, "make");
        return new ResponderFactory() {
            @Override
            public Responder create(ResponderContext context) {
                return make.apply(context);
            }
        };
    }

    /** Makes the responder; called once, by {@code build()}. */
    public abstract Responder create(ResponderContext context);
}
