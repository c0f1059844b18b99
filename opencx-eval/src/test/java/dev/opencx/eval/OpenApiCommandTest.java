package dev.opencx.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiCommandTest {
    private static final String ORDERS =
            """
            openapi: 3.0.3
            info: {title: Orders, version: '1'}
            servers: [{url: 'https://shop.example/api'}]
            paths:
              /orders/{id}:
                get:
                  operationId: getOrder
                  parameters: [{name: id, in: path, required: true, schema: {type: string}}]
                post:
                  operationId: attachInvoice
                  requestBody:
                    required: true
                    content:
                      multipart/form-data:
                        schema: {type: object, properties: {file: {type: string, format: binary}}}
              /orders:
                $ref: 'paths.yaml#/orders'
            """;
    private static final String PATHS =
            """
            orders:
              get:
                operationId: listOrders
              delete:
                operationId: getOrder
            """;

    @TempDir
    Path dir;

    private final CliRun cli = new CliRun();

    @Test
    void one_spec_reports_operations_imported_and_skipped_by_category() throws IOException {
        Path spec = Files.writeString(dir.resolve("orders.yaml"), ORDERS);
        Files.writeString(dir.resolve("paths.yaml"), PATHS);

        assertThat(cli.run("openapi", "--spec", spec.toString(), "--repeat", "3", "--show-skipped"))
                .as(cli.err())
                .isZero();

        JsonNode result = cli.lastLine();
        assertThat(result.get("command").asText()).isEqualTo("openapi");
        assertThat(result.get("bytes").asLong()).isEqualTo(Files.size(spec));
        assertThat(result.get("operations").asInt()).isEqualTo(4);
        assertThat(result.get("imported").asInt()).isEqualTo(2);
        assertThat(result.get("skipped").asInt()).isEqualTo(2);
        assertThat(result.get("unaccounted").asInt()).isZero();
        assertThat(result.get("skipped_reasons").toString()).isEqualTo("{\"unsupported_body\":1,\"duplicate_name\":1}");
        assertThat(result.get("repeat").asInt()).isEqualTo(3);
        assertThat(result.get("seconds").asDouble())
                .isGreaterThanOrEqualTo(result.get("seconds_fastest").asDouble());
        assertThat(cli.err())
                .contains("skipped unsupported_body")
                .contains("POST /orders/{id} (attachInvoice): the request body is multipart/form-data");
    }

    @Test
    void a_folder_is_walked_fragments_are_ignored_and_failed_specs_are_counted() throws IOException {
        Files.writeString(dir.resolve("orders.yaml"), ORDERS);
        Files.writeString(dir.resolve("paths.yaml"), PATHS);
        Path nested = Files.createDirectories(dir.resolve("more"));
        Files.writeString(
                nested.resolve("pets.json"),
                """
                {"swagger": "2.0", "info": {"title": "Pets", "version": "1"}, "host": "pets.example",
                 "paths": {"/pets": {"get": {"operationId": "listPets"}}}}
                """);
        Files.writeString(nested.resolve("broken.json"), "{\"openapi\": \"3.0.0\", \"paths\": [1, 2]}");
        Files.writeString(nested.resolve("notes.txt"), "not a spec");

        assertThat(cli.run("openapi", "--dir", dir.toString())).as(cli.err()).isZero();

        JsonNode result = cli.lastLine();
        assertThat(result.get("specs").asInt()).isEqualTo(3);
        assertThat(result.get("ignored_files").asInt()).isEqualTo(1);
        assertThat(result.get("failed_specs").asInt()).isEqualTo(1);
        assertThat(result.get("failed").get(0).asText()).contains("broken.json").contains("'paths' must be an object");
        assertThat(result.get("operations").asInt()).isEqualTo(5);
        assertThat(result.get("imported").asInt()).isEqualTo(3);
        assertThat(result.get("skipped").asInt()).isEqualTo(2);
        assertThat(result.get("unaccounted").asInt()).isZero();
        assertThat(result.get("slowest_spec").asText()).matches(".*(orders\\.yaml|pets\\.json)");
        assertThat(result.get("slowest_spec_bytes").asLong()).isPositive();
        assertThat(result.has("slowest_spec_seconds")).isTrue();
        assertThat(cli.err()).contains("FAILED").contains("broken.json");
    }

    @Test
    void bad_options_are_usage_errors() throws IOException {
        assertThat(cli.run("openapi")).isEqualTo(2);
        assertThat(cli.err()).contains("give either --spec FILE or --dir DIR");
        Path spec = Files.writeString(dir.resolve("orders.yaml"), ORDERS);
        assertThat(cli.run("openapi", "--spec", spec.toString(), "--dir", dir.toString()))
                .isEqualTo(2);
        assertThat(cli.run("openapi", "--dir", dir.toString(), "--repeat", "2")).isEqualTo(2);
        assertThat(cli.err()).contains("--repeat goes with --spec");
        assertThat(cli.run("openapi", "--dir", dir.resolve("absent").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--dir: no folder at");
        assertThat(cli.run("openapi", "--spec", dir.resolve("absent.yaml").toString()))
                .isEqualTo(2);
        assertThat(cli.err()).contains("--spec: no readable file at");
    }

    @Test
    void a_spec_that_is_not_openapi_fails_with_the_importer_message() throws IOException {
        Path spec = Files.writeString(dir.resolve("title.yaml"), "title: not an api\n");

        assertThat(cli.run("openapi", "--spec", spec.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("neither an 'openapi' nor a 'swagger' field");
    }
}
