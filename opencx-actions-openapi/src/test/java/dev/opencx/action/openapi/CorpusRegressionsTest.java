package dev.opencx.action.openapi;

import static dev.opencx.action.openapi.OpenApiImporterTest.resource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.action.Action;
import dev.opencx.action.ActionParameter;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ImportReport;
import dev.opencx.action.ImportReport.SkipCategory;
import dev.opencx.action.ParameterLocation;
import org.junit.jupiter.api.Test;

/**
 * Mappings that public specs got wrong before (found by {@code opencx-eval openapi} over the
 * APIs.guru directory); each fixture under {@code regressions/} is written by hand to show one of
 * them, no vendor text.
 */
class CorpusRegressionsTest {

    private static ActionRegistry importResource(String name) {
        return OpenApiImporter.defaults().importFile(resource("regressions/" + name));
    }

    @Test
    void extension_keys_in_paths_are_not_paths() {
        ActionRegistry registry = importResource("paths-extension.yaml");

        assertThat(registry.names()).containsExactly("listArtifacts");
        assertThat(registry.report().skipped()).isEmpty();
    }

    @Test
    void a_fragment_in_the_path_key_is_not_part_of_the_request_path() {
        ActionRegistry registry = importResource("fragment-and-query-in-path.yaml");

        assertThat(registry.get("CreateQueue").orElseThrow().pathTemplate()).isEqualTo("/");
        assertThat(registry.get("post_action_delete_queue").orElseThrow().pathTemplate())
                .isEqualTo("/");
        Action untag = registry.get("untagQueue").orElseThrow();
        assertThat(untag.pathTemplate()).isEqualTo("/queues/{queue}");
        assertThat(untag.parameter("tagKeys").orElseThrow().location()).isEqualTo(ParameterLocation.QUERY);
    }

    @Test
    void a_query_string_in_the_path_key_leaves_declared_query_parameters_to_the_query() {
        ActionRegistry registry = importResource("fragment-and-query-in-path.yaml");

        Action search = registry.get("searchQueues").orElseThrow();
        assertThat(search.pathTemplate()).isEqualTo("/search/queues");
        assertThat(search.parameter("query").orElseThrow().location()).isEqualTo(ParameterLocation.QUERY);
        // literal pairs stay, and so does a pair filled by a path parameter
        assertThat(registry.get("listMessages").orElseThrow().pathTemplate())
                .isEqualTo("/messages?format=json&page={page}");
        assertThat(registry.report().skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.operation()).isEqualTo("GET /export?token={token}");
            assertThat(skipped.category()).isEqualTo(SkipCategory.INVALID_PATH);
            assertThat(skipped.reason()).isEqualTo("the path has {token} but no path parameter of that name");
        });
    }

    @Test
    void a_body_with_a_property_named_like_a_parameter_is_one_body_argument() {
        ActionRegistry registry = importResource("body-property-named-like-parameter.yaml");

        Action update = registry.get("updateAccount").orElseThrow();
        assertThat(update.parameters())
                .extracting(ActionParameter::name, ActionParameter::location)
                .containsExactly(
                        tuple("id", ParameterLocation.PATH),
                        tuple("dryRun", ParameterLocation.QUERY),
                        tuple("body", ParameterLocation.BODY));
        ActionParameter body = update.parameter("body").orElseThrow();
        assertThat(body.required()).isTrue();
        assertThat(body.description()).isEqualTo("The new state of the account");
        assertThat(body.schema().get("required").toString()).isEqualTo("[\"id\",\"name\"]");
        assertThat(update.requestContentType()).contains("application/json");
        assertThat(registry.report().notes()).anySatisfy(note -> assertThat(note.toString())
                .isEqualTo("PUT /accounts/{id}: body property 'id' has the name of a path parameter;"
                        + " the body is one argument, 'body'"));

        Action note = registry.get("addNote").orElseThrow();
        assertThat(note.parameter("body").orElseThrow().location()).isEqualTo(ParameterLocation.BODY);
        assertThat(note.requestContentType()).contains("application/x-www-form-urlencoded");

        assertThat(registry.report().skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.operation()).isEqualTo("POST /reports");
            assertThat(skipped.category()).isEqualTo(SkipCategory.NAME_CONFLICT);
            assertThat(skipped.reason()).startsWith("parameter 'body' appears twice (QUERY and BODY)");
        });
    }

    @Test
    void a_body_of_any_media_type_is_sent_as_json_when_its_schema_is_an_object_or_array() {
        ActionRegistry registry = importResource("any-media-type-and-form-bodies.yaml");

        Action create = registry.get("createNamespace").orElseThrow();
        assertThat(create.parameters())
                .extracting(ActionParameter::name, ActionParameter::location, ActionParameter::required)
                .containsExactly(
                        tuple("name", ParameterLocation.BODY_PROPERTY, true),
                        tuple("labels", ParameterLocation.BODY_PROPERTY, false));
        assertThat(create.requestContentType()).contains("application/json");
        assertThat(registry.report().notes()).anySatisfy(note -> assertThat(note.toString())
                .isEqualTo("POST /namespaces: the request body accepts */*; it is sent as JSON"));
        Action delete = registry.get("deleteNamespace").orElseThrow();
        assertThat(delete.parameter("gracePeriodSeconds").orElseThrow().required())
                .isFalse();

        assertThat(registry.report().skipReason("PUT /uploads").orElseThrow())
                .isEqualTo("the request body is only [*/*]; supported are JSON and form-urlencoded bodies");
        assertThat(registry.report().skipReason("POST /ping").orElseThrow())
                .isEqualTo("the request body declares no media type");
    }

    @Test
    void a_form_body_of_alternatives_is_one_body_argument_and_a_form_of_a_string_is_skipped() {
        ActionRegistry registry = importResource("any-media-type-and-form-bodies.yaml");

        Action token = registry.get("createToken").orElseThrow();
        ActionParameter body = token.parameter("body").orElseThrow();
        assertThat(body.location()).isEqualTo(ParameterLocation.BODY);
        assertThat(body.schema().get("oneOf")).hasSize(2);
        assertThat(body.schema().at("/oneOf/1/required").toString()).isEqualTo("[\"grant_type\",\"refresh_token\"]");
        assertThat(token.requestContentType()).contains("application/x-www-form-urlencoded");

        ImportReport.Skipped detect = registry.report().skipped().stream()
                .filter(s -> s.operation().equals("POST /detect"))
                .findFirst()
                .orElseThrow();
        assertThat(detect.category()).isEqualTo(SkipCategory.UNSUPPORTED_BODY);
        assertThat(detect.reason())
                .isEqualTo("the form-urlencoded request body is {\"type\":\"string\"}, not an object;"
                        + " a form is a set of named fields");
    }

    @Test
    void an_optional_parameter_with_a_blank_name_is_left_out_and_a_required_one_skips_the_operation() {
        ActionRegistry registry = importResource("blank-parameter-name.yaml");

        assertThat(registry.get("orders").orElseThrow().parameters())
                .extracting(ActionParameter::name)
                .containsExactly("since");
        assertThat(registry.report().notes()).anySatisfy(note -> assertThat(note.toString())
                .startsWith("GET /api/orders: a query parameter has a blank name: ")
                .endsWith("; the optional parameter is left out"));
        assertThat(registry.report().skipped()).singleElement().satisfies(skipped -> {
            assertThat(skipped.operation()).isEqualTo("GET /api/customers");
            assertThat(skipped.category()).isEqualTo(SkipCategory.INVALID_PARAMETER);
        });
    }

    @Test
    void nullable_beside_a_reference_makes_the_referenced_schema_accept_null() {
        Action update =
                importResource("nullable-reference.yaml").get("updateProfile").orElseThrow();

        assertThat(update.parameter("address")
                        .orElseThrow()
                        .schema()
                        .get("type")
                        .toString())
                .isEqualTo("[\"object\",\"null\"]");
        ObjectNode status = update.parameter("status").orElseThrow().schema();
        assertThat(status.get("type").toString()).isEqualTo("[\"string\",\"null\"]");
        assertThat(status.get("enum").toString()).isEqualTo("[\"active\",\"paused\",null]");
        assertThat(status.get("description").asText()).isEqualTo("Null keeps it");
        assertThat(update.parameter("manager")
                        .orElseThrow()
                        .schema()
                        .get("type")
                        .asText())
                .isEqualTo("object");
        assertThat(update.parameter("backup").orElseThrow().schema().get("type").toString())
                .isEqualTo("[\"object\",\"null\"]");
    }
}
