package dev.opencx.pipeline;

/** The rest of the pipeline, as seen by one interceptor. */
public interface Chain {

    /** The turn in progress (mutable: steps fill it in as they go). */
    Turn turn();

    /**
     * Runs the rest of the chain.
     *
     * @throws IllegalStateException when called twice by the same interceptor
     */
    TurnResult proceed();
}
