package dev.opencx.responder;

/**
 * Makes the responder when {@code OpenCx.builder().build()} runs, from what the client was
 * configured with (its knowledge store and training scenarios). A responder made this way belongs
 * to the client: when it is {@link AutoCloseable} it is closed with the client.
 *
 * <pre>{@code
 * OpenCx.builder()
 *         .knowledge(store).embeddingModel(embeddings).scenarios(scenarios)
 *         .responder(LlmResponder.builder().chatModel(model))   // a ResponderFactory
 *         .build();
 * }</pre>
 */
@FunctionalInterface
public interface ResponderFactory {
    /** Makes the responder; called once, by {@code build()}. */
    Responder create(ResponderContext context);
}
