package dev.opencx.examples.quickstart;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.OpenCx;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Identity;
import dev.opencx.helpcenter.Article;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.TrainingScenario;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, compiled and run. Keep the two in sync. */
class ReadmeExampleTest {

    @Test
    void the_readme_example_answers_from_the_help_center(@TempDir Path data) throws Exception {
        List<OutboundMessage> replies = new CopyOnWriteArrayList<>();
        // --- README snippet starts ---
        ConversationStore store = JdbcConversationStore.sqlite(data.resolve("conversations")); // or PostgreSQL
        EmbeddingModel embeddings = MiniLmEmbeddingModel.builder().build(); // in-process
        LuceneKnowledgeStore knowledge = LuceneKnowledgeStore.builder()
                .directory(data.resolve("index"))
                .embeddingModel(embeddings)
                .build();
        HelpCenter helpCenter = new HelpCenter(knowledge);
        helpCenter.save(new Article(
                "returns",
                "en",
                "Our return policy",
                "You have 30 days to return any item, free of charge, in its original condition.",
                BodyFormat.MARKDOWN,
                "",
                "https://shop.example/help/returns",
                Article.Status.PUBLISHED));

        ApiChannel api = ApiChannel.create();
        InboxHelpdesk inbox = InboxHelpdesk.builder().store(store).build();
        try (OpenCx cx = OpenCx.builder()
                .store(store)
                .channel(api)
                .knowledge(knowledge)
                .embeddingModel(embeddings)
                .scenarios(List.of(TrainingScenario.exactAnswer(
                        "canada", "We don't ship to Canada yet.", "Do you ship to Canada?")))
                .helpdesk(inbox)
                .build()) {
            api.onReply(reply -> System.out.println(reply.text() + " " + reply.sources()));
            api.onReply(replies::add); // (not in the README: the test's own check)
            api.receive(Identity.email("ana@example.com"), "How long do I have to return something?")
                    .join();
            cx.awaitIdle(Duration.ofSeconds(10));
        }
        // --- README snippet ends ---
        knowledge.close();
        store.close();

        assertThat(replies).singleElement().satisfies(r -> {
            assertThat(r.text()).contains("30 days");
            assertThat(r.sources()).extracting(c -> c.url()).containsExactly("https://shop.example/help/returns");
        });
    }
}
