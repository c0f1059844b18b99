package dev.opencx.action.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.agent.tool.ToolSpecification;
import dev.opencx.action.Action;
import dev.opencx.action.ActionRegistry;
import dev.opencx.action.BoundSource;
import dev.opencx.action.ImportReport;
import dev.opencx.action.JsonSchemas;
import dev.opencx.conversation.ChannelId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The snippets of this module's README.md, run. Each Java block of the README must appear verbatim
 * between the {@code // README:begin} and {@code // README:end} markers of this file, and the YAML
 * block is imported as it stands.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("README.md");
    private static final Path SELF = Path.of("src/test/java/dev/opencx/action/openapi/ReadmeSnippetsTest.java");

    @Test
    void import_snippet() {
        Path spec = OpenApiImporterTest.resource("nasty.yaml");
        // README:begin
        ActionRegistry actions = OpenApiImporter.builder()
                .serverVariable("tenant", "acme")
                .build()
                .importFile(spec);

        for (ImportReport.Skipped skipped : actions.report().skipped()) {
            // e.g. POST /upload (uploadFile): the request body is multipart/form-data (file uploads), ...
            System.out.println("skipped " + skipped);
        }
        List<ToolSpecification> tools =
                actions.forChannel(ChannelId.WEB).visible().toolSpecifications();
        // README:end

        assertThat(tools).extracting(ToolSpecification::name).contains("createTree", "bulkTag");
        assertThat(actions.report().skipped().toString())
                .contains("POST /upload (uploadFile): the request body is multipart/form-data");
    }

    @Test
    void builder_snippet() {
        // README:begin
        Action cancel = Action.builder("cancel_order")
                .description("Cancels an order that has not shipped yet")
                .post("/orders/{id}/cancel")
                .baseUrl("https://shop.example.com/api")
                .pathParam("id", "The order number")
                .bodyProperty("reason", JsonSchemas.enumOf("damaged", "late", "other"), true, "Why")
                .queryParam("customer_id", JsonSchemas.string(), true, "The customer")
                .contactBound("customer_id", BoundSource.CONTACT_ID)
                .requiresConfirmation()
                .build();
        ToolSpecification tool = cancel.toToolSpecification(); // id and reason, never customer_id
        // README:end

        assertThat(tool.parameters().properties()).containsOnlyKeys("id", "reason");
        assertThat(cancel.argumentsSchema().path("properties").has("customer_id"))
                .isTrue();
    }

    @Test
    void extension_example_imports_as_documented() throws IOException {
        List<String> yaml = blocks(Files.readString(README), "yaml");
        assertThat(yaml).hasSize(1);
        String document = "openapi: 3.0.3\ninfo: {title: readme, version: '1'}\n" + yaml.get(0);

        Action list = OpenApiImporter.defaults()
                .importString(document)
                .get("listOrders")
                .orElseThrow();

        assertThat(list.settings().channels()).containsExactlyInAnyOrder(ChannelId.WEB, ChannelId.WHATSAPP);
        assertThat(list.requiresConfirmation()).isFalse();
        assertThat(list.parameter("customer_id").orElseThrow().contactBound()).contains(BoundSource.CONTACT_ID);
        assertThat(list.toToolSpecification().parameters().properties()).isEmpty();
    }

    @Test
    void readme_java_blocks_are_the_snippets_run_here() throws IOException {
        List<String> inReadme = blocks(Files.readString(README), "java");
        List<String> here = new ArrayList<>();
        Matcher matcher = Pattern.compile("// README:begin\\n(.*?)\\n\\s*// README:end", Pattern.DOTALL)
                .matcher(Files.readString(SELF));
        while (matcher.find()) {
            here.add(dedent(matcher.group(1)));
        }

        assertThat(here).containsExactlyElementsOf(inReadme);
    }

    private static List<String> blocks(String markdown, String language) {
        List<String> blocks = new ArrayList<>();
        Matcher matcher = Pattern.compile("```" + language + "\\n(.*?)\\n```", Pattern.DOTALL)
                .matcher(markdown);
        while (matcher.find()) {
            blocks.add(matcher.group(1).strip());
        }
        return blocks;
    }

    private static String dedent(String code) {
        String[] lines = code.split("\n", -1);
        int indent = Integer.MAX_VALUE;
        for (String line : lines) {
            if (!line.isBlank()) {
                indent = Math.min(indent, line.length() - line.stripLeading().length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            out.append(line.isBlank() ? "" : line.substring(indent)).append('\n');
        }
        return out.toString().strip();
    }
}
