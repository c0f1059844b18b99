package dev.opencx.action.openapi;

import static dev.opencx.action.openapi.OpenApiImporterTest.action;
import static dev.opencx.action.openapi.OpenApiImporterTest.names;
import static dev.opencx.action.openapi.OpenApiImporterTest.resource;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ImportReport;
import dev.opencx.action.ImportReport.SkipCategory;
import dev.opencx.action.ParameterLocation;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Documents spread over several files and folders, in Swagger 2.0 ({@code swagger2/}, YAML with a
 * JSON file) and OpenAPI 3.0 YAML ({@code catalog/}): references relative to the file they are in,
 * circular and nested {@code allOf}/{@code anyOf}/{@code oneOf} schemas, servers with variables,
 * {@code host}/{@code basePath}/{@code schemes}.
 */
class MultiFileDocumentsTest {

    private static final ActionRegistry INVENTORY =
            OpenApiImporter.defaults().importFile(resource("swagger2/inventory.yaml"));
    private static final ActionRegistry CATALOG =
            OpenApiImporter.defaults().importFile(resource("catalog/openapi.yaml"));

    @Test
    void swagger_2_0_host_base_path_and_an_http_only_scheme_make_the_base_url() {
        assertThat(INVENTORY.all())
                .extracting(a -> a.baseUrl().orElseThrow())
                .containsOnly("http://inventory.example.com:8443/api/v2");
    }

    @Test
    void swagger_2_0_body_parameter_in_another_folder_resolves_its_schema_against_its_own_file() {
        Action create = action(INVENTORY, "createItem");

        assertThat(names(create, ParameterLocation.BODY_PROPERTY))
                .containsExactly("created", "name", "kind", "parent", "owner", "price");
        assertThat(create.parameter("name").orElseThrow().required()).isTrue();
        // the same schema reached from the root document gives the same arguments
        assertThat(names(action(INVENTORY, "replaceItem"), ParameterLocation.BODY_PROPERTY))
                .containsExactlyElementsOf(names(create, ParameterLocation.BODY_PROPERTY));
    }

    @Test
    void swagger_2_0_parameters_from_another_file_keep_their_type_keywords_and_collection_format() {
        Action list = action(INVENTORY, "listItems");
        ActionParameter pageSize = list.parameter("pageSize").orElseThrow();
        ActionParameter tags = list.parameter("tags").orElseThrow();

        assertThat(pageSize.schema().toString()).isEqualTo("{\"type\":\"integer\",\"default\":20,\"maximum\":100}");
        assertThat(tags.style()).isEqualTo("form");
        assertThat(tags.explode()).isTrue();
        assertThat(action(INVENTORY, "replaceItem")
                        .parameter("itemId")
                        .orElseThrow()
                        .schema()
                        .get("pattern")
                        .asText())
                .isEqualTo("^[A-Z0-9]+$");
        ImportReport.Skipped labels = INVENTORY.report().skipped().get(0);
        assertThat(labels.category()).isEqualTo(SkipCategory.UNSUPPORTED_PARAMETER);
        assertThat(labels.reason()).startsWith("collectionFormat 'tsv' of parameter 'format'");
    }

    @Test
    void swagger_2_0_schemas_merge_all_of_keep_nested_any_of_one_of_and_cut_cycles_across_files() {
        Action create = action(INVENTORY, "createItem");
        ObjectNode kind = create.parameter("kind").orElseThrow().schema();
        ObjectNode owner = create.parameter("owner").orElseThrow().schema();

        // anyOf → oneOf → Bundle (an allOf, merged) → items → Item again: cut there
        assertThat(kind.at("/anyOf/0/enum").toString()).isEqualTo("[\"tool\",\"part\"]");
        assertThat(kind.at("/anyOf/1/oneOf/0/properties/size/type").asText()).isEqualTo("integer");
        assertThat(kind.at("/anyOf/1/oneOf/0/properties/items/items/description")
                        .asText())
                .isEqualTo("(recursive Item, not expanded)");
        assertThat(kind.at("/anyOf/1/oneOf/1/minimum").asInt()).isEqualTo(1);
        assertThat(create.parameter("parent")
                        .orElseThrow()
                        .schema()
                        .get("description")
                        .asText())
                .isEqualTo("(recursive Item, not expanded)");
        // Owner (common.json) → Team → Owner: cut where it comes back
        assertThat(owner.at("/properties/email/format").asText()).isEqualTo("email");
        assertThat(owner.at("/properties/team/properties/lead/description").asText())
                .isEqualTo("(recursive Owner, not expanded)");
        // read-only id of the allOf base is neither an argument nor required; x-nullable is a null type
        assertThat(create.parameter("id")).isEmpty();
        assertThat(create.parameter("price").orElseThrow().schema().get("type").toString())
                .isEqualTo("[\"number\",\"null\"]");
    }

    @Test
    void swagger_2_0_form_data_becomes_form_body_properties() {
        Action rename = action(INVENTORY, "renameItem");

        assertThat(rename.requestContentType()).contains("application/x-www-form-urlencoded");
        assertThat(names(rename, ParameterLocation.BODY_PROPERTY)).containsExactly("name", "reason");
        assertThat(rename.parameter("name").orElseThrow().required()).isTrue();
        assertThat(rename.parameter("reason").orElseThrow().schema().get("enum"))
                .hasSize(2);
    }

    @Test
    void servers_at_the_document_path_and_operation_level_each_with_their_variables() {
        assertThat(action(CATALOG, "createCategory").baseUrl()).contains("https://eu.catalog.example.com/v3");
        assertThat(action(CATALOG, "getProduct").baseUrl()).contains("https://products.catalog.example.com/2024-01");
        assertThat(action(CATALOG, "search").baseUrl()).contains("https://search.catalog.example.com");

        ActionRegistry us = OpenApiImporter.builder()
                .serverVariables(Map.of("region", "us", "scheme", "http"))
                .build()
                .importFile(resource("catalog/openapi.yaml"));
        assertThat(action(us, "createCategory").baseUrl()).contains("http://us.catalog.example.com/v3");

        ActionRegistry asia = OpenApiImporter.builder()
                .serverVariable("region", "asia")
                .build()
                .importFile(resource("catalog/openapi.yaml"));
        assertThat(action(asia, "createCategory").baseUrl()).contains("https://asia.catalog.example.com/v3");
        assertThat(asia.report().notes())
                .extracting(ImportReport.Note::message)
                .contains("server variable 'region' is 'asia', not one of its enum [\"eu\",\"us\"]");
    }

    @Test
    void yaml_references_resolve_relative_to_each_file_down_nested_folders() {
        Action search = action(CATALOG, "search");

        assertThat(search.parameter("page")
                        .orElseThrow()
                        .schema()
                        .at("/properties/size/maximum")
                        .asInt())
                .isEqualTo(500);
        assertThat(action(CATALOG, "getProduct")
                        .parameter("sku")
                        .orElseThrow()
                        .schema()
                        .get("pattern")
                        .asText())
                .isEqualTo("^[A-Z]{3}-[0-9]{4}$");
        assertThat(CATALOG.report().skipped()).isEmpty();
    }

    @Test
    void nested_one_of_all_of_any_of_with_a_cycle_stay_json_schema() {
        ObjectNode filter =
                action(CATALOG, "search").parameter("filter").orElseThrow().schema();

        assertThat(filter.get("oneOf")).hasSize(3);
        assertThat(filter.at("/oneOf/0/properties/value/type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(filter.at("/oneOf/1/properties/and/items/description").asText())
                .isEqualTo("(recursive Filter, not expanded)");
        // allOf [Term, anyOf [...]] merged: Term's properties and required, the anyOf kept
        assertThat(filter.at("/oneOf/2/allOf").isMissingNode()).isTrue();
        assertThat(filter.at("/oneOf/2/required").toString()).isEqualTo("[\"field\",\"value\"]");
        assertThat(filter.at("/oneOf/2/anyOf/1/properties/boost/type").asText()).isEqualTo("number");
        assertThat(action(CATALOG, "createCategory").requestContentType()).contains("application/vnd.catalog+json");
    }
}
