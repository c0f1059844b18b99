package dev.opencx.action;

import dev.opencx.conversation.ChannelId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How an {@link Action} may be used: on which channels and for which contact segments, whether the
 * customer confirms before it runs, whether the model sees it (hidden) or always gets it (pinned),
 * and which parameters are contact-bound.
 *
 * <pre>{@code
 * ActionSettings settings = ActionSettings.builder()
 *         .channels(ChannelId.WEB, ChannelId.WHATSAPP)
 *         .segments("vip")
 *         .requiresConfirmation(true)
 *         .contactBound("customer_id", BoundSource.CONTACT_ID)
 *         .build();
 * }</pre>
 *
 * @param channels the channels the action is offered on; empty means every channel
 * @param segments the contact segments it is offered to; empty means every contact
 * @param requiresConfirmation whether the customer must confirm before the call is made
 * @param hidden whether it is left out of what the model is offered (it can still be called by code)
 * @param pinned whether it is always offered, whatever the retrieval of relevant actions picks
 * @param idempotent whether repeating the call is safe (retries, replays); by default from the
 *     method
 * @param contactBound the parameters whose values come from the contact or the session, by name
 * @param examples what customers say when they want this action ("where is my order?"), for the
 *     embedded path's intent matching; may be empty
 * @param acceptsIdempotencyKey whether the API honours an {@code Idempotency-Key} header (as
 *     Stripe's does): OpenCX then sends one with every call of the action, so a write is retried
 *     after a timeout or a 503 without being done twice; without it a non-idempotent call is never
 *     retried
 * @param replyTemplate the reply after a successful call on the embedded path and after a
 *     confirmation, with {@code {parameter}} and {@code {/json/pointer}} into the response (see
 *     {@link ReplyTemplate}); empty means a default reply
 */
public record ActionSettings(
        Set<ChannelId> channels,
        Set<String> segments,
        boolean requiresConfirmation,
        boolean hidden,
        boolean pinned,
        Boolean idempotent,
        Map<String, BoundSource> contactBound,
        List<String> examples,
        boolean acceptsIdempotencyKey,
        String replyTemplate) {

    private static final ActionSettings DEFAULTS = builder().build();

    public ActionSettings {
        channels = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(channels, "channels")));
        segments = Set.copyOf(Objects.requireNonNull(segments, "segments"));
        contactBound = Map.copyOf(Objects.requireNonNull(contactBound, "contactBound"));
        for (String segment : segments) {
            if (segment.isBlank()) {
                throw new IllegalArgumentException("contact segment must not be blank, was '" + segment + "'");
            }
        }
        examples = List.copyOf(Objects.requireNonNull(examples, "examples"));
        for (String example : examples) {
            if (example.isBlank()) {
                throw new IllegalArgumentException("example utterance must not be blank");
            }
        }
        replyTemplate = replyTemplate == null ? "" : replyTemplate;
        ReplyTemplate.parse(replyTemplate); // fails fast on a malformed template
        if (hidden && pinned) {
            throw new IllegalArgumentException("an action cannot be both hidden and pinned");
        }
    }

    /** Every channel, every contact, no confirmation, visible, not pinned, nothing bound. */
    public static ActionSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Whether the action is offered on this channel. */
    public boolean allowsChannel(ChannelId channel) {
        return channels.isEmpty() || channels.contains(channel);
    }

    /** Whether the action is offered to a contact of these segments. */
    public boolean allowsSegments(Collection<String> contactSegments) {
        return segments.isEmpty() || contactSegments.stream().anyMatch(segments::contains);
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.channels.addAll(channels);
        builder.segments.addAll(segments);
        builder.requiresConfirmation = requiresConfirmation;
        builder.hidden = hidden;
        builder.pinned = pinned;
        builder.idempotent = idempotent;
        builder.contactBound.putAll(contactBound);
        builder.examples.addAll(examples);
        builder.replyTemplate = replyTemplate;
        builder.acceptsIdempotencyKey = acceptsIdempotencyKey;
        return builder;
    }

    /** Builds {@link ActionSettings}; every setting defaults to {@link #defaults()}. */
    public static final class Builder {
        private final Set<ChannelId> channels = new LinkedHashSet<>();
        private final Set<String> segments = new LinkedHashSet<>();
        private final Map<String, BoundSource> contactBound = new LinkedHashMap<>();
        private boolean requiresConfirmation;
        private boolean hidden;
        private boolean pinned;
        private Boolean idempotent;
        private final List<String> examples = new ArrayList<>();
        private String replyTemplate = "";
        private boolean acceptsIdempotencyKey;

        private Builder() {}

        /** Restricts the action to these channels (added to any set before). */
        public Builder channels(ChannelId... channels) {
            for (ChannelId channel : channels) {
                this.channels.add(Objects.requireNonNull(channel, "channel"));
            }
            return this;
        }

        /** Restricts the action to contacts of these segments (added to any set before). */
        public Builder segments(String... segments) {
            for (String segment : segments) {
                this.segments.add(Objects.requireNonNull(segment, "segment"));
            }
            return this;
        }

        public Builder requiresConfirmation(boolean requiresConfirmation) {
            this.requiresConfirmation = requiresConfirmation;
            return this;
        }

        public Builder hidden(boolean hidden) {
            this.hidden = hidden;
            return this;
        }

        public Builder pinned(boolean pinned) {
            this.pinned = pinned;
            return this;
        }

        /** Overrides the idempotency derived from the method; null goes back to the method's. */
        public Builder idempotent(Boolean idempotent) {
            this.idempotent = idempotent;
            return this;
        }

        /**
         * Binds a parameter to the contact or the session.
         *
         * @throws IllegalArgumentException when the parameter was already bound to another source
         */
        public Builder contactBound(String parameter, BoundSource source) {
            Objects.requireNonNull(parameter, "parameter");
            Objects.requireNonNull(source, "source of " + parameter);
            BoundSource previous = contactBound.putIfAbsent(parameter, source);
            if (previous != null && !previous.equals(source)) {
                throw new IllegalArgumentException(
                        "parameter '" + parameter + "' is already bound to " + previous + ", not " + source);
            }
            return this;
        }

        /** Whether the API honours an {@code Idempotency-Key} header (see {@link ActionSettings}). */
        public Builder acceptsIdempotencyKey(boolean accepts) {
            this.acceptsIdempotencyKey = accepts;
            return this;
        }

        /** What customers say when they want this action (added to any set before). */
        public Builder examples(String... utterances) {
            for (String utterance : utterances) {
                this.examples.add(Objects.requireNonNull(utterance, "example"));
            }
            return this;
        }

        /**
         * The reply after a successful call: {@code "Order {order_id} is {/status}."}; see {@link
         * ReplyTemplate}.
         *
         * @throws IllegalArgumentException when the template is malformed (an unclosed brace)
         */
        public Builder replyTemplate(String template) {
            ReplyTemplate.parse(Objects.requireNonNull(template, "reply template"));
            this.replyTemplate = template;
            return this;
        }

        public ActionSettings build() {
            return new ActionSettings(
                    channels,
                    segments,
                    requiresConfirmation,
                    hidden,
                    pinned,
                    idempotent,
                    contactBound,
                    examples,
                    acceptsIdempotencyKey,
                    replyTemplate);
        }
    }
}
