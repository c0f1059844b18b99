package dev.opencx.action;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import java.util.List;
import java.util.Optional;

/**
 * A real API call the AI can make: the HTTP shape (method, path template, base URL, where each
 * parameter goes, content type, security requirement names), the JSON Schema of its arguments, and
 * its {@link ActionSettings}. Immutable and thread-safe. Import them from OpenAPI with {@code
 * OpenApiImporter} (module {@code opencx-actions-openapi}) or define them in code:
 *
 * <pre>{@code
 * Action cancel = Action.builder("cancel_order")
 *         .description("Cancels an order that has not shipped yet")
 *         .post("/orders/{id}/cancel")
 *         .baseUrl("https://shop.example.com/api")
 *         .pathParam("id", "The order number")
 *         .bodyProperty("reason", JsonSchemas.enumOf("damaged", "late", "other"), true, "Why")
 *         .header("X-Customer-Id", JsonSchemas.string(), true, "The customer")
 *         .contactBound("X-Customer-Id", BoundSource.CONTACT_ID)
 *         .requiresConfirmation()
 *         .build();
 * ToolSpecification tool = cancel.toToolSpecification(); // id and reason; never X-Customer-Id
 * }</pre>
 */
public final class Action {
    private final String name;
    private final String description;
    private final HttpMethod method;
    private final String pathTemplate;
    private final String baseUrl;
    private final List<ActionParameter> parameters;
    private final String requestContentType;
    private final List<String> securityRequirements;
    private final ActionSettings settings;

    Action(
            String name,
            String description,
            HttpMethod method,
            String pathTemplate,
            String baseUrl,
            List<ActionParameter> parameters,
            String requestContentType,
            List<String> securityRequirements,
            ActionSettings settings) {
        this.name = name;
        this.description = description;
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.baseUrl = baseUrl;
        this.parameters = List.copyOf(parameters);
        this.requestContentType = requestContentType;
        this.securityRequirements = List.copyOf(securityRequirements);
        this.settings = settings;
    }

    /**
     * A builder for an action of this name: 1 to 64 letters, digits, {@code _} or {@code -} (what
     * model providers accept as a tool name).
     */
    public static ActionBuilder builder(String name) {
        return new ActionBuilder(name);
    }

    /** The unique name, also the tool name offered to the model. */
    public String name() {
        return name;
    }

    /** What the action does, for the model and for people; never null. */
    public String description() {
        return description;
    }

    public HttpMethod method() {
        return method;
    }

    /** The path with {@code {name}} placeholders for the path parameters, e.g. {@code /orders/{id}}. */
    public String pathTemplate() {
        return pathTemplate;
    }

    /** The URL the path is appended to (e.g. {@code https://api.example.com/v1}); empty when unknown. */
    public Optional<String> baseUrl() {
        return Optional.ofNullable(baseUrl);
    }

    /** The parameters, path first, in the order they were declared. */
    public List<ActionParameter> parameters() {
        return parameters;
    }

    /** The parameter of a name, whatever its location. */
    public Optional<ActionParameter> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The parameters of one location. */
    public List<ActionParameter> parameters(ParameterLocation location) {
        return parameters.stream().filter(p -> p.location() == location).toList();
    }

    /**
     * The content type of the request body: a JSON media type ({@code application/json}, {@code
     * application/vnd.shop+json}) or {@code application/x-www-form-urlencoded}; empty when the
     * request has no body.
     */
    public Optional<String> requestContentType() {
        return Optional.ofNullable(requestContentType);
    }

    /**
     * The JSON Schema of the request body: the schema of the {@link ParameterLocation#BODY} parameter,
     * or an object of the {@link ParameterLocation#BODY_PROPERTY} parameters; empty without a body.
     */
    public Optional<ObjectNode> requestBodySchema() {
        List<ActionParameter> whole = parameters(ParameterLocation.BODY);
        if (!whole.isEmpty()) {
            return Optional.of(whole.get(0).schema());
        }
        List<ActionParameter> properties = parameters(ParameterLocation.BODY_PROPERTY);
        return properties.isEmpty() ? Optional.empty() : Optional.of(objectSchema(properties));
    }

    /** The names of the security schemes the call needs (e.g. {@code bearerAuth}); may be empty. */
    public List<String> securityRequirements() {
        return securityRequirements;
    }

    public ActionSettings settings() {
        return settings;
    }

    /** Whether repeating the call is safe: the settings' override, or else from the method. */
    public boolean idempotent() {
        return settings.idempotent() != null ? settings.idempotent() : method.idempotentByDefault();
    }

    /** Whether the action requires the customer's confirmation before it runs. */
    public boolean requiresConfirmation() {
        return settings.requiresConfirmation();
    }

    /**
     * The JSON Schema of all the arguments, contact-bound ones included: an object with one property
     * per parameter, {@code required} listing the required ones, no additional properties. A new
     * copy on every call.
     */
    public ObjectNode argumentsSchema() {
        return objectSchema(parameters);
    }

    /**
     * The JSON Schema of the arguments the model may fill: {@link #argumentsSchema()} without the
     * contact-bound parameters.
     */
    public ObjectNode modelArgumentsSchema() {
        return objectSchema(parameters.stream().filter(p -> !p.isContactBound()).toList());
    }

    /**
     * The LangChain4j tool of this action: its name, description and {@link #modelArgumentsSchema()}.
     * Contact-bound parameters are never in it.
     */
    public ToolSpecification toToolSpecification() {
        return ToolSpecification.builder()
                .name(name)
                .description(description)
                .parameters(ToolSchemas.object(modelArgumentsSchema()))
                .build();
    }

    private static ObjectNode objectSchema(List<ActionParameter> parameters) {
        ObjectNode schema = JsonNodeFactory.instance.objectNode().put("type", "object");
        ObjectNode properties = schema.putObject("properties");
        ArrayNode required = JsonNodeFactory.instance.arrayNode();
        for (ActionParameter parameter : parameters) {
            ObjectNode property = parameter.schema();
            if (!parameter.description().isEmpty() && !property.has("description")) {
                property.put("description", parameter.description());
            }
            properties.set(parameter.name(), property);
            if (parameter.required()) {
                required.add(parameter.name());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        schema.put("additionalProperties", false);
        return schema;
    }

    @Override
    public String toString() {
        return "Action[" + name + " " + method + " " + pathTemplate + "]";
    }
}
