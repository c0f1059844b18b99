package dev.opencx.responder.llm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AnswerStreamExtractorTest {

    private static String feedAll(String text, int chunk) {
        AnswerStreamExtractor x = new AnswerStreamExtractor();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i += chunk) {
            out.append(x.feed(text.substring(i, Math.min(text.length(), i + chunk))));
        }
        return out.toString();
    }

    @Test
    void streams_only_the_answer_field_whatever_the_chunking() {
        String json =
                "{\"answer\": \"Line one\\nsays \\\"hi\\\" \\u00e9t\\u00e9 \\\\ done\", \"citations\": [\"a#0\"]}";
        for (int chunk = 1; chunk <= 12; chunk++) {
            assertThat(feedAll(json, chunk)).as("chunk %d", chunk).isEqualTo("Line one\nsays \"hi\" été \\ done");
        }
    }

    @Test
    void waits_for_the_answer_field_when_other_fields_come_first() {
        assertThat(feedAll("{\"confidence\": 0.9, \"answer\": \"Yes\"}", 4)).isEqualTo("Yes");
    }

    @Test
    void streams_nothing_for_a_reply_that_is_not_json() {
        assertThat(feedAll("The \"answer\": \"no\" is plain text", 3)).isEmpty();
    }
}
