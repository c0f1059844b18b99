package dev.opencx.responder.llm;

import java.util.List;

/**
 * The model's answer as read by {@link AnswerParser}.
 *
 * @param answer the text for the customer, empty when none
 * @param citations the context ids the model cited, as given (not yet checked)
 * @param confidence the model's own confidence, null when it gave none
 * @param needsHuman true when the model asked for a human
 * @param handoffCategory the model's reason category, normalized ({@code missing_knowledge}, …), empty for none
 * @param format how the answer was found in the model's text
 */
record LlmAnswer(
        String answer,
        List<String> citations,
        Double confidence,
        boolean needsHuman,
        String handoffCategory,
        Format format) {

    /** Where the JSON object was found. */
    enum Format {
        /** The whole text was the JSON object. */
        JSON,
        /** A JSON object inside a Markdown code fence. */
        FENCED_JSON,
        /** A JSON object with prose around it. */
        EMBEDDED_JSON,
        /** No JSON object: the text itself is the answer. */
        PLAIN;

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    LlmAnswer {
        answer = answer == null ? "" : answer.strip();
        citations = citations == null ? List.of() : List.copyOf(citations);
        handoffCategory = handoffCategory == null ? "" : handoffCategory;
    }
}
