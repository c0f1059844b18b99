package dev.opencx.action;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.conversation.ChannelId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds an {@link Action}; see {@link Action#builder(String)}. {@link #build()} fails fast with
 * an {@link IllegalArgumentException} or {@link IllegalStateException} naming the bad value: a
 * missing method, a path placeholder without its path parameter (or the reverse), a name used by
 * two parameters, a contact-bound name that is not a parameter, a body mixed with body properties.
 */
public final class ActionBuilder {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}/]+)}");

    private final String name;
    private String description = "";
    private HttpMethod method;
    private String pathTemplate;
    private String baseUrl;
    private String requestContentType;
    private final List<ActionParameter> parameters = new ArrayList<>();
    private final Set<String> security = new LinkedHashSet<>();
    private ActionSettings.Builder settings = ActionSettings.builder();

    ActionBuilder(String name) {
        Objects.requireNonNull(name, "action name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "action name must be 1-64 letters, digits, '_' or '-', was '" + name + "'");
        }
        this.name = name;
    }

    /** What the action does, for the model; defaults to {@code "<METHOD> <path>"}. */
    public ActionBuilder description(String description) {
        this.description = Objects.requireNonNull(description, "description").strip();
        return this;
    }

    /**
     * The method and the path template ({@code /orders/{id}}).
     *
     * @throws IllegalArgumentException when the path does not start with {@code /}
     * @throws IllegalStateException when the method was already set to another one
     */
    public ActionBuilder request(HttpMethod method, String pathTemplate) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(pathTemplate, "path template");
        if (this.method != null && this.method != method) {
            throw new IllegalStateException("method was already set to " + this.method + ", not " + method);
        }
        if (!pathTemplate.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/', was '" + pathTemplate + "'");
        }
        this.method = method;
        this.pathTemplate = pathTemplate;
        return this;
    }

    public ActionBuilder get(String pathTemplate) {
        return request(HttpMethod.GET, pathTemplate);
    }

    public ActionBuilder post(String pathTemplate) {
        return request(HttpMethod.POST, pathTemplate);
    }

    public ActionBuilder put(String pathTemplate) {
        return request(HttpMethod.PUT, pathTemplate);
    }

    public ActionBuilder patch(String pathTemplate) {
        return request(HttpMethod.PATCH, pathTemplate);
    }

    public ActionBuilder delete(String pathTemplate) {
        return request(HttpMethod.DELETE, pathTemplate);
    }

    /**
     * The URL the path is appended to, e.g. {@code https://api.example.com/v1}; a trailing {@code /}
     * is removed. Null (the default) leaves it to the executor's configuration.
     */
    public ActionBuilder baseUrl(String baseUrl) {
        this.baseUrl = baseUrl == null ? null : baseUrl.replaceAll("/+$", "");
        return this;
    }

    /** Adds a parameter. */
    public ActionBuilder parameter(ActionParameter parameter) {
        parameters.add(Objects.requireNonNull(parameter, "parameter"));
        return this;
    }

    /** Adds a required string path parameter. */
    public ActionBuilder pathParam(String name, String description) {
        return pathParam(name, JsonSchemas.string(), description);
    }

    /** Adds a path parameter (always required). */
    public ActionBuilder pathParam(String name, ObjectNode schema, String description) {
        return parameter(ActionParameter.of(name, ParameterLocation.PATH, true, schema, description));
    }

    public ActionBuilder queryParam(String name, ObjectNode schema, boolean required, String description) {
        return parameter(ActionParameter.of(name, ParameterLocation.QUERY, required, schema, description));
    }

    public ActionBuilder header(String name, ObjectNode schema, boolean required, String description) {
        return parameter(ActionParameter.of(name, ParameterLocation.HEADER, required, schema, description));
    }

    public ActionBuilder cookie(String name, ObjectNode schema, boolean required, String description) {
        return parameter(ActionParameter.of(name, ParameterLocation.COOKIE, required, schema, description));
    }

    /** Adds a top-level property of the JSON request body. */
    public ActionBuilder bodyProperty(String name, ObjectNode schema, boolean required, String description) {
        return parameter(ActionParameter.of(name, ParameterLocation.BODY_PROPERTY, required, schema, description));
    }

    /** Sets the whole request body (one argument named {@code body}), for bodies that are not objects. */
    public ActionBuilder body(ObjectNode schema, boolean required, String description) {
        return parameter(ActionParameter.of("body", ParameterLocation.BODY, required, schema, description));
    }

    /**
     * The content type of the request body; defaults to {@code application/json} when there is a
     * body.
     */
    public ActionBuilder requestContentType(String contentType) {
        this.requestContentType = contentType;
        return this;
    }

    /** Adds the names of security schemes the call needs (e.g. {@code bearerAuth}). */
    public ActionBuilder security(String... schemeNames) {
        for (String scheme : schemeNames) {
            security.add(Objects.requireNonNull(scheme, "security scheme name"));
        }
        return this;
    }

    /** Replaces the settings (channels, segments, confirmation, visibility, bindings). */
    public ActionBuilder settings(ActionSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings").toBuilder();
        return this;
    }

    /** The customer confirms before the call is made. */
    public ActionBuilder requiresConfirmation() {
        settings.requiresConfirmation(true);
        return this;
    }

    /** Never offered to the model; callable from code. */
    public ActionBuilder hidden() {
        settings.hidden(true);
        return this;
    }

    /** Always offered to the model. */
    public ActionBuilder pinned() {
        settings.pinned(true);
        return this;
    }

    /** Overrides the idempotency derived from the method. */
    public ActionBuilder idempotent(boolean idempotent) {
        settings.idempotent(idempotent);
        return this;
    }

    public ActionBuilder channels(ChannelId... channels) {
        settings.channels(channels);
        return this;
    }

    public ActionBuilder segments(String... segments) {
        settings.segments(segments);
        return this;
    }

    /**
     * The API honours an {@code Idempotency-Key} header: OpenCX sends one with every call, and a
     * write is retried (with the same key) after a timeout or a 503.
     */
    public ActionBuilder acceptsIdempotencyKey() {
        settings.acceptsIdempotencyKey(true);
        return this;
    }

    /** What customers say when they want this action, for the embedded path's intent matching. */
    public ActionBuilder examples(String... utterances) {
        settings.examples(utterances);
        return this;
    }

    /** The reply after a successful call; see {@link ReplyTemplate}. */
    public ActionBuilder replyTemplate(String template) {
        settings.replyTemplate(template);
        return this;
    }

    /** The value of a parameter comes from the contact or the session, never the conversation. */
    public ActionBuilder contactBound(String parameter, BoundSource source) {
        settings.contactBound(parameter, source);
        return this;
    }

    /** The {@code {name}} placeholders of a path template, in order ({@code /orders/{id}} → {@code id}). */
    public static Set<String> pathPlaceholders(String pathTemplate) {
        Set<String> placeholders = new LinkedHashSet<>();
        Matcher matcher = PLACEHOLDER.matcher(pathTemplate);
        while (matcher.find()) {
            placeholders.add(matcher.group(1));
        }
        return placeholders;
    }

    /**
     * @throws IllegalStateException when no method and path were set
     * @throws IllegalArgumentException naming the parameter when the parameters do not fit the path
     *     template or each other, or a contact-bound name is not a parameter
     */
    public Action build() {
        if (method == null) {
            throw new IllegalStateException(
                    "action '" + name + "' has no method and path: call get(path), post(path)…");
        }
        ActionSettings built = settings.build();
        Map<String, ActionParameter> byName = new LinkedHashMap<>();
        for (ActionParameter parameter : parameters) {
            ActionParameter previous = byName.putIfAbsent(parameter.name(), parameter);
            if (previous != null) {
                throw new IllegalArgumentException("parameter '" + parameter.name() + "' of action '" + name
                        + "' appears twice (" + previous.location() + " and " + parameter.location() + ")");
            }
        }
        Set<String> placeholders = pathPlaceholders(pathTemplate);
        for (String placeholder : placeholders) {
            ActionParameter parameter = byName.get(placeholder);
            if (parameter == null || parameter.location() != ParameterLocation.PATH) {
                throw new IllegalArgumentException("path template " + pathTemplate + " of action '" + name + "' has {"
                        + placeholder + "} but no path parameter of that name");
            }
        }
        for (ActionParameter parameter : parameters) {
            if (parameter.location() == ParameterLocation.PATH && !placeholders.contains(parameter.name())) {
                throw new IllegalArgumentException("path parameter '" + parameter.name() + "' of action '" + name
                        + "' is not in the path template " + pathTemplate);
            }
        }
        boolean wholeBody = parameters.stream().anyMatch(p -> p.location() == ParameterLocation.BODY);
        boolean bodyProperties = parameters.stream().anyMatch(p -> p.location() == ParameterLocation.BODY_PROPERTY);
        if (wholeBody
                && (bodyProperties
                        || parameters.stream()
                                        .filter(p -> p.location() == ParameterLocation.BODY)
                                        .count()
                                > 1)) {
            throw new IllegalArgumentException("action '" + name
                    + "' has a whole-body parameter and other body parameters: use one BODY or several BODY_PROPERTY");
        }
        for (Map.Entry<String, BoundSource> binding : built.contactBound().entrySet()) {
            ActionParameter parameter = byName.get(binding.getKey());
            if (parameter == null) {
                throw new IllegalArgumentException("contact-bound parameter '" + binding.getKey() + "' of action '"
                        + name + "' is not a parameter; parameters are " + byName.keySet());
            }
            byName.put(parameter.name(), parameter.withBoundTo(binding.getValue()));
        }
        ReplyTemplate.parse(built.replyTemplate()).checkArguments(name, byName.keySet());
        List<ActionParameter> ordered = new ArrayList<>();
        for (ParameterLocation location : ParameterLocation.values()) {
            byName.values().stream().filter(p -> p.location() == location).forEach(ordered::add);
        }
        String contentType = requestContentType;
        if (contentType == null && (wholeBody || bodyProperties)) {
            contentType = "application/json";
        }
        String text = description.isEmpty() ? method + " " + pathTemplate : description;
        return new Action(
                name,
                text,
                method,
                pathTemplate,
                baseUrl,
                ordered,
                wholeBody || bodyProperties ? contentType : null,
                List.copyOf(security),
                built);
    }
}
