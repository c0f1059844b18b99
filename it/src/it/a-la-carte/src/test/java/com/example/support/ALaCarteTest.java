package com.example.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.opencx.OpenCx;
import dev.opencx.channel.OutboundMessage;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.conversation.Identity;
import dev.opencx.helpcenter.Article;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.store.InMemoryConversationStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** core + opencx-knowledge-lucene + opencx-helpdesk-inbox, nothing else of ours: an answer from the help center. */
class ALaCarteTest {

    @Test
    void answers_from_the_help_center_with_core_lucene_and_the_inbox(@TempDir Path data) throws Exception {
        List<OutboundMessage> replies = new CopyOnWriteArrayList<>();
        InMemoryConversationStore store = new InMemoryConversationStore();
        try (MiniLmEmbeddingModel embeddings = MiniLmEmbeddingModel.builder().build();
                LuceneKnowledgeStore knowledge = LuceneKnowledgeStore.builder()
                        .directory(data.resolve("index"))
                        .embeddingModel(embeddings)
                        .build()) {
            new HelpCenter(knowledge)
                    .save(new Article(
                            "shipping",
                            "en",
                            "Shipping times",
                            "Orders ship within two business days and arrive in three to five days.",
                            BodyFormat.MARKDOWN,
                            "",
                            "https://shop.example/help/shipping",
                            Article.Status.PUBLISHED));
            ApiChannel api = ApiChannel.create();
            api.onReply(replies::add);
            try (OpenCx cx = OpenCx.builder()
                    .store(store)
                    .channel(api)
                    .knowledge(knowledge)
                    .embeddingModel(embeddings)
                    .helpdesk(InboxHelpdesk.builder().store(store).build())
                    .build()) {
                api.receive(Identity.email("ana@example.com"), "How long does shipping take?")
                        .join();
                cx.awaitIdle(Duration.ofSeconds(30));
            }
        }
        System.out.println("replies: " + replies);
        assertEquals(1, replies.size(), replies.toString());
        assertTrue(
                replies.get(0).text().contains("two business days"),
                replies.get(0).text());
        assertEquals(
                "https://shop.example/help/shipping",
                replies.get(0).sources().get(0).url());
    }
}
