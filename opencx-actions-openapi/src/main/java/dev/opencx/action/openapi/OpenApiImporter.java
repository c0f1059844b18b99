package dev.opencx.action.openapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionBuilder;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.BoundSource;
import dev.opencx.action.HttpMethod;
import dev.opencx.action.ImportReport;
import dev.opencx.action.ImportReport.SkipCategory;
import dev.opencx.action.ParameterLocation;
import dev.opencx.conversation.ChannelId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports OpenAPI 3.0 and 3.1 and Swagger 2.0 documents (JSON or YAML) into an {@link
 * ActionRegistry}: one {@link Action} per operation. What cannot be mapped is skipped with a reason
 * in the {@link ImportReport}; the rest still imports. Immutable and thread-safe.
 *
 * <pre>{@code
 * ActionRegistry actions = OpenApiImporter.builder()
 *         .serverVariable("region", "eu")
 *         .build()
 *         .importFile(Path.of("openapi.yaml"));
 * actions.report().skipped().forEach(System.out::println);
 * }</pre>
 *
 * <p>Names come from the {@code operationId} (characters a tool name cannot hold become {@code _});
 * without one, from the method and path ({@code GET /orders/{id}} is {@code get_orders_by_id}, see
 * the module README). A second operation with the same {@code operationId} is skipped. Settings come
 * from the operation's {@code x-opencx-*} extensions.
 */
public final class OpenApiImporter {
    private static final Logger log = LoggerFactory.getLogger(OpenApiImporter.class);
    private static final List<String> METHODS =
            List.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    private static final Set<String> IGNORED_HEADERS = Set.of("accept", "content-type", "authorization");
    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]+)}");
    /** {@code name={name}} in a query string written into a path key. */
    private static final Pattern QUERY_PAIR = Pattern.compile("([^=&]+)=\\{([^{}]+)}");

    private static final Pattern JSON_TYPE = Pattern.compile("application/([a-z0-9.+-]*\\+)?json(;.*)?");
    private static final OpenApiImporter DEFAULTS = builder().build();

    private final Map<String, String> serverVariables;
    private final String baseUrl;
    private final int maxSchemaDepth;

    private OpenApiImporter(Builder builder) {
        this.serverVariables = Map.copyOf(builder.serverVariables);
        this.baseUrl = builder.baseUrl;
        this.maxSchemaDepth = builder.maxSchemaDepth;
    }

    /** An importer with the defaults of {@link Builder}. */
    public static OpenApiImporter defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Imports a document file; relative-file {@code $ref}s are resolved against its folder.
     *
     * @throws OpenApiImportException when the file cannot be read or is not a supported document
     */
    public ActionRegistry importFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new OpenApiImportException("no OpenAPI document at " + file.toAbsolutePath());
        }
        Documents documents = new Documents();
        return importDocument(documents.load(file), documents);
    }

    /**
     * Imports a document from its text; relative-file {@code $ref}s cannot be resolved (the
     * operations using them are skipped).
     *
     * @throws OpenApiImportException when the text is not a supported document
     */
    public ActionRegistry importString(String document) {
        Objects.requireNonNull(document, "document");
        return importDocument(new Documents.Doc(null, Documents.parse(document, "the document")), new Documents());
    }

    private ActionRegistry importDocument(Documents.Doc doc, Documents documents) {
        JsonNode root = doc.root();
        String source = doc.file() == null ? "the document" : doc.file().toString();
        if (!root.isObject()) {
            throw new OpenApiImportException(source + " is not an OpenAPI document: its root is "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT) + ", not an object");
        }
        boolean swagger2;
        if (root.has("openapi")) {
            String version = root.get("openapi").asText();
            if (!version.startsWith("3.0") && !version.startsWith("3.1")) {
                throw new OpenApiImportException(
                        source + " has openapi: '" + version + "'; supported are 3.0.x, 3.1.x and swagger: '2.0'");
            }
            swagger2 = false;
        } else if (root.has("swagger")) {
            String version = root.get("swagger").asText();
            if (!version.equals("2.0")) {
                throw new OpenApiImportException(source + " has swagger: '" + version
                        + "'; supported are swagger: '2.0', openapi 3.0.x and 3.1.x");
            }
            swagger2 = true;
        } else {
            throw new OpenApiImportException(
                    source + " is not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' field");
        }
        JsonNode paths = root.path("paths");
        if (!paths.isMissingNode() && !paths.isObject()) {
            throw new OpenApiImportException(source + ": 'paths' must be an object, was " + paths.getNodeType());
        }
        Run run = new Run(root, doc, documents, swagger2);
        List<Operation> operations = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> entries = paths.fields();
        while (entries.hasNext()) {
            Map.Entry<String, JsonNode> entry = entries.next();
            String path = entry.getKey();
            if (path.startsWith("x-")) {
                continue; // a specification extension of the Paths object, not a path
            }
            JsonNode pathItem = entry.getValue();
            try {
                pathItem = documents.deref(pathItem, doc).node();
            } catch (SkipOperation e) {
                run.skipped.add(new ImportReport.Skipped("* " + path, "", e.category(), e.getMessage()));
                continue;
            }
            if (!pathItem.isObject()) {
                run.skipped.add(new ImportReport.Skipped(
                        "* " + path, "", SkipCategory.INVALID_OPERATION, "path item is not an object"));
                continue;
            }
            for (String method : METHODS) {
                if (pathItem.has(method)) {
                    operations.add(new Operation(method, path, pathItem, pathItem.get(method)));
                }
            }
        }
        assignNames(operations, run);
        List<Action> actions = new ArrayList<>();
        List<String> imported = new ArrayList<>();
        for (Operation operation : operations) {
            if (operation.name == null) {
                continue;
            }
            try {
                Action action = run.toAction(operation);
                actions.add(action);
                imported.add(action.name());
            } catch (SkipOperation e) {
                run.skipped.add(
                        new ImportReport.Skipped(operation.label(), operation.name, e.category(), e.getMessage()));
            } catch (RuntimeException e) {
                // a bug of the importer must not cost the user the rest of the document
                log.warn("unexpected error importing {} of {}", operation.label(), source, e);
                run.skipped.add(new ImportReport.Skipped(
                        operation.label(),
                        operation.name,
                        SkipCategory.INTERNAL_ERROR,
                        "unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        }
        List<ImportReport.Skipped> skipped = run.skipped;
        log.info("imported {} actions from {}; {} operations skipped", actions.size(), source, skipped.size());
        List<ImportReport.Note> notes = new ArrayList<>();
        run.documentNotes.forEach(note -> notes.add(new ImportReport.Note("", note)));
        notes.addAll(run.notes);
        return ActionRegistry.of(actions, new ImportReport(doc.label(), imported, skipped, notes));
    }

    /**
     * operationIds first, in document order (a repeated one is skipped); then derived names, with
     * {@code _2}, {@code _3}… when taken.
     */
    private static void assignNames(List<Operation> operations, Run run) {
        Map<String, Operation> taken = new HashMap<>();
        for (Operation operation : operations) {
            JsonNode id = operation.operation.path("operationId");
            if (!id.isTextual() || id.asText().isBlank()) {
                continue;
            }
            String name = ActionNames.sanitize(id.asText());
            Operation first = taken.putIfAbsent(name, operation);
            if (first == null) {
                operation.name = name;
            } else {
                run.skipped.add(new ImportReport.Skipped(
                        operation.label(),
                        id.asText(),
                        SkipCategory.DUPLICATE_NAME,
                        "duplicate operationId '" + id.asText() + "' (name '" + name + "' is already used by "
                                + first.label() + ")"));
            }
        }
        for (Operation operation : operations) {
            JsonNode id = operation.operation.path("operationId");
            if (id.isTextual() && !id.asText().isBlank()) {
                continue;
            }
            String base = ActionNames.derive(operation.method, operation.path);
            String name = base;
            for (int n = 2; taken.containsKey(name); n++) {
                name = ActionNames.suffixed(base, n);
            }
            taken.put(name, operation);
            operation.name = name;
        }
    }

    private static final class Operation {
        final String method;
        final String path;
        final JsonNode pathItem;
        final JsonNode operation;
        String name;

        Operation(String method, String path, JsonNode pathItem, JsonNode operation) {
            this.method = method;
            this.path = path;
            this.pathItem = pathItem;
            this.operation = operation;
        }

        String label() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    /** The state of one import. */
    private final class Run {
        final JsonNode root;
        final Documents.Doc doc;
        final Documents documents;
        final boolean swagger2;
        final List<ImportReport.Skipped> skipped = new ArrayList<>();
        final List<ImportReport.Note> notes = new ArrayList<>();
        final Set<String> documentNotes = new LinkedHashSet<>();

        Run(JsonNode root, Documents.Doc doc, Documents documents, boolean swagger2) {
            this.root = root;
            this.doc = doc;
            this.documents = documents;
            this.swagger2 = swagger2;
        }

        Action toAction(Operation source) {
            if (!source.operation.isObject()) {
                throw new SkipOperation(SkipCategory.INVALID_OPERATION, "the operation is not an object");
            }
            // the document each converted or referenced node came from, for the references inside it
            Map<JsonNode, Documents.Doc> origins = new IdentityHashMap<>();
            JsonNode operation = swagger2
                    ? Swagger2.operation(root, source.pathItem, source.operation, documents, doc, origins)
                    : source.operation;
            String label = source.label();
            Set<String> operationNotes = new LinkedHashSet<>();
            SchemaInliner inliner = new SchemaInliner(documents, maxSchemaDepth, operationNotes::add, origins);

            List<ActionParameter> arguments = new ArrayList<>();
            for (Documents.Resolved resolved : parameters(operation, source.pathItem, origins, operationNotes)) {
                JsonNode p = resolved.node();
                String name = p.get("name").asText();
                if (p.get("in").asText().equals("header") && IGNORED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    operationNotes.add("header parameter '" + name
                            + "' is left out: the HTTP client and the security schemes set it (OpenAPI ignores it)");
                    continue;
                }
                arguments.add(parameter(p, resolved.doc(), inliner, operationNotes));
            }
            Body body = requestBody(operation, inliner, operationNotes);
            if (body != null) {
                body = wholeBodyOnCollision(body, arguments, operationNotes);
                arguments.addAll(body.arguments());
            }
            checkNames(arguments);
            String path = requestPath(source.path, arguments);
            checkPath(path, arguments);

            ActionBuilder builder = Action.builder(source.name)
                    .request(HttpMethod.of(source.method), path)
                    .description(description(operation));
            arguments.forEach(builder::parameter);
            if (body != null) {
                builder.requestContentType(body.contentType());
            }
            String url = baseUrl != null ? baseUrl : serverUrl(operation, source.pathItem);
            builder.baseUrl(url);
            JsonNode security = operation.has("security") ? operation.get("security") : root.path("security");
            for (JsonNode requirement : security) {
                requirement.fieldNames().forEachRemaining(builder::security);
            }
            Extensions.apply(operation, builder, arguments);
            Action action = builder.build();
            operationNotes.forEach(note -> notes.add(new ImportReport.Note(label, note)));
            return action;
        }

        /**
         * The path item's and the operation's parameters (the operation's override the path item's of
         * the same name and location), references followed, each with the document it is in. An
         * optional parameter with a blank name is left out with a note.
         */
        private List<Documents.Resolved> parameters(
                JsonNode operation,
                JsonNode pathItem,
                Map<JsonNode, Documents.Doc> origins,
                Set<String> operationNotes) {
            Map<String, Documents.Resolved> parameters = new LinkedHashMap<>();
            List<JsonNode> lists = swagger2
                    ? List.of(operation.path("parameters"))
                    : List.of(pathItem.path("parameters"), operation.path("parameters"));
            for (JsonNode list : lists) {
                for (JsonNode parameter : list) {
                    Documents.Resolved resolved = documents.deref(parameter, doc);
                    JsonNode p = resolved.node();
                    if (!p.path("name").isTextual() || !p.path("in").isTextual()) {
                        throw new SkipOperation(
                                SkipCategory.INVALID_PARAMETER, "a parameter has no 'name' or 'in': " + abbreviate(p));
                    }
                    if (p.get("name").asText().isBlank()) {
                        String problem = "a " + p.get("in").asText() + " parameter has a blank name: " + abbreviate(p);
                        if (p.path("required").asBoolean(false)) {
                            throw new SkipOperation(SkipCategory.INVALID_PARAMETER, problem);
                        }
                        operationNotes.add(problem + "; the optional parameter is left out");
                        continue;
                    }
                    Documents.Doc from = origins.getOrDefault(p, resolved.doc());
                    parameters.put(
                            p.get("in").asText() + ":" + p.get("name").asText(),
                            new Documents.Resolved(p, from, resolved.key()));
                }
            }
            return new ArrayList<>(parameters.values());
        }

        private ActionParameter parameter(
                JsonNode p, Documents.Doc from, SchemaInliner inliner, Set<String> operationNotes) {
            String name = p.get("name").asText();
            String in = p.get("in").asText();
            ParameterLocation location;
            switch (in) {
                case "path" -> location = ParameterLocation.PATH;
                case "query" -> location = ParameterLocation.QUERY;
                case "header" -> location = ParameterLocation.HEADER;
                case "cookie" -> location = ParameterLocation.COOKIE;
                default -> throw new SkipOperation(
                        SkipCategory.UNSUPPORTED_PARAMETER,
                        "parameter '" + name + "' is in '" + in + "'; supported are path, query, header and cookie");
            }
            JsonNode schema = p.get("schema");
            if (schema == null && p.path("content").isObject()) {
                Iterator<Map.Entry<String, JsonNode>> content = p.get("content").fields();
                if (content.hasNext()) {
                    schema = content.next().getValue().get("schema");
                }
            }
            ObjectNode inlined;
            if (schema == null) {
                operationNotes.add("parameter '" + name + "' has no schema; any value is accepted");
                inlined = JsonNodeFactory.instance.objectNode();
            } else {
                inlined = inliner.inline(schema, from);
            }
            boolean required =
                    location == ParameterLocation.PATH || p.path("required").asBoolean(false);
            ActionParameter parameter = ActionParameter.of(
                    name, location, required, inlined, p.path("description").asText(""));
            if (p.has("style") || p.has("explode")) {
                String style = p.path("style").asText(parameter.style());
                boolean explode = p.path("explode").asBoolean(style.equals("form"));
                try {
                    parameter = parameter.withStyle(style, explode);
                } catch (IllegalArgumentException e) {
                    throw new SkipOperation(SkipCategory.UNSUPPORTED_PARAMETER, e.getMessage());
                }
            }
            return parameter;
        }

        /** The request body's arguments and content type; null when there is no body to send. */
        private Body requestBody(JsonNode operation, SchemaInliner inliner, Set<String> operationNotes) {
            if (!operation.has("requestBody")) {
                return null;
            }
            Documents.Resolved resolved = documents.deref(operation.get("requestBody"), doc);
            JsonNode body = resolved.node();
            boolean required = body.path("required").asBoolean(false);
            JsonNode content = body.path("content");
            String chosen = null;
            List<String> types = new ArrayList<>();
            content.fieldNames().forEachRemaining(types::add);
            for (String type : types) {
                if (JSON_TYPE.matcher(type.toLowerCase(Locale.ROOT)).matches()) {
                    chosen = type;
                    break;
                }
            }
            if (chosen == null && types.contains("application/x-www-form-urlencoded")) {
                chosen = "application/x-www-form-urlencoded";
            }
            ObjectNode inlined = null;
            String contentType = chosen;
            if (chosen == null) {
                // "*/*" (what converters write when a Swagger 2.0 document had no 'consumes'):
                // JSON when the schema is an object or an array, never for bytes or text
                for (String type : types) {
                    JsonNode schema = content.get(type).get("schema");
                    if ((type.equals("*/*") || type.equals("application/*")) && schema != null) {
                        ObjectNode candidate = inliner.inline(schema, resolved.doc());
                        if (structured(candidate)) {
                            chosen = type;
                            contentType = "application/json";
                            inlined = candidate;
                            operationNotes.add("the request body accepts " + type + "; it is sent as JSON");
                            break;
                        }
                    }
                }
            }
            if (chosen == null) {
                String reason = types.isEmpty()
                        ? "the request body declares no media type"
                        : types.contains("multipart/form-data")
                                ? "the request body is multipart/form-data (file uploads), which is not supported"
                                : "the request body is only " + types
                                        + "; supported are JSON and form-urlencoded bodies";
                return unsupported(required, reason, operationNotes);
            }
            if (inlined == null) {
                JsonNode schema = content.get(chosen).get("schema");
                inlined =
                        schema == null ? JsonNodeFactory.instance.objectNode() : inliner.inline(schema, resolved.doc());
            }
            boolean object = inlined.has("properties")
                    && !inlined.has("oneOf")
                    && !inlined.has("anyOf")
                    && !inlined.has("allOf")
                    && (!inlined.has("type")
                            || "object".equals(inlined.path("type").asText()));
            boolean form = !contentType.contains("json");
            String description = body.path("description").asText("");
            List<ActionParameter> arguments = new ArrayList<>();
            if (object) {
                Set<String> requiredProperties = new LinkedHashSet<>();
                inlined.path("required").forEach(n -> requiredProperties.add(n.asText()));
                Iterator<Map.Entry<String, JsonNode>> properties =
                        inlined.get("properties").fields();
                while (properties.hasNext()) {
                    Map.Entry<String, JsonNode> property = properties.next();
                    ObjectNode propertySchema = (ObjectNode) property.getValue();
                    arguments.add(ActionParameter.of(
                            property.getKey(),
                            ParameterLocation.BODY_PROPERTY,
                            required && requiredProperties.contains(property.getKey()),
                            propertySchema,
                            propertySchema.path("description").asText("")));
                }
            } else if (!form || objectLike(inlined)) {
                // a form of alternatives (oneOf objects) or of free properties is sent from the object given
                arguments.add(ActionParameter.of("body", ParameterLocation.BODY, required, inlined, description));
            } else {
                return unsupported(
                        required,
                        "the form-urlencoded request body is " + abbreviate(inlined)
                                + ", not an object; a form is a set of named fields",
                        operationNotes);
            }
            return new Body(contentType, inlined, required, description, arguments);
        }

        /** A body that cannot be sent: a required one skips the operation, an optional one is left out. */
        private static Body unsupported(boolean required, String reason, Set<String> operationNotes) {
            if (required) {
                throw new SkipOperation(SkipCategory.UNSUPPORTED_BODY, reason);
            }
            operationNotes.add(reason + "; the optional body is left out");
            return null;
        }

        /**
         * A body property named like a parameter cannot be a tool argument of its own (arguments are
         * one namespace): then the whole body is one argument, {@code body}.
         */
        private static Body wholeBodyOnCollision(
                Body body, List<ActionParameter> parameters, Set<String> operationNotes) {
            for (ActionParameter property : body.arguments()) {
                if (property.location() != ParameterLocation.BODY_PROPERTY) {
                    continue;
                }
                for (ActionParameter parameter : parameters) {
                    if (parameter.name().equals(property.name())) {
                        operationNotes.add("body property '" + property.name() + "' has the name of a "
                                + parameter.location().name().toLowerCase(Locale.ROOT)
                                + " parameter; the body is one argument, 'body'");
                        return new Body(
                                body.contentType(),
                                body.schema(),
                                body.required(),
                                body.description(),
                                List.of(ActionParameter.of(
                                        "body",
                                        ParameterLocation.BODY,
                                        body.required(),
                                        body.schema(),
                                        body.description())));
                    }
                }
            }
            return body;
        }

        /** Tool arguments are one flat namespace: two parameters of the same name cannot both be offered. */
        private void checkNames(List<ActionParameter> arguments) {
            Map<String, ActionParameter> byName = new HashMap<>();
            for (ActionParameter argument : arguments) {
                ActionParameter previous = byName.putIfAbsent(argument.name(), argument);
                if (previous != null) {
                    throw new SkipOperation(
                            SkipCategory.NAME_CONFLICT,
                            "parameter '" + argument.name() + "' appears twice (" + previous.location() + " and "
                                    + argument.location() + "); a tool's arguments need distinct names");
                }
            }
        }

        /**
         * The path to request from a path key. A fragment ({@code /#Action=CreateQueue}, which some
         * generated specs use to tell operations on one URL apart) is never sent, so it is left out. A
         * query string written into the key keeps its literal pairs and pairs filled by a path
         * parameter, and leaves {@code name={name}} to the query parameter {@code name}, which the
         * call adds itself.
         */
        private static String requestPath(String key, List<ActionParameter> arguments) {
            int hash = key.indexOf('#');
            String path = hash < 0 ? key : key.substring(0, hash);
            int question = path.indexOf('?');
            if (question < 0) {
                return path;
            }
            Set<String> queryParameters = new HashSet<>();
            arguments.stream()
                    .filter(a -> a.location() == ParameterLocation.QUERY)
                    .forEach(a -> queryParameters.add(a.name()));
            List<String> kept = new ArrayList<>();
            for (String pair : path.substring(question + 1).split("&")) {
                Matcher matcher = QUERY_PAIR.matcher(pair);
                boolean filledByQuery = matcher.matches()
                        && matcher.group(1).equals(matcher.group(2))
                        && queryParameters.contains(matcher.group(1));
                if (!pair.isEmpty() && !filledByQuery) {
                    kept.add(pair);
                }
            }
            return path.substring(0, question) + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        }

        /** Every {@code {placeholder}} of the path is a path parameter, and every path parameter is in it. */
        private void checkPath(String path, List<ActionParameter> arguments) {
            if (!path.startsWith("/")) {
                throw new SkipOperation(SkipCategory.INVALID_PATH, "the path '" + path + "' does not start with '/'");
            }
            Set<String> placeholders = ActionBuilder.pathPlaceholders(path);
            Set<String> pathParameters = new LinkedHashSet<>();
            arguments.stream()
                    .filter(a -> a.location() == ParameterLocation.PATH)
                    .forEach(a -> pathParameters.add(a.name()));
            for (String placeholder : placeholders) {
                if (!pathParameters.contains(placeholder)) {
                    throw new SkipOperation(
                            SkipCategory.INVALID_PATH,
                            "the path has {" + placeholder + "} but no path parameter of that name");
                }
            }
            for (String parameter : pathParameters) {
                if (!placeholders.contains(parameter)) {
                    throw new SkipOperation(
                            SkipCategory.INVALID_PATH, "path parameter '" + parameter + "' is not in the path " + path);
                }
            }
        }

        private String serverUrl(JsonNode operation, JsonNode pathItem) {
            if (swagger2) {
                String url = Swagger2.serverUrl(root);
                if (url != null && url.startsWith("/")) {
                    documentNotes.add("base path '" + url + "' has no host; set the host with baseUrl(...)");
                }
                return url;
            }
            JsonNode servers = operation.has("servers")
                    ? operation.get("servers")
                    : pathItem.has("servers") ? pathItem.get("servers") : root.path("servers");
            if (!servers.isArray() || servers.isEmpty()) {
                return null;
            }
            JsonNode server = servers.get(0);
            String url = server.path("url").asText("");
            Matcher matcher = VARIABLE.matcher(url);
            StringBuilder out = new StringBuilder();
            while (matcher.find()) {
                String variable = matcher.group(1);
                String value = serverVariables.get(variable);
                if (value == null) {
                    JsonNode declared = server.path("variables").path(variable).path("default");
                    value = declared.isValueNode() ? declared.asText() : null;
                }
                JsonNode allowed = server.path("variables").path(variable).path("enum");
                if (value != null && allowed.isArray() && !allowed.isEmpty()) {
                    boolean listed = false;
                    for (JsonNode each : allowed) {
                        listed |= each.asText().equals(value);
                    }
                    if (!listed) {
                        documentNotes.add("server variable '" + variable + "' is '" + value + "', not one of its enum "
                                + allowed);
                    }
                }
                if (value == null) {
                    documentNotes.add("server variable '" + variable + "' of " + url
                            + " has no default and no override; it is left in the base URL");
                    value = "{" + variable + "}";
                }
                matcher.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            matcher.appendTail(out);
            String resolved = out.toString();
            if (!resolved.isEmpty() && !resolved.matches("[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                documentNotes.add("server URL '" + resolved + "' is relative; set the host with baseUrl(...)");
            }
            return resolved.isEmpty() ? null : resolved;
        }
    }

    /** A schema of JSON objects or arrays (a body that can be sent as JSON whatever media type it names). */
    private static boolean structured(ObjectNode schema) {
        return objectLike(schema) || schema.has("items") || typeIs(schema, "array");
    }

    /** A schema of JSON objects: typed so, or properties, alternatives or free properties. */
    private static boolean objectLike(ObjectNode schema) {
        return typeIs(schema, "object")
                || (!schema.has("type")
                        && (schema.has("properties")
                                || schema.has("oneOf")
                                || schema.has("anyOf")
                                || schema.has("allOf")
                                || schema.has("additionalProperties")));
    }

    /** {@code type: T}, or {@code type: [T, "null"]}. */
    private static boolean typeIs(ObjectNode schema, String type) {
        JsonNode declared = schema.path("type");
        if (declared.isArray()) {
            for (JsonNode each : declared) {
                if (each.asText().equals(type)) {
                    return true;
                }
            }
            return false;
        }
        return declared.asText().equals(type);
    }

    /** A request body: its content type, inlined schema, and the arguments it becomes. */
    private record Body(
            String contentType,
            ObjectNode schema,
            boolean required,
            String description,
            List<ActionParameter> arguments) {}

    static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }

    private static String description(JsonNode operation) {
        String summary = operation.path("summary").asText("").strip();
        String description = operation.path("description").asText("").strip();
        if (summary.isEmpty()) {
            return description;
        }
        if (description.isEmpty() || description.equals(summary)) {
            return summary;
        }
        return summary + "\n\n" + description;
    }

    /** Builds an {@link OpenApiImporter}. */
    public static final class Builder {
        private final Map<String, String> serverVariables = new LinkedHashMap<>();
        private String baseUrl;
        private int maxSchemaDepth = 12;

        private Builder() {}

        /** A value for a server URL variable ({@code {region}}), over the document's default. */
        public Builder serverVariable(String name, String value) {
            serverVariables.put(
                    Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value of " + name));
            return this;
        }

        /** Values for server URL variables, over the document's defaults. */
        public Builder serverVariables(Map<String, String> values) {
            values.forEach(this::serverVariable);
            return this;
        }

        /** The base URL of every action, instead of the document's servers (e.g. a staging host). */
        public Builder baseUrl(String baseUrl) {
            this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl");
            return this;
        }

        /**
         * How deep a schema is expanded before the rest becomes a permissive schema; default 12.
         *
         * @throws IllegalArgumentException when not between 1 and 64
         */
        public Builder maxSchemaDepth(int maxSchemaDepth) {
            if (maxSchemaDepth < 1 || maxSchemaDepth > 64) {
                throw new IllegalArgumentException("maxSchemaDepth must be between 1 and 64, was " + maxSchemaDepth);
            }
            this.maxSchemaDepth = maxSchemaDepth;
            return this;
        }

        public OpenApiImporter build() {
            return new OpenApiImporter(this);
        }
    }

    /** Used by {@link Extensions}: the bound sources of {@code x-opencx-contact-bound}. */
    static BoundSource boundSource(String parameter, String value) {
        try {
            return BoundSource.of(value);
        } catch (IllegalArgumentException e) {
            throw new SkipOperation(
                    SkipCategory.INVALID_EXTENSION, "x-opencx-contact-bound of '" + parameter + "': " + e.getMessage());
        }
    }

    static ChannelId channel(String value) {
        try {
            return ChannelId.of(value);
        } catch (IllegalArgumentException e) {
            throw new SkipOperation(SkipCategory.INVALID_EXTENSION, "x-opencx-channels: " + e.getMessage());
        }
    }
}
