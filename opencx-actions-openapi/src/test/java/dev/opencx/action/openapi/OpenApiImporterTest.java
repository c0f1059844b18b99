package dev.opencx.action.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.opencx.action.Action;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.BoundSource;
import dev.opencx.action.HttpMethod;
import dev.opencx.action.ImportReport;
import dev.opencx.action.ParameterLocation;
import dev.opencx.conversation.ChannelId;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiImporterTest {

    static Path resource(String name) {
        try {
            return Path.of(OpenApiImporterTest.class.getResource("/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Action action(ActionRegistry registry, String name) {
        return registry.get(name)
                .orElseThrow(() -> new AssertionError(name + " not in " + registry.names() + "; skipped: "
                        + registry.report().skipped()));
    }

    static List<String> names(Action action, ParameterLocation location) {
        return action.parameters(location).stream().map(ActionParameter::name).toList();
    }

    // ---- OpenAPI 3.0 YAML with a relative-file $ref ------------------------------------------

    @Test
    void imports_every_operation_of_the_orders_api_with_names_and_descriptions() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));

        assertThat(registry.names())
                .containsExactly("listOrders", "post_orders", "getOrder", "delete_orders_by_order_id", "cancelOrder");
        assertThat(registry.report().skipped()).isEmpty();
        assertThat(registry.report().imported()).containsExactlyElementsOf(registry.names());
        assertThat(action(registry, "listOrders").description())
                .isEqualTo("List the customer's orders\n\nMost recent first.");
        assertThat(action(registry, "getOrder").description()).isEqualTo("Get an order");
        assertThat(action(registry, "cancelOrder").method()).isEqualTo(HttpMethod.POST);
        assertThat(action(registry, "cancelOrder").pathTemplate()).isEqualTo("/orders/{orderId}/cancel");
    }

    @Test
    void base_url_substitutes_server_variable_defaults_and_overrides() {
        ActionRegistry defaults = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));
        ActionRegistry overridden = OpenApiImporter.builder()
                .serverVariables(Map.of("tenant", "acme", "version", "v2"))
                .build()
                .importFile(resource("orders/openapi-3.0.yaml"));
        ActionRegistry fixed = OpenApiImporter.builder()
                .baseUrl("http://localhost:8080/")
                .build()
                .importFile(resource("orders/openapi-3.0.yaml"));

        assertThat(action(defaults, "getOrder").baseUrl()).contains("https://demo.shop.example.com/api/v1");
        assertThat(action(overridden, "getOrder").baseUrl()).contains("https://acme.shop.example.com/api/v2");
        assertThat(action(fixed, "getOrder").baseUrl()).contains("http://localhost:8080");
    }

    @Test
    void parameters_come_from_path_item_operation_component_refs_and_the_json_body() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));

        Action list = action(registry, "listOrders");
        assertThat(names(list, ParameterLocation.QUERY)).containsExactly("customer_id", "limit", "status");
        assertThat(list.parameter("customer_id").orElseThrow().required()).isTrue();
        assertThat(list.parameter("limit").orElseThrow().required()).isFalse();
        assertThat(list.parameter("limit").orElseThrow().schema().toString())
                .isEqualTo("{\"type\":\"integer\",\"format\":\"int32\",\"minimum\":1,\"maximum\":100,\"default\":20}");
        assertThat(list.parameter("status").orElseThrow().schema().path("enum").toString())
                .isEqualTo("[\"pending\",\"shipped\",\"delivered\",\"cancelled\"]");
        assertThat(list.requestContentType()).isEmpty();
        assertThat(list.parameter("limit").orElseThrow().style()).isEqualTo("form");
        assertThat(list.parameter("limit").orElseThrow().explode()).isTrue();

        Action cancel = action(registry, "cancelOrder");
        assertThat(names(cancel, ParameterLocation.PATH)).containsExactly("orderId");
        assertThat(names(cancel, ParameterLocation.HEADER)).containsExactly("X-Request-Id");
        assertThat(names(cancel, ParameterLocation.BODY_PROPERTY)).containsExactly("reason", "comment");
        assertThat(cancel.parameter("orderId").orElseThrow().description()).isEqualTo("The order number");
        assertThat(cancel.parameter("reason").orElseThrow().required()).isTrue();
        assertThat(cancel.parameter("comment").orElseThrow().required()).isFalse();
        assertThat(cancel.parameter("comment")
                        .orElseThrow()
                        .schema()
                        .path("type")
                        .toString())
                .isEqualTo("[\"string\",\"null\"]");
        assertThat(cancel.requestContentType()).contains("application/json");
        assertThat(cancel.parameter("orderId").orElseThrow().style()).isEqualTo("simple");
        assertThat(cancel.parameter("reason").orElseThrow().style()).isEmpty();

        Action get = action(registry, "getOrder");
        assertThat(get.parameters()).extracting(ActionParameter::name).containsExactly("orderId");
        assertThat(get.parameter("orderId")
                        .orElseThrow()
                        .schema()
                        .path("pattern")
                        .asText())
                .isEqualTo("^[0-9]+$");
    }

    @Test
    void relative_file_refs_are_inlined_and_read_only_properties_left_out_of_the_request() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));

        Action place = action(registry, "post_orders");
        assertThat(names(place, ParameterLocation.BODY_PROPERTY))
                .containsExactly("items", "shipping_address", "placed_at");
        assertThat(place.parameter("items").orElseThrow().required()).isTrue();
        ObjectNode address = place.parameter("shipping_address").orElseThrow().schema();
        assertThat(address.path("required").toString()).isEqualTo("[\"street\",\"city\"]");
        assertThat(address.at("/properties/country/description").asText()).isEqualTo("ISO 3166-1 alpha-2 code");
        assertThat(place.parameter("placed_at")
                        .orElseThrow()
                        .schema()
                        .path("format")
                        .asText())
                .isEqualTo("date-time");
        assertThat(place.argumentsSchema()
                        .at("/properties/items/items/required")
                        .toString())
                .isEqualTo("[\"sku\",\"quantity\"]");
        assertThat(place.argumentsSchema().toString()).doesNotContain("$ref");
        assertThat(place.requestBodySchema().orElseThrow().path("required").toString())
                .isEqualTo("[\"items\",\"shipping_address\"]");
    }

    @Test
    void extensions_become_settings_and_idempotency_follows_the_method_unless_overridden() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));

        Action list = action(registry, "listOrders");
        assertThat(list.settings().channels()).containsExactlyInAnyOrder(ChannelId.WEB, ChannelId.WHATSAPP);
        assertThat(list.parameter("customer_id").orElseThrow().contactBound()).contains(BoundSource.CONTACT_ID);
        assertThat(list.idempotent()).isTrue();
        assertThat(action(registry, "post_orders").requiresConfirmation()).isTrue();
        assertThat(action(registry, "post_orders").idempotent()).isFalse();
        assertThat(action(registry, "getOrder").settings().pinned()).isTrue();
        assertThat(action(registry, "delete_orders_by_order_id").settings().hidden())
                .isTrue();
        assertThat(action(registry, "delete_orders_by_order_id").idempotent()).isTrue();
        Action cancel = action(registry, "cancelOrder");
        assertThat(cancel.requiresConfirmation()).isTrue();
        assertThat(cancel.idempotent()).isTrue();
        assertThat(cancel.settings().segments()).containsExactlyInAnyOrder("vip", "standard");

        assertThat(registry.forChannel(ChannelId.SMS).names()).doesNotContain("listOrders");
        assertThat(registry.visible().names()).doesNotContain("delete_orders_by_order_id");
        assertThat(registry.pinned().names()).containsExactly("getOrder");
    }

    @Test
    void security_requirement_names_come_from_the_document_or_the_operation() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));

        assertThat(action(registry, "getOrder").securityRequirements()).containsExactly("bearerAuth");
        assertThat(action(registry, "delete_orders_by_order_id").securityRequirements())
                .isEmpty();
    }

    @Test
    void tool_specification_has_the_model_arguments_and_never_the_contact_bound_ones() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));

        ToolSpecification list = action(registry, "listOrders").toToolSpecification();
        assertThat(list.name()).isEqualTo("listOrders");
        assertThat(list.parameters().properties()).containsOnlyKeys("limit", "status");
        assertThat(list.parameters().required()).isNullOrEmpty();
        assertThat(((JsonEnumSchema) list.parameters().properties().get("status")).enumValues())
                .containsExactly("pending", "shipped", "delivered", "cancelled");
        assertThat(action(registry, "listOrders")
                        .argumentsSchema()
                        .path("required")
                        .toString())
                .isEqualTo("[\"customer_id\"]");

        ToolSpecification cancel = action(registry, "cancelOrder").toToolSpecification();
        assertThat(cancel.parameters().properties()).containsOnlyKeys("orderId", "X-Request-Id", "reason", "comment");
        assertThat(cancel.parameters().required()).containsExactly("orderId", "reason");
        assertThat(cancel.description()).isEqualTo("Cancel an order\n\nOnly orders that have not shipped yet.");
    }

    // ---- OpenAPI 3.1 JSON -------------------------------------------------------------------------

    @Test
    void the_same_api_in_openapi_3_1_json_gives_the_same_actions() {
        ActionRegistry yaml = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.0.yaml"));
        ActionRegistry json = OpenApiImporter.defaults().importFile(resource("orders/openapi-3.1.json"));

        assertThat(json.names()).containsExactlyElementsOf(yaml.names());
        assertThat(json.report().skipped()).isEmpty();
        for (Action expected : yaml.all()) {
            Action actual = action(json, expected.name());
            assertThat(actual.argumentsSchema()).as(expected.name()).isEqualTo(expected.argumentsSchema());
            assertThat(actual.parameters()).as(expected.name()).isEqualTo(expected.parameters());
            assertThat(actual.baseUrl()).isEqualTo(expected.baseUrl());
            assertThat(actual.settings()).isEqualTo(expected.settings());
            assertThat(actual.description()).isEqualTo(expected.description());
        }
    }

    @Test
    void a_document_in_a_string_imports_without_relative_files() {
        String yaml =
                """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths:
                  /status/{ticket}:
                    get:
                      operationId: ticketStatus
                      summary: Status of a ticket
                      parameters:
                        - {name: ticket, in: path, required: true, schema: {type: integer}}
                  /orders:
                    get:
                      parameters:
                        - {name: s, in: query, schema: {$ref: 'schemas/order.yaml#/OrderStatus'}}
                """;

        ActionRegistry registry = OpenApiImporter.defaults().importString(yaml);

        assertThat(registry.names()).containsExactly("ticketStatus");
        assertThat(action(registry, "ticketStatus").baseUrl()).isEmpty();
        assertThat(registry.report().skipReason("GET /orders").orElseThrow())
                .contains("schemas/order.yaml#/OrderStatus")
                .contains("importFile");
    }

    // ---- Swagger 2.0 ------------------------------------------------------------------------------

    @Test
    void swagger_2_0_imports_with_host_base_path_body_and_form_parameters() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("petstore-swagger-2.0.yaml"));

        assertThat(registry.names())
                .containsExactly("findPets", "addPet", "getPetById", "delete_pets_by_pet_id", "updatePetWithForm");
        assertThat(registry.report().skipReason("POST /pets/{petId}/photo").orElseThrow())
                .contains("multipart/form-data");
        Action find = action(registry, "findPets");
        assertThat(find.baseUrl()).contains("https://petstore.example.com/v2");
        assertThat(find.parameter("tags").orElseThrow().schema().toString())
                .isEqualTo(
                        "{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"description\":\"Tags to filter by\"}");
        assertThat(find.parameter("limit")
                        .orElseThrow()
                        .schema()
                        .path("maximum")
                        .asInt())
                .isEqualTo(50);

        Action add = action(registry, "addPet");
        assertThat(names(add, ParameterLocation.BODY_PROPERTY)).containsExactly("name", "tag", "category");
        assertThat(add.parameter("name").orElseThrow().required()).isTrue();
        assertThat(add.parameter("category")
                        .orElseThrow()
                        .schema()
                        .at("/properties/id/format")
                        .asText())
                .isEqualTo("int64");
        assertThat(add.securityRequirements()).containsExactly("api_key");
        assertThat(add.requestContentType()).contains("application/json");

        Action get = action(registry, "getPetById");
        assertThat(get.parameter("petId").orElseThrow().location()).isEqualTo(ParameterLocation.PATH);
        assertThat(get.parameter("petId").orElseThrow().schema().toString())
                .isEqualTo("{\"type\":\"integer\",\"format\":\"int64\"}");
        assertThat(action(registry, "delete_pets_by_pet_id").requiresConfirmation())
                .isTrue();

        Action form = action(registry, "updatePetWithForm");
        assertThat(form.requestContentType()).contains("application/x-www-form-urlencoded");
        assertThat(names(form, ParameterLocation.BODY_PROPERTY)).containsExactly("name", "status");
        assertThat(form.parameter("name").orElseThrow().required()).isTrue();
        assertThat(form.parameter("status").orElseThrow().schema().path("enum").toString())
                .isEqualTo("[\"available\",\"sold\"]");
    }

    // ---- the nasty document ---------------------------------------------------------------------

    @Test
    void a_self_referencing_tree_is_expanded_once_and_then_cut_with_a_note() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("nasty.yaml"));

        Action tree = action(registry, "createTree");
        ObjectNode children = tree.parameter("children").orElseThrow().schema();
        assertThat(children.path("type").asText()).isEqualTo("array");
        assertThat(children.at("/items/type").asText()).isEqualTo("object");
        assertThat(children.at("/items/description").asText()).isEqualTo("(recursive TreeNode, not expanded)");
        assertThat(children.at("/items/properties").isMissingNode()).isTrue();
        assertThat(tree.parameter("label").orElseThrow().required()).isTrue();
        assertThat(registry.report().notes())
                .contains(
                        new ImportReport.Note(
                                "POST /trees",
                                "recursive schema #/components/schemas/TreeNode is expanded once; deeper levels are a permissive schema"));
        assertThat(tree.toToolSpecification().parameters().properties()).containsOnlyKeys("label", "children");
    }

    @Test
    void a_mutual_recursion_is_cut_where_it_comes_back() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("nasty.yaml"));

        ObjectNode employer = action(registry, "createPerson")
                .parameter("employer")
                .orElseThrow()
                .schema();
        assertThat(employer.at("/properties/name/type").asText()).isEqualTo("string");
        assertThat(employer.at("/properties/ceo/description").asText()).isEqualTo("(recursive Person, not expanded)");
    }

    @Test
    void a_depth_limit_bounds_deep_schemas() {
        ActionRegistry registry =
                OpenApiImporter.builder().maxSchemaDepth(1).build().importFile(resource("nasty.yaml"));

        ObjectNode children = action(registry, "createTree")
                .parameter("children")
                .orElseThrow()
                .schema();
        assertThat(children.at("/items/description").asText()).contains("nested deeper than 1 levels");
        assertThatThrownBy(() -> OpenApiImporter.builder().maxSchemaDepth(0)).hasMessageContaining("was 0");
    }

    @Test
    void all_of_is_merged_and_one_of_kept_even_nested() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("nasty.yaml"));

        Action payment = action(registry, "createPayment");
        assertThat(payment.baseUrl()).contains("https://payments.example.com");
        assertThat(names(payment, ParameterLocation.BODY_PROPERTY)).isEmpty();
        ObjectNode body = payment.parameter("body").orElseThrow().schema();
        assertThat(payment.parameter("body").orElseThrow().location()).isEqualTo(ParameterLocation.BODY);
        assertThat(body.has("allOf")).isFalse();
        assertThat(body.path("type").asText()).isEqualTo("object");
        assertThat(body.path("properties").fieldNames())
                .toIterable()
                .containsExactly("amount", "currency", "method", "customer_reference", "invoice", "fee");
        assertThat(body.path("required").toString()).isEqualTo("[\"amount\",\"currency\",\"method\"]");
        assertThat(body.at("/properties/method/oneOf/1/required").toString()).isEqualTo("[\"iban\"]");
        assertThat(body.at("/oneOf/0/required").toString()).isEqualTo("[\"customer_reference\"]");
        assertThat(body.at("/properties/fee/exclusiveMinimum").asInt()).isZero();
        assertThat(body.at("/properties/fee/minimum").isMissingNode()).isTrue();
    }

    @Test
    void operations_that_cannot_be_mapped_are_skipped_with_a_reason_and_the_rest_imports() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("nasty.yaml"));
        ImportReport report = registry.report();

        assertThat(report.skipReason("GET /missing").orElseThrow())
                .isEqualTo("$ref '#/components/parameters/DoesNotExist' does not resolve");
        assertThat(report.skipReason("POST /upload").orElseThrow())
                .isEqualTo("the request body is multipart/form-data (file uploads), which is not supported");
        assertThat(report.skipReason("POST /xml").orElseThrow())
                .isEqualTo("the request body is only [application/xml]; supported are JSON and form-urlencoded bodies");
        assertThat(report.skipReason("POST /things").orElseThrow())
                .isEqualTo("duplicate operationId 'getThing' (name 'getThing' is already used by GET /things)");
        assertThat(report.skipReason("GET /remote").orElseThrow())
                .contains("remote")
                .contains("never over the network");
        assertThat(report.skipReason("GET /badExtension").orElseThrow())
                .isEqualTo("x-opencx-confirm must be true or false, was \"yes\"");
        assertThat(report.skipReason("GET /badBinding").orElseThrow())
                .contains("contact-bound parameter 'customer_id'")
                .contains("is not a parameter");
        assertThat(report.skipped()).hasSize(7);

        assertThat(registry.names())
                .containsExactly(
                        "createTree",
                        "createPerson",
                        "createPayment",
                        "getThing",
                        "get_things_by_id",
                        "get_things_by_id_2",
                        "collision",
                        "bulkTag");
        assertThat(action(registry, "getThing").method()).isEqualTo(HttpMethod.GET);
        assertThat(action(registry, "get_things_by_id_2").pathTemplate()).isEqualTo("/things/by-id");
        assertThat(action(registry, "createTree").baseUrl()).contains("https://eu.api.example.com/v2");
    }

    @Test
    void a_non_object_body_is_one_body_argument_and_reserved_headers_are_left_out() {
        ActionRegistry registry = OpenApiImporter.defaults().importFile(resource("nasty.yaml"));

        Action bulk = action(registry, "bulkTag");
        assertThat(bulk.parameters()).extracting(ActionParameter::name).containsExactly("body");
        assertThat(bulk.parameter("body").orElseThrow().required()).isTrue();
        assertThat(bulk.requestBodySchema().orElseThrow().toString())
                .isEqualTo("{\"type\":\"array\",\"items\":{\"type\":\"string\"}}");
        assertThat(registry.report().notes())
                .anyMatch(note ->
                        note.operation().equals("POST /bulk") && note.message().contains("'Accept' is left out"));
    }

    @Test
    void derived_names_are_stable_snake_case_and_bounded() {
        assertThat(ActionNames.derive("get", "/orders/{orderId}/items")).isEqualTo("get_orders_by_order_id_items");
        assertThat(ActionNames.derive("post", "/v1/Customer-Notes")).isEqualTo("post_v1_customer_notes");
        assertThat(ActionNames.derive("get", "/")).isEqualTo("get");
        String longName = ActionNames.derive("get", "/" + "segment/".repeat(20));
        assertThat(longName).hasSize(64).startsWith("get_segment_segment").matches("[a-z0-9_]+_[0-9a-f]{8}");
        assertThat(ActionNames.derive("get", "/" + "segment/".repeat(20))).isEqualTo(longName);
        assertThat(ActionNames.sanitize("orders.get v2")).isEqualTo("orders_get_v2");
        assertThat(ActionNames.suffixed("x".repeat(64), 2)).hasSize(64).endsWith("_2");
    }

    // ---- malformed documents ----------------------------------------------------------------------

    @Test
    void malformed_documents_give_a_clear_exception_naming_the_problem() {
        OpenApiImporter importer = OpenApiImporter.defaults();

        assertThatThrownBy(() -> importer.importString("openapi: 3.0.0\npaths: [unclosed"))
                .isInstanceOf(OpenApiImportException.class)
                .hasMessageStartingWith("the document is not valid YAML at line");
        assertThatThrownBy(() -> importer.importString("{\"openapi\": \"3.0.0\", \"paths\": {]"))
                .isInstanceOf(OpenApiImportException.class)
                .hasMessageStartingWith("the document is not valid JSON at line 1");
        assertThatThrownBy(() -> importer.importString("title: not an api\n"))
                .hasMessage(
                        "the document is not an OpenAPI document: it has neither an 'openapi' nor a 'swagger' field");
        assertThatThrownBy(() -> importer.importString("openapi: 4.0.0\npaths: {}\n"))
                .hasMessageContaining("openapi: '4.0.0'");
        assertThatThrownBy(() -> importer.importString("swagger: '1.2'\n")).hasMessageContaining("swagger: '1.2'");
        assertThatThrownBy(() -> importer.importString("- a\n- b\n"))
                .hasMessageContaining("its root is array, not an object");
        assertThatThrownBy(() -> importer.importString("openapi: 3.0.0\npaths: [a]\n"))
                .hasMessageContaining("'paths' must be an object");
        assertThatThrownBy(() -> importer.importString("  \n"))
                .isInstanceOf(OpenApiImportException.class)
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> importer.importFile(Path.of("no/such/openapi.yaml")))
                .isInstanceOf(OpenApiImportException.class)
                .hasMessageContaining("no OpenAPI document at");
    }

    @Test
    void a_document_without_paths_imports_nothing() {
        ActionRegistry registry =
                OpenApiImporter.defaults().importString("openapi: 3.1.0\ninfo: {title: t, version: '1'}\n");

        assertThat(registry.isEmpty()).isTrue();
        assertThat(registry.report().source()).isEqualTo("<string>");
    }
}
