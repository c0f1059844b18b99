package dev.opencx.responder.llm;

/**
 * How an {@link LlmResponder} asks the model for its structured answer (a JSON object with the
 * answer, citations, confidence and whether a human is needed). In every mode the system prompt
 * describes the object and the reply is read by a lenient parser (JSON in code fences or with prose
 * around it is accepted; see {@link LlmResponder}).
 */
public enum OutputMode {
    /**
     * {@link #JSON_SCHEMA} when the model declares {@code RESPONSE_FORMAT_JSON_SCHEMA} among its
     * {@code supportedCapabilities()}, {@link #PROMPT} otherwise. The default.
     */
    AUTO,
    /** A JSON-schema response format (OpenAI structured outputs, Gemini, Ollama, …). */
    JSON_SCHEMA,
    /** The provider's JSON mode ({@code response_format: json_object}): valid JSON, no schema. */
    JSON_MODE,
    /** No response format: the prompt alone asks for the JSON object (any model). */
    PROMPT
}
