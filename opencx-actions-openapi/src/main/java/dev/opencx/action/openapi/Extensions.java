package dev.opencx.action.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.action.ActionBuilder;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ImportReport.SkipCategory;
import dev.opencx.action.ReplyTemplate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The {@code x-opencx-*} extensions of an operation, onto an {@link ActionBuilder}. A malformed value
 * skips the operation with a reason naming the extension and the value.
 */
final class Extensions {
    static final String CHANNELS = "x-opencx-channels";
    static final String SEGMENTS = "x-opencx-segments";
    static final String CONFIRM = "x-opencx-confirm";
    static final String HIDDEN = "x-opencx-hidden";
    static final String PINNED = "x-opencx-pinned";
    static final String IDEMPOTENT = "x-opencx-idempotent";
    static final String CONTACT_BOUND = "x-opencx-contact-bound";
    static final String EXAMPLES = "x-opencx-examples";
    static final String IDEMPOTENCY_KEY = "x-opencx-idempotency-key";
    static final String REPLY_TEMPLATE = "x-opencx-reply-template";

    private Extensions() {}

    /**
     * @param arguments the operation's parameters, which contact-bound names must be among
     */
    static void apply(JsonNode operation, ActionBuilder builder, List<ActionParameter> arguments) {
        for (String channel : strings(operation, CHANNELS)) {
            builder.channels(OpenApiImporter.channel(channel));
        }
        for (String segment : strings(operation, SEGMENTS)) {
            builder.segments(segment);
        }
        if (bool(operation, CONFIRM)) {
            builder.requiresConfirmation();
        }
        if (bool(operation, HIDDEN)) {
            builder.hidden();
        }
        if (bool(operation, PINNED)) {
            builder.pinned();
        }
        if (bool(operation, IDEMPOTENCY_KEY)) {
            builder.acceptsIdempotencyKey();
        }
        if (operation.has(IDEMPOTENT)) {
            builder.idempotent(bool(operation, IDEMPOTENT));
        }
        for (String example : strings(operation, EXAMPLES)) {
            if (example.isBlank()) {
                throw new SkipOperation(SkipCategory.INVALID_EXTENSION, EXAMPLES + " must not hold a blank utterance");
            }
            builder.examples(example);
        }
        if (operation.has(REPLY_TEMPLATE)) {
            JsonNode template = operation.get(REPLY_TEMPLATE);
            if (!template.isTextual()) {
                throw new SkipOperation(
                        SkipCategory.INVALID_EXTENSION, REPLY_TEMPLATE + " must be a string, was " + template);
            }
            try {
                builder.replyTemplate(template.asText());
            } catch (IllegalArgumentException e) {
                throw new SkipOperation(SkipCategory.INVALID_EXTENSION, REPLY_TEMPLATE + ": " + e.getMessage());
            }
            List<String> names = arguments.stream().map(ActionParameter::name).toList();
            for (String name : ReplyTemplate.parse(template.asText()).argumentNames()) {
                if (!names.contains(name)) {
                    throw new SkipOperation(
                            SkipCategory.INVALID_EXTENSION,
                            REPLY_TEMPLATE + " uses {" + name + "}, which is not a parameter; parameters are " + names
                                    + " (response fields are {/name})");
                }
            }
        }
        if (operation.has(CONTACT_BOUND)) {
            JsonNode bound = operation.get(CONTACT_BOUND);
            if (!bound.isObject()) {
                throw new SkipOperation(
                        SkipCategory.INVALID_EXTENSION,
                        CONTACT_BOUND + " must map parameter names to sources"
                                + " (e.g. {customer_id: contact.id}), was " + bound);
            }
            Iterator<Map.Entry<String, JsonNode>> fields = bound.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (!field.getValue().isTextual()) {
                    throw new SkipOperation(
                            SkipCategory.INVALID_EXTENSION,
                            CONTACT_BOUND + " of '" + field.getKey() + "' must be a string such as"
                                    + " contact.id, was " + field.getValue());
                }
                if (arguments.stream().noneMatch(a -> a.name().equals(field.getKey()))) {
                    throw new SkipOperation(
                            SkipCategory.INVALID_EXTENSION,
                            "contact-bound parameter '" + field.getKey() + "' of " + CONTACT_BOUND
                                    + " is not a parameter; parameters are "
                                    + arguments.stream()
                                            .map(ActionParameter::name)
                                            .toList());
                }
                builder.contactBound(
                        field.getKey(),
                        OpenApiImporter.boundSource(
                                field.getKey(), field.getValue().asText()));
            }
        }
    }

    private static boolean bool(JsonNode operation, String name) {
        JsonNode value = operation.get(name);
        if (value == null) {
            return false;
        }
        if (!value.isBoolean()) {
            throw new SkipOperation(SkipCategory.INVALID_EXTENSION, name + " must be true or false, was " + value);
        }
        return value.asBoolean();
    }

    private static Iterable<String> strings(JsonNode operation, String name) {
        JsonNode value = operation.get(name);
        if (value == null) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        if (value.isTextual()) {
            out.add(value.asText());
            return out;
        }
        if (!value.isArray()) {
            throw new SkipOperation(SkipCategory.INVALID_EXTENSION, name + " must be a list of strings, was " + value);
        }
        for (JsonNode element : value) {
            if (!element.isTextual()) {
                throw new SkipOperation(
                        SkipCategory.INVALID_EXTENSION, name + " must be a list of strings, was " + value);
            }
            out.add(element.asText());
        }
        return out;
    }
}
