package dev.opencx.action.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.BoundSource;
import dev.opencx.action.ImportReport;
import dev.opencx.action.ImportReport.SkipCategory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiImporterEdgeCasesTest {

    private static ActionRegistry importYaml(String paths) {
        return OpenApiImporter.defaults()
                .importString("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n" + paths);
    }

    @Test
    void malformed_extension_values_skip_the_operation_naming_the_value() {
        ActionRegistry registry = importYaml(
                """
                  /a:
                    get:
                      operationId: badSource
                      x-opencx-contact-bound: {customer_id: contact.password}
                      parameters:
                        - {name: customer_id, in: query, schema: {type: string}}
                  /b:
                    get:
                      operationId: badChannel
                      x-opencx-channels: [Web Chat]
                  /c:
                    get:
                      operationId: badSegments
                      x-opencx-segments: {vip: true}
                  /d:
                    get:
                      operationId: attribute
                      x-opencx-contact-bound: {plan: contact.attribute.plan}
                      x-opencx-channels: sms
                      parameters:
                        - {name: plan, in: query, required: true, schema: {type: string}}
                """);

        assertThat(registry.report().skipReason("GET /a").orElseThrow())
                .startsWith("x-opencx-contact-bound of 'customer_id'")
                .contains("'contact.password'");
        assertThat(registry.report().skipReason("GET /b").orElseThrow())
                .startsWith("x-opencx-channels")
                .contains("'Web Chat'");
        assertThat(registry.report().skipReason("GET /c").orElseThrow())
                .isEqualTo("x-opencx-segments must be a list of strings, was {\"vip\":true}");
        Action attribute = registry.get("attribute").orElseThrow();
        assertThat(attribute.parameter("plan").orElseThrow().contactBound()).contains(BoundSource.attribute("plan"));
        assertThat(BoundSource.attribute("plan").attributeName()).isEqualTo("plan");
        assertThat(attribute.toToolSpecification().parameters().properties()).isEmpty();
        assertThat(attribute.settings().channels()).extracting(Object::toString).containsExactly("sms");
    }

    @Test
    void an_optional_unsupported_body_is_left_out_with_a_note() {
        ActionRegistry registry = importYaml(
                """
                  /avatar:
                    put:
                      operationId: setAvatar
                      requestBody:
                        content:
                          multipart/form-data:
                            schema: {type: object}
                """);

        Action action = registry.get("setAvatar").orElseThrow();
        assertThat(action.parameters()).isEmpty();
        assertThat(action.requestContentType()).isEmpty();
        assertThat(registry.report().notes()).singleElement().satisfies(note -> assertThat(note.message())
                .contains("multipart/form-data")
                .endsWith("the optional body is left out"));
    }

    @Test
    void every_skip_has_a_stable_category_beside_its_detailed_reason() {
        ActionRegistry nasty = OpenApiImporter.defaults().importFile(OpenApiImporterTest.resource("nasty.yaml"));
        ActionRegistry more = importYaml(
                """
                  /a/{id}:
                    get:
                      operationId: pathAndQuery
                      parameters:
                        - {name: id, in: path, required: true, schema: {type: string}}
                        - {name: id, in: query, schema: {type: string}}
                  /b/{id}:
                    get: {operationId: undeclaredPlaceholder}
                  /c:
                    get:
                      operationId: pathParameterNotInPath
                      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                  /d:
                    get:
                      operationId: blankName
                      parameters: [{name: '', in: query, required: true, schema: {type: string}}]
                  /e:
                    get:
                      operationId: noLocation
                      parameters: [{name: x, schema: {type: string}}]
                  /f:
                    get: [not, an, object]
                  /g:
                    get:
                      operationId: schemaIsANumber
                      parameters: [{name: q, in: query, schema: 42}]
                  /h:
                    post:
                      operationId: bodyParameterIn30
                      parameters: [{name: q, in: body, schema: {type: object}}]
                  /i:
                    $ref: '#/components/pathItems/Nope'
                """);

        assertThat(categories(nasty))
                .containsOnly(
                        entry("GET /missing", SkipCategory.UNRESOLVED_REF),
                        entry("POST /upload", SkipCategory.UNSUPPORTED_BODY),
                        entry("POST /xml", SkipCategory.UNSUPPORTED_BODY),
                        entry("POST /things", SkipCategory.DUPLICATE_NAME),
                        entry("GET /remote", SkipCategory.REMOTE_REF),
                        entry("GET /badExtension", SkipCategory.INVALID_EXTENSION),
                        entry("GET /badBinding", SkipCategory.INVALID_EXTENSION));
        assertThat(categories(more))
                .containsOnly(
                        entry("GET /a/{id}", SkipCategory.NAME_CONFLICT),
                        entry("GET /b/{id}", SkipCategory.INVALID_PATH),
                        entry("GET /c", SkipCategory.INVALID_PATH),
                        entry("GET /d", SkipCategory.INVALID_PARAMETER),
                        entry("GET /e", SkipCategory.INVALID_PARAMETER),
                        entry("GET /f", SkipCategory.INVALID_OPERATION),
                        entry("GET /g", SkipCategory.INVALID_SCHEMA),
                        entry("POST /h", SkipCategory.UNSUPPORTED_PARAMETER),
                        entry("* /i", SkipCategory.UNRESOLVED_REF));
        assertThat(more.report().skipReason("GET /a/{id}").orElseThrow())
                .isEqualTo("parameter 'id' appears twice (PATH and QUERY); a tool's arguments need distinct names");
        assertThat(more.report().skipReason("GET /b/{id}").orElseThrow())
                .isEqualTo("the path has {id} but no path parameter of that name");
        assertThat(more.report().skipReason("GET /c").orElseThrow())
                .isEqualTo("path parameter 'id' is not in the path /c");
        assertThat(more.report().skipReason("GET /d").orElseThrow()).startsWith("a query parameter has a blank name");
        assertThat(more.report().skipReason("GET /g").orElseThrow()).isEqualTo("a schema must be an object, was 42");
        assertThat(more.isEmpty()).isTrue();
    }

    private static Map<String, SkipCategory> categories(ActionRegistry registry) {
        Map<String, SkipCategory> categories = new LinkedHashMap<>();
        registry.report().skipped().forEach(s -> categories.put(s.operation(), s.category()));
        return categories;
    }

    @Test
    void malformed_schema_keywords_are_left_out_with_a_note_and_the_operation_imports() {
        ActionRegistry registry = importYaml(
                """
                  /notes:
                    post:
                      operationId: addNote
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              type: object
                              properties:
                                text: {type: string}
                                tags: {type: array, items: ''}
                                nutrients: {type: object, properties: [{name: sugar}]}
                                kind: {allOf: {type: string}}
                                owner: {$ref: 5, type: string}
                """);

        Action action = registry.get("addNote").orElseThrow();
        assertThat(action.parameter("tags").orElseThrow().schema().toString()).isEqualTo("{\"type\":\"array\"}");
        assertThat(action.parameter("nutrients").orElseThrow().schema().toString())
                .isEqualTo("{\"type\":\"object\"}");
        assertThat(action.parameter("kind").orElseThrow().schema().toString()).isEqualTo("{}");
        assertThat(action.parameter("owner").orElseThrow().schema().toString()).isEqualTo("{\"type\":\"string\"}");
        assertThat(registry.report().notes())
                .extracting(ImportReport.Note::message)
                .contains(
                        "schema keyword 'items' must be a schema, was \"\"; it is left out",
                        "schema keyword 'properties' must be a map of names to schemas, was [{\"name\":\"sugar\"}];"
                                + " it is left out",
                        "schema keyword 'allOf' must be a list of schemas, was {\"type\":\"string\"}; it is left out",
                        "schema keyword '$ref' must be a string, was 5; it is left out");
    }

    @Test
    void a_long_chain_of_references_is_cut_not_a_stack_overflow() {
        StringBuilder yaml = new StringBuilder(
                """
                openapi: 3.0.3
                info: {title: t, version: '1'}
                paths:
                  /chain:
                    post:
                      operationId: chain
                      requestBody:
                        content:
                          application/json:
                            schema: {$ref: '#/components/schemas/S0'}
                components:
                  schemas:
                """);
        int links = SchemaInliner.MAX_SUBSCHEMAS - 10;
        for (int i = 0; i < links; i++) {
            yaml.append("    S")
                    .append(i)
                    .append(": {$ref: '#/components/schemas/S")
                    .append(i + 1)
                    .append("'}\n");
        }
        yaml.append("    S").append(links).append(": {type: object, properties: {end: {type: string}}}\n");

        ActionRegistry registry = OpenApiImporter.defaults().importString(yaml.toString());

        Action chain = registry.get("chain").orElseThrow();
        assertThat(chain.parameter("body")
                        .orElseThrow()
                        .schema()
                        .get("description")
                        .asText())
                .startsWith("(references nested too deep");
        assertThat(registry.report().notes())
                .extracting(ImportReport.Note::message)
                .contains("references nested more than 256 deep; the rest is a permissive schema");
    }

    @Test
    void a_schema_reference_to_the_whole_document_skips_the_operation() {
        ActionRegistry registry = importYaml(
                """
                  /self:
                    post:
                      operationId: self
                      requestBody:
                        content:
                          application/json:
                            schema: {$ref: '#'}
                """);

        assertThat(registry.report().skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.category()).isEqualTo(SkipCategory.INVALID_SCHEMA);
            assertThat(skipped.reason()).isEqualTo("$ref '#' points at a whole OpenAPI document, not at a schema");
        });
    }

    @Test
    void swagger_2_0_host_with_a_scheme_or_slash_and_a_base_path_without_one_still_make_a_base_url() {
        String paths = "paths:\n  /pets:\n    get: {operationId: listPets}\n";

        assertThat(swagger2("host: 'http://pets.example.com/'\nbasePath: v1\n" + paths))
                .isEqualTo("http://pets.example.com/v1");
        assertThat(swagger2("host: pets.example.com\nbasePath: /v1\nschemes: [http]\n" + paths))
                .isEqualTo("http://pets.example.com/v1");
        assertThat(swagger2("host: pets.example.com\n" + paths)).isEqualTo("https://pets.example.com");
        assertThat(swagger2("basePath: /v1\n" + paths)).isEqualTo("/v1");
    }

    private static String swagger2(String rest) {
        return OpenApiImporter.defaults()
                .importString("swagger: '2.0'\ninfo: {title: t, version: '1'}\n" + rest)
                .get("listPets")
                .orElseThrow()
                .baseUrl()
                .orElseThrow();
    }

    @Test
    void sanitized_operation_ids_that_collide_are_duplicates() {
        ActionRegistry registry = importYaml(
                """
                  /a:
                    get: {operationId: orders.get}
                  /b:
                    get: {operationId: orders_get}
                """);

        assertThat(registry.names()).containsExactly("orders_get");
        assertThat(registry.get("orders_get").orElseThrow().pathTemplate()).isEqualTo("/a");
        assertThat(registry.report().skipReason("GET /b").orElseThrow())
                .isEqualTo("duplicate operationId 'orders_get' (name 'orders_get' is already used by GET /a)");
    }

    @Test
    void references_across_files_resolve_relative_to_the_file_they_are_in_and_cycles_across_files_are_cut(
            @TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("schemas/nested"));
        Files.writeString(
                dir.resolve("api.yaml"),
                """
                openapi: 3.0.3
                info: {title: t, version: '1'}
                paths:
                  /nodes:
                    post:
                      operationId: createNode
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema: {$ref: 'schemas/node.yaml#/Node'}
                  /missing:
                    post:
                      operationId: missingFile
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema: {$ref: 'schemas/absent.yaml#/Node'}
                """);
        Files.writeString(
                dir.resolve("schemas/node.yaml"),
                """
                Node:
                  type: object
                  properties:
                    link: {$ref: 'nested/link.yaml#/Link'}
                """);
        Files.writeString(
                dir.resolve("schemas/nested/link.yaml"),
                """
                Link:
                  type: object
                  properties:
                    weight: {type: number}
                    target: {$ref: '../node.yaml#/Node'}
                """);

        ActionRegistry registry = OpenApiImporter.defaults().importFile(dir.resolve("api.yaml"));

        ObjectNode link = registry.get("createNode")
                .orElseThrow()
                .parameter("link")
                .orElseThrow()
                .schema();
        assertThat(link.at("/properties/weight/type").asText()).isEqualTo("number");
        assertThat(link.at("/properties/target/description").asText()).isEqualTo("(recursive Node, not expanded)");
        assertThat(registry.report().skipReason("POST /missing").orElseThrow())
                .startsWith("$ref 'schemas/absent.yaml#/Node' does not resolve: no file ")
                .endsWith("absent.yaml");
    }

    @Test
    void schemas_that_explode_through_shared_references_are_skipped_not_expanded_forever() {
        StringBuilder yaml = new StringBuilder(
                """
                openapi: 3.0.3
                info: {title: t, version: '1'}
                paths:
                  /big:
                    post:
                      operationId: big
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema: {$ref: '#/components/schemas/S0'}
                components:
                  schemas:
                """);
        for (int i = 0; i < 30; i++) {
            yaml.append("    S").append(i).append(":\n      type: object\n      properties:\n");
            for (String property : new String[] {"a", "b", "c"}) {
                yaml.append("        ")
                        .append(property)
                        .append(i < 29 ? ": {$ref: '#/components/schemas/S" + (i + 1) + "'}\n" : ": {type: string}\n");
            }
        }

        ActionRegistry registry =
                OpenApiImporter.builder().maxSchemaDepth(64).build().importString(yaml.toString());

        assertThat(registry.isEmpty()).isTrue();
        assertThat(registry.report().skipReason("POST /big").orElseThrow()).contains("more than 20000 subschemas");
    }

    @Test
    void parameter_styles_are_kept_and_a_style_the_location_does_not_allow_skips_the_operation() {
        ActionRegistry registry = importYaml(
                """
                  /search:
                    get:
                      operationId: search
                      parameters:
                        - {name: ids, in: query, style: pipeDelimited, schema: {type: array, items: {type: integer}}}
                        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object}}
                  /bad/{id}:
                    get:
                      operationId: badStyle
                      parameters:
                        - {name: id, in: path, required: true, style: deepObject, schema: {type: string}}
                """);

        Action search = registry.get("search").orElseThrow();
        assertThat(search.parameter("ids").orElseThrow().style()).isEqualTo("pipeDelimited");
        assertThat(search.parameter("ids").orElseThrow().explode()).isFalse();
        assertThat(search.parameter("filter").orElseThrow().style()).isEqualTo("deepObject");
        assertThat(search.parameter("filter").orElseThrow().explode()).isTrue();
        assertThat(registry.report().skipReason("GET /bad/{id}").orElseThrow())
                .isEqualTo("style of path parameter 'id' must be one of [label, matrix, simple], was 'deepObject'");
    }

    @Test
    void questionable_servers_are_noted_once_for_the_document() {
        ActionRegistry relative = OpenApiImporter.defaults()
                .importString(
                        """
                openapi: 3.0.3
                info: {title: t, version: '1'}
                servers: [{url: /api}]
                paths:
                  /a: {get: {operationId: a}}
                  /b: {get: {operationId: b}}
                """);
        ActionRegistry outOfEnum = OpenApiImporter.builder()
                .serverVariable("version", "v3")
                .build()
                .importFile(OpenApiImporterTest.resource("orders/openapi-3.0.yaml"));
        ActionRegistry swagger = OpenApiImporter.defaults()
                .importString(
                        """
                swagger: '2.0'
                info: {title: t, version: '1'}
                basePath: /v1
                paths:
                  /a: {get: {operationId: a}}
                """);

        assertThat(relative.get("a").orElseThrow().baseUrl()).contains("/api");
        assertThat(relative.report().notes())
                .containsExactly(
                        new ImportReport.Note("", "server URL '/api' is relative; set the host with baseUrl(...)"));
        assertThat(outOfEnum.get("getOrder").orElseThrow().baseUrl()).contains("https://demo.shop.example.com/api/v3");
        assertThat(outOfEnum.report().notes())
                .contains(new ImportReport.Note(
                        "", "server variable 'version' is 'v3', not one of its enum [\"v1\",\"v2\"]"));
        assertThat(swagger.get("a").orElseThrow().baseUrl()).contains("/v1");
        assertThat(swagger.report().notes())
                .extracting(ImportReport.Note::message)
                .containsExactly("base path '/v1' has no host; set the host with baseUrl(...)");
    }

    @Test
    void openapi_3_1_schema_features_are_kept_as_json_schema() {
        ActionRegistry registry = OpenApiImporter.defaults()
                .importString(
                        """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                security:
                  - oauth: [read]
                  - apiKey: []
                paths:
                  /refunds:
                    post:
                      operationId: refund
                      requestBody:
                        required: true
                        content:
                          application/vnd.shop+json:
                            schema:
                              type: object
                              required: [order, amount]
                              properties:
                                order:
                                  $ref: '#/components/schemas/OrderRef'
                                  description: The order to refund
                                amount: {type: number, exclusiveMinimum: 0, examples: [9.99]}
                                kind: {const: partial}
                                tags: {type: array, items: true}
                                note: {type: [string, 'null'], x-internal: true}
                components:
                  schemas:
                    OrderRef:
                      type: string
                      description: An order number
                      pattern: '^[0-9]+$'
                """);

        Action refund = registry.get("refund").orElseThrow();
        ObjectNode arguments = refund.argumentsSchema();
        assertThat(arguments.at("/properties/order").toString())
                .isEqualTo("{\"type\":\"string\",\"description\":\"The order to refund\",\"pattern\":\"^[0-9]+$\"}");
        assertThat(arguments.at("/properties/amount").toString())
                .isEqualTo("{\"type\":\"number\",\"exclusiveMinimum\":0,\"examples\":[9.99]}");
        assertThat(arguments.at("/properties/kind").toString()).isEqualTo("{\"const\":\"partial\"}");
        assertThat(arguments.at("/properties/tags").toString()).isEqualTo("{\"type\":\"array\",\"items\":{}}");
        assertThat(arguments.at("/properties/note").toString()).isEqualTo("{\"type\":[\"string\",\"null\"]}");
        assertThat(arguments.path("required").toString()).isEqualTo("[\"order\",\"amount\"]");
        assertThat(refund.requestContentType()).contains("application/vnd.shop+json");
        assertThat(refund.securityRequirements()).containsExactly("oauth", "apiKey");
        assertThat(refund.toToolSpecification().parameters().properties())
                .containsOnlyKeys("order", "amount", "kind", "tags", "note");
    }
}
