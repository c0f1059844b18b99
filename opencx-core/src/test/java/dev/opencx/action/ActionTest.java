package dev.opencx.action;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.model.chat.request.json.JsonAnyOfSchema;
import dev.langchain4j.model.chat.request.json.JsonArraySchema;
import dev.langchain4j.model.chat.request.json.JsonEnumSchema;
import dev.langchain4j.model.chat.request.json.JsonIntegerSchema;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonStringSchema;
import dev.opencx.conversation.ChannelId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionTest {

    private static Action cancelOrder() {
        return Action.builder("cancel_order")
                .description("Cancels an order that has not shipped yet")
                .post("/orders/{id}/cancel")
                .baseUrl("https://shop.example.com/api/")
                .pathParam("id", "The order number")
                .bodyProperty("reason", JsonSchemas.enumOf("damaged", "late", "other"), true, "Why")
                .bodyProperty("note", JsonSchemas.string(), false, "")
                .header("X-Customer-Id", JsonSchemas.string(), true, "The customer")
                .contactBound("X-Customer-Id", BoundSource.CONTACT_ID)
                .security("bearerAuth")
                .requiresConfirmation()
                .channels(ChannelId.WEB)
                .build();
    }

    @Test
    void builder_gives_the_http_shape_and_settings() {
        Action action = cancelOrder();

        assertThat(action.method()).isEqualTo(HttpMethod.POST);
        assertThat(action.pathTemplate()).isEqualTo("/orders/{id}/cancel");
        assertThat(action.baseUrl()).contains("https://shop.example.com/api");
        assertThat(action.parameters())
                .extracting(ActionParameter::name)
                .containsExactly("id", "X-Customer-Id", "reason", "note");
        assertThat(action.parameter("X-Customer-Id").orElseThrow().contactBound())
                .contains(BoundSource.CONTACT_ID);
        assertThat(action.requestContentType()).contains("application/json");
        assertThat(action.requestBodySchema().orElseThrow().path("properties").has("reason"))
                .isTrue();
        assertThat(action.securityRequirements()).containsExactly("bearerAuth");
        assertThat(action.requiresConfirmation()).isTrue();
        assertThat(action.idempotent()).isFalse();
        assertThat(action.settings().allowsChannel(ChannelId.WEB)).isTrue();
        assertThat(action.settings().allowsChannel(ChannelId.SMS)).isFalse();
    }

    @Test
    void arguments_schema_has_every_parameter_and_the_model_schema_not_the_contact_bound_ones() {
        Action action = cancelOrder();

        ObjectNode all = action.argumentsSchema();
        assertThat(all.path("properties").fieldNames())
                .toIterable()
                .containsExactly("id", "X-Customer-Id", "reason", "note");
        assertThat(all.path("required").toString()).isEqualTo("[\"id\",\"X-Customer-Id\",\"reason\"]");
        assertThat(all.path("additionalProperties").asBoolean(true)).isFalse();
        assertThat(all.at("/properties/id/description").asText()).isEqualTo("The order number");

        ObjectNode model = action.modelArgumentsSchema();
        assertThat(model.path("properties").has("X-Customer-Id")).isFalse();
        assertThat(model.path("required").toString()).isEqualTo("[\"id\",\"reason\"]");
    }

    @Test
    void tool_specification_never_offers_contact_bound_parameters() {
        ToolSpecification tool = cancelOrder().toToolSpecification();

        assertThat(tool.name()).isEqualTo("cancel_order");
        assertThat(tool.description()).isEqualTo("Cancels an order that has not shipped yet");
        JsonObjectSchema parameters = tool.parameters();
        assertThat(parameters.properties()).containsOnlyKeys("id", "reason", "note");
        assertThat(parameters.required()).containsExactly("id", "reason");
        assertThat(parameters.properties().get("id")).isInstanceOf(JsonStringSchema.class);
        assertThat(((JsonEnumSchema) parameters.properties().get("reason")).enumValues())
                .containsExactly("damaged", "late", "other");
    }

    @Test
    void tool_schema_maps_arrays_nested_objects_alternatives_formats_and_keeps_the_rest_raw() {
        Action action = Action.builder("search")
                .get("/search")
                .queryParam("ids", JsonSchemas.arrayOf(JsonSchemas.integer()), false, "Ids")
                .queryParam("since", JsonSchemas.string("date-time"), false, "Since")
                .queryParam(
                        "filter",
                        JsonSchemas.parse(
                                "{\"type\":\"object\",\"properties\":{\"q\":{\"type\":\"string\"}},\"required\":[\"q\"]}"),
                        false,
                        "")
                .queryParam(
                        "key",
                        JsonSchemas.parse("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"integer\"}]}"),
                        false,
                        "")
                .queryParam("anything", JsonSchemas.parse("{}"), false, "")
                .queryParam("maybe", JsonSchemas.parse("{\"type\":[\"integer\",\"null\"]}"), false, "")
                .build();

        JsonObjectSchema parameters = action.toToolSpecification().parameters();

        assertThat(((JsonArraySchema) parameters.properties().get("ids")).items())
                .isInstanceOf(JsonIntegerSchema.class);
        assertThat(((JsonStringSchema) parameters.properties().get("since")).description())
                .isEqualTo("Since (format: date-time)");
        assertThat(((JsonObjectSchema) parameters.properties().get("filter")).required())
                .containsExactly("q");
        assertThat(((JsonAnyOfSchema) parameters.properties().get("key")).anyOf())
                .hasSize(2);
        assertThat(parameters.properties().get("anything")).isInstanceOf(JsonRawSchema.class);
        assertThat(parameters.properties().get("maybe")).isInstanceOf(JsonIntegerSchema.class);
        assertThat(action.idempotent()).isTrue();
    }

    @Test
    void build_fails_fast_naming_the_bad_value() {
        assertThatThrownBy(() -> Action.builder("cancel order"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'cancel order'");
        assertThatThrownBy(() -> Action.builder("a").build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no method");
        assertThatThrownBy(() -> Action.builder("a").get("/orders/{id}").build())
                .hasMessageContaining("{id}");
        assertThatThrownBy(() ->
                        Action.builder("a").get("/orders").pathParam("id", "").build())
                .hasMessageContaining("'id'")
                .hasMessageContaining("not in the path template");
        assertThatThrownBy(() -> Action.builder("a")
                        .get("/orders/{id}")
                        .pathParam("id", "")
                        .queryParam("id", JsonSchemas.string(), false, "")
                        .build())
                .hasMessageContaining("'id'")
                .hasMessageContaining("twice");
        assertThatThrownBy(() -> Action.builder("a")
                        .get("/orders")
                        .contactBound("customer_id", BoundSource.CONTACT_ID)
                        .build())
                .hasMessageContaining("'customer_id'");
        assertThatThrownBy(() -> Action.builder("a").get("orders")).hasMessageContaining("'orders'");
        assertThatThrownBy(() -> BoundSource.of("contact.password")).hasMessageContaining("'contact.password'");
        assertThatThrownBy(
                        () -> ActionSettings.builder().hidden(true).pinned(true).build())
                .hasMessageContaining("hidden and pinned");
        assertThatThrownBy(() -> ActionParameter.of("id", ParameterLocation.PATH, false, JsonSchemas.string(), ""))
                .hasMessageContaining("'id'");
    }

    @Test
    void registry_filters_by_channel_segment_visibility_and_rejects_duplicate_names() {
        Action web = cancelOrder();
        Action hidden = Action.builder("audit").get("/audit").hidden().build();
        Action vip = Action.builder("refund")
                .post("/refunds")
                .segments("vip")
                .pinned()
                .build();
        ActionRegistry registry = ActionRegistry.of(web, hidden, vip);

        assertThat(registry.names()).containsExactly("cancel_order", "audit", "refund");
        assertThat(registry.forChannel(ChannelId.SMS).names()).containsExactly("audit", "refund");
        assertThat(registry.visible().names()).containsExactly("cancel_order", "refund");
        assertThat(registry.pinned().names()).containsExactly("refund");
        assertThat(registry.forSegments(List.of("standard")).names()).containsExactly("cancel_order", "audit");
        assertThat(registry.visible().toolSpecifications())
                .extracting(ToolSpecification::name)
                .containsExactly("cancel_order", "refund");
        assertThat(registry.get("audit")).contains(hidden);
        assertThat(registry.report()).isEqualTo(ImportReport.none());
        assertThatThrownBy(() -> ActionRegistry.of(web, web)).hasMessageContaining("'cancel_order'");
    }

    @Test
    void schemas_handed_out_are_copies() {
        Action action = cancelOrder();
        action.argumentsSchema().putObject("properties").put("x", 1);
        action.parameters().get(0).schema().put("type", "integer");

        assertThat(action.argumentsSchema().at("/properties/id/type").asText()).isEqualTo("string");
    }
}
