package dev.opencx.pipeline;

/**
 * One link of the pipeline. Do your work, then either call {@link Chain#proceed()} and return (or
 * adjust) its result, or return a result of your own to stop the chain.
 *
 * <pre>{@code
 * ConversationInterceptor businessHours = chain -> {
 *     if (!open(LocalTime.now())) {
 *         chain.turn().handOff(HandoffReason.CUSTOM, "outside business hours", Map.of());
 *     }
 *     return chain.proceed();   // autopilot and responder skip a turn that is already handed off
 * };
 * OpenCx.builder().interceptor(Step.AUTOPILOT, businessHours);
 * }</pre>
 *
 * <p>Contract: call {@code proceed()} at most once; never return null. Interceptors of the turn
 * phase run on OpenCX's executor, one turn at a time per session.
 */
@FunctionalInterface
public interface ConversationInterceptor {
    TurnResult intercept(Chain chain);
}
