package dev.opencx.action;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arguments are checked against the schema's constraints before any request is built. */
class ArgumentValidatorTest {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private static List<String> problems(JsonNode value, String schema) {
        List<String> problems = new ArrayList<>();
        ArgumentValidator.validate("x", value, JsonSchemas.parse(schema), problems);
        return problems;
    }

    @Test
    void numbers_respect_minimum_and_maximum_in_the_3_0_and_3_1_forms() {
        assertThat(problems(F.numberNode(0), "{\"type\":\"integer\",\"minimum\":1}"))
                .containsExactly("x must be at least 1, was 0");
        assertThat(problems(F.numberNode(11), "{\"type\":\"integer\",\"maximum\":10}"))
                .containsExactly("x must be at most 10, was 11");
        assertThat(problems(F.numberNode(1), "{\"type\":\"number\",\"minimum\":1,\"exclusiveMinimum\":true}"))
                .containsExactly("x must be more than 1, was 1");
        assertThat(problems(F.numberNode(10), "{\"type\":\"number\",\"exclusiveMaximum\":10}"))
                .containsExactly("x must be less than 10, was 10");
        assertThat(problems(F.numberNode(5), "{\"type\":\"integer\",\"minimum\":1,\"maximum\":10}"))
                .isEmpty();
    }

    @Test
    void strings_respect_length_pattern_and_format() {
        assertThat(problems(F.textNode("../admin"), "{\"type\":\"string\",\"pattern\":\"^[0-9]{4,6}$\"}"))
                .containsExactly("x must match ^[0-9]{4,6}$");
        assertThat(problems(F.textNode("ab"), "{\"type\":\"string\",\"minLength\":3}"))
                .containsExactly("x must be at least 3 characters, was 2");
        assertThat(problems(F.textNode("abcd"), "{\"type\":\"string\",\"maxLength\":3}"))
                .containsExactly("x must be at most 3 characters, was 4");
        assertThat(problems(F.textNode("not-an-email"), "{\"type\":\"string\",\"format\":\"email\"}"))
                .containsExactly("x must be a valid email");
        assertThat(problems(F.textNode("2026-02-30"), "{\"type\":\"string\",\"format\":\"date\"}"))
                .containsExactly("x must be a valid date");
        assertThat(problems(F.textNode("2026-11-22T10:00:00Z"), "{\"type\":\"string\",\"format\":\"date-time\"}"))
                .isEmpty();
        assertThat(problems(F.textNode("anything"), "{\"type\":\"string\",\"pattern\":\"(?<=\\\\p{Unknown})\"}"))
                .as("a pattern Java cannot read is left to the API")
                .isEmpty();
    }

    @Test
    void arrays_respect_their_item_counts() {
        assertThat(problems(F.arrayNode(), "{\"type\":\"array\",\"minItems\":1}"))
                .containsExactly("x must have at least 1 items, had 0");
        assertThat(problems(F.arrayNode().add(1).add(2), "{\"type\":\"array\",\"maxItems\":1}"))
                .containsExactly("x must have at most 1 items, had 2");
    }
}
