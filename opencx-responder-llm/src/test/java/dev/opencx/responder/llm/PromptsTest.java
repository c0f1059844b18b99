package dev.opencx.responder.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.message.ChatMessage;
import dev.opencx.channel.ChannelCapabilities;
import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Message;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptsTest {

    private static Message m(Author author, String text) {
        return new Message(
                "id-" + text.hashCode(),
                author,
                author == Author.AGENT ? "maria" : "",
                text,
                List.of(),
                "",
                Instant.EPOCH);
    }

    @Test
    void estimates_a_token_per_four_characters_plus_four_per_message() {
        assertThat(Prompts.estimateTokens("")).isEqualTo(4);
        assertThat(Prompts.estimateTokens("abcd")).isEqualTo(5);
        assertThat(Prompts.estimateTokens("abcde")).isEqualTo(6);
    }

    @Test
    void keeps_the_newest_history_that_fits_the_budget_and_never_starts_with_the_assistant() {
        List<Message> history = List.of(
                m(Author.CUSTOMER, "a".repeat(400)), // 104 tokens
                m(Author.AI, "b".repeat(40)), // 14
                m(Author.CUSTOMER, "c".repeat(40)), // 14
                m(Author.SYSTEM, "handoff notice"),
                m(Author.AGENT, "d".repeat(40))); // 14
        List<ChatMessage> all = Prompts.history(history, 1000);
        assertThat(all)
                .extracting(x -> x.getClass().getSimpleName())
                .containsExactly("UserMessage", "AiMessage", "UserMessage", "AiMessage");
        assertThat(all.get(3).toString()).contains("[human agent maria]");

        List<ChatMessage> trimmed = Prompts.history(history, 50);
        // the 400-character message does not fit; the AI reply before the first customer message is dropped too
        assertThat(trimmed).extracting(x -> x.getClass().getSimpleName()).containsExactly("UserMessage", "AiMessage");
        assertThat(Prompts.history(history, 0)).isEmpty();
    }

    @Test
    void describes_the_channels_format_limits() {
        assertThat(Prompts.format(ChannelCapabilities.plainText(), ChannelId.PHONE))
                .contains("spoken aloud");
        assertThat(Prompts.format(ChannelCapabilities.plainText(), ChannelId.SMS))
                .contains("SMS: plain text only");
        assertThat(Prompts.format(ChannelCapabilities.plainText(), ChannelId.EMAIL))
                .contains("plain text only: no Markdown")
                .contains("at most 4000 characters");
        assertThat(Prompts.format(ChannelCapabilities.rich(), ChannelId.WEB)).contains("renders Markdown");
    }

    @Test
    void clips_long_answers_at_a_sentence_end() {
        assertThat(LlmResponder.clipToSentence("Sentence one is here. Two more words.", 25))
                .isEqualTo("Sentence one is here.");
        assertThat(LlmResponder.clipToSentence("Onetwothreefourfivesixseven", 10))
                .isEqualTo("Onetwothr…");
    }
}
