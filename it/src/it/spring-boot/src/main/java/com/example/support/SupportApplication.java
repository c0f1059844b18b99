package com.example.support;

import dev.opencx.OpenCx;
import dev.opencx.channel.api.ApiChannel;
import dev.opencx.helpcenter.Article;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.nio.file.Path;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** A Boot application with OpenCX's embedded default as beans (no OpenCX auto-configuration: plain beans). */
@SpringBootApplication
public class SupportApplication {

    public static void main(String[] args) {
        SpringApplication.run(SupportApplication.class, args);
    }

    @Bean(destroyMethod = "close")
    JdbcConversationStore conversationStore(@Value("${support.data}") Path data) {
        return JdbcConversationStore.sqlite(data.resolve("conversations"));
    }

    @Bean(destroyMethod = "close")
    MiniLmEmbeddingModel embeddingModel() {
        return MiniLmEmbeddingModel.builder().build();
    }

    @Bean(destroyMethod = "close")
    LuceneKnowledgeStore knowledge(@Value("${support.data}") Path data, MiniLmEmbeddingModel embeddings) {
        LuceneKnowledgeStore knowledge = LuceneKnowledgeStore.builder()
                .directory(data.resolve("index"))
                .embeddingModel(embeddings)
                .build();
        new HelpCenter(knowledge)
                .save(new Article(
                        "returns",
                        "en",
                        "Our return policy",
                        "You have 30 days to return any item, free of charge, in its original condition.",
                        BodyFormat.MARKDOWN,
                        "",
                        "https://shop.example/help/returns",
                        Article.Status.PUBLISHED));
        return knowledge;
    }

    @Bean
    ApiChannel apiChannel() {
        return ApiChannel.create();
    }

    @Bean(destroyMethod = "close")
    OpenCx openCx(
            JdbcConversationStore store,
            LuceneKnowledgeStore knowledge,
            MiniLmEmbeddingModel embeddings,
            ApiChannel api) {
        return OpenCx.builder()
                .store(store)
                .knowledge(knowledge)
                .embeddingModel(embeddings)
                .channel(api)
                .helpdesk(InboxHelpdesk.builder().store(store).build())
                .build();
    }
}
