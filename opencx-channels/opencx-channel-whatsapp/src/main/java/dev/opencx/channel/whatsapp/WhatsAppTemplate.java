package dev.opencx.channel.whatsapp;

import dev.opencx.channel.OutboundMessage;
import dev.opencx.connect.TextParts;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The approved message template the WhatsApp channel sends instead of a reply when the customer's
 * 24-hour service window is closed (WhatsApp accepts only templates then). The template itself,
 * its wording and its translations, is created and approved in the WhatsApp Manager; here you name
 * it, its language, and how the reply fills its body's {@code {{1}}}, {@code {{2}}}… parameters.
 *
 * <pre>{@code
 * // "Hi! We answered your request {{1}}. Reply to this message to read it." (approved as reply_waiting)
 * WhatsAppTemplate waiting = WhatsAppTemplate.builder("reply_waiting", "en_US")
 *         .parameters(message -> List.of(message.ticket().toString()))
 *         .build();
 * }</pre>
 *
 * <p>Parameters are sent as body text parameters, in order. WhatsApp refuses a parameter with a
 * line break, a tab or more than four spaces in a row, or an empty one: the channel folds such
 * white space to one space, cuts a parameter to 1,000 characters and sends {@code -} for an empty
 * one. Immutable.
 */
public final class WhatsAppTemplate {
    private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,512}");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(_[A-Z]{2}|_[A-Za-z]{4})?");
    static final int MAX_PARAMETER_CHARS = 1000;

    private final String name;
    private final String language;
    private final Function<OutboundMessage, List<String>> parameters;

    private WhatsAppTemplate(Builder b) {
        this.name = b.name;
        this.language = b.language;
        this.parameters = b.parameters;
    }

    /**
     * @param name the template's name as approved ({@code reply_waiting})
     * @param language its language code as in the WhatsApp Manager ({@code en}, {@code en_US},
     *     {@code pt_BR})
     */
    public static Builder builder(String name, String language) {
        return new Builder(name, language);
    }

    /** The template's name. */
    public String name() {
        return name;
    }

    /** Its language code. */
    public String language() {
        return language;
    }

    /** The body parameters for a message, cleaned as WhatsApp requires. */
    public List<String> parametersFor(OutboundMessage message) {
        List<String> raw = parameters.apply(message);
        List<String> out = new ArrayList<>(raw == null ? 0 : raw.size());
        if (raw != null) {
            for (String p : raw) {
                String clean = p == null ? "" : p.replaceAll("\\s+", " ").strip();
                clean = clean.isEmpty() ? "-" : TextParts.shorten(clean, MAX_PARAMETER_CHARS, "…");
                out.add(clean);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "WhatsAppTemplate{" + name + ", " + language + "}";
    }

    /** Builds a {@link WhatsAppTemplate}. */
    public static final class Builder {
        private final String name;
        private final String language;
        private Function<OutboundMessage, List<String>> parameters = m -> List.of();

        private Builder(String name, String language) {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(language, "language");
            List<String> problems = new ArrayList<>();
            if (!NAME.matcher(name).matches()) {
                problems.add("template name must be lower-case letters, digits and '_', was '" + name + "'");
            }
            if (!LANGUAGE.matcher(language).matches()) {
                problems.add("template language must be a code like 'en' or 'en_US', was '" + language + "'");
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(String.join("; ", problems));
            }
            this.name = name;
            this.language = language;
        }

        /**
         * How a reply fills the template's body parameters, in order (default: none, for a template
         * without parameters). Called on the outbox thread for each message sent as this template.
         */
        public Builder parameters(Function<OutboundMessage, List<String>> parameters) {
            this.parameters = Objects.requireNonNull(parameters, "parameters");
            return this;
        }

        public WhatsAppTemplate build() {
            return new WhatsAppTemplate(this);
        }
    }
}
