package dev.opencx.action;

import java.util.Objects;

/**
 * Reads the customer's answer to a proposed action ("Shall I cancel order 1042?"). Only an
 * <em>explicit</em> yes may lead to the call: a yes with anything else in it ("yes, but to my other
 * address") is {@link Answer#OTHER}, so the message is handled as a new request instead.
 *
 * <p>OpenCX uses {@link RuleBasedConfirmationDetector} unless {@code
 * OpenCx.builder().confirmationDetector(...)} sets another.
 */
@FunctionalInterface
public interface ConfirmationDetector {

    /** The kind of answer. */
    enum Answer {
        /** An explicit yes and nothing else (politeness aside). */
        YES,
        /** A no, a cancel, a "not now"; {@link Result#more()} tells whether the message says more. */
        NO,
        /** Neither: the message is about something else, or a yes with conditions. */
        OTHER
    }

    /**
     * @param answer the kind of answer
     * @param cue the words that decided it, empty for {@link Answer#OTHER} without a cue
     * @param more whether the message says more than the answer ("no, get me a person")
     */
    record Result(Answer answer, String cue, boolean more) {
        public Result {
            Objects.requireNonNull(answer, "answer");
            cue = cue == null ? "" : cue;
        }
    }

    /**
     * @param text the customer's message (PII already replaced by placeholders)
     * @param locale the session's locale ({@code en}, {@code es-MX}), never null
     */
    Result detect(String text, String locale);
}
