package dev.opencx.pipeline;

/**
 * The built-in steps of the pipeline, in order. The first four form the <em>intake</em>: they run
 * inside {@code OpenCx.receive} and end once the message is durably stored. The rest form the
 * <em>turn</em>: they run asynchronously, one turn at a time per session.
 *
 * <p>Your own interceptors are inserted <em>before</em> a step: {@code
 * builder.interceptor(Step.AUTOPILOT, businessHours)}.
 */
public enum Step {
    DEDUPE(Phase.INTAKE),
    CONTACT(Phase.INTAKE),
    SESSION(Phase.INTAKE),
    PERSIST(Phase.INTAKE),
    OWNER_CHECK(Phase.TURN),
    SAFETY(Phase.TURN),
    CONFIRMATION(Phase.TURN),
    AUTOPILOT(Phase.TURN),
    RESPONDER(Phase.TURN),
    CONFIDENCE_GATE(Phase.TURN),
    EMIT(Phase.TURN);

    /** When a step runs. */
    public enum Phase {
        /** Inside {@code receive}, before the message is acknowledged. */
        INTAKE,
        /** Asynchronously, in session order. */
        TURN
    }

    private final Phase phase;

    Step(Phase phase) {
        this.phase = phase;
    }

    public Phase phase() {
        return phase;
    }
}
