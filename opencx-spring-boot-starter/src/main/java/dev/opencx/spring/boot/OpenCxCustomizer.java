package dev.opencx.spring.boot;

import dev.opencx.OpenCx;

/**
 * Changes the {@link OpenCx.Builder} the starter configured from {@code opencx.*} properties,
 * just before it builds the {@code OpenCx} bean: a responder over your LangChain4j {@code
 * ChatModel}, topics and gates, PII, actions, interceptors, listeners. Declare any number as beans;
 * they run in {@link org.springframework.core.annotation.Order @Order}.
 *
 * <pre>{@code
 * @Bean
 * OpenCxCustomizer support(ChatModel chatModel) {
 *     return builder -> builder
 *             .responder(LlmResponder.factory(chatModel))
 *             .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults());
 * }
 * }</pre>
 *
 * <p>Not called when the application declares its own {@code OpenCx} bean.
 */
@FunctionalInterface
public interface OpenCxCustomizer {

    /** Changes {@code builder} (never null); the starter builds it afterwards. */
    void customize(OpenCx.Builder builder);
}
