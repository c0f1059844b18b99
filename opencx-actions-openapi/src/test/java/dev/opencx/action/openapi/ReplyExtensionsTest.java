package dev.opencx.action.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.action.Action;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.ImportReport;
import org.junit.jupiter.api.Test;

/** The extensions of the embedded path (example utterances, reply template) and x-opencx-idempotency-key. */
class ReplyExtensionsTest {
    private static final String SPEC =
            """
            openapi: 3.0.3
            info: {title: Orders, version: "1"}
            servers: [{url: "https://shop.example.com/api"}]
            paths:
              /orders/{order_id}:
                get:
                  operationId: getOrder
                  summary: Status of an order
                  x-opencx-examples: ["where is my order", "track my package"]
                  x-opencx-reply-template: "Order {order_id} is {/status}."
                  x-opencx-idempotency-key: true
                  parameters:
                    - {name: order_id, in: path, required: true, schema: {type: string}}
                  responses: {"200": {description: ok}}
              /orders/{order_id}/cancel:
                post:
                  operationId: cancelOrder
                  x-opencx-reply-template: "Order {id} is cancelled."
                  parameters:
                    - {name: order_id, in: path, required: true, schema: {type: string}}
                  responses: {"200": {description: ok}}
              /orders:
                get:
                  operationId: listOrders
                  x-opencx-examples: "my orders"
                  x-opencx-reply-template: 42
                  responses: {"200": {description: ok}}
            """;

    @Test
    void examples_and_templates_reach_the_settings_and_a_bad_one_skips_only_its_operation() {
        ActionRegistry registry = OpenApiImporter.defaults().importString(SPEC);

        Action get = registry.get("getOrder").orElseThrow();
        assertThat(get.settings().examples()).containsExactly("where is my order", "track my package");
        assertThat(get.settings().replyTemplate()).isEqualTo("Order {order_id} is {/status}.");
        assertThat(get.settings().acceptsIdempotencyKey()).isTrue();
        assertThat(registry.names()).containsExactly("getOrder");
        assertThat(registry.report().skipped().toString())
                .contains("cancelOrder", "{id}", "not a parameter")
                .contains("listOrders", "x-opencx-reply-template must be a string");
        assertThat(registry.report().skipped())
                .extracting(ImportReport.Skipped::category)
                .containsOnly(ImportReport.SkipCategory.INVALID_EXTENSION);
    }
}
