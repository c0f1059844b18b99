package com.example.support;

// --- README "Add OpenCX to your build" snippet starts ---
import dev.opencx.OpenCx;
import dev.opencx.channel.web.RestApiChannel;
import dev.opencx.channel.web.WebChannel;
import dev.opencx.helpcenter.Article;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.helpdesk.inbox.InboxHelpdesk;
import dev.opencx.http.WebServer;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.pii.PiiPolicy;
import dev.opencx.pii.builtin.BuiltInPiiDetectors;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.nio.file.Path;

public final class Support implements AutoCloseable {

    private final JdbcConversationStore store;
    private final MiniLmEmbeddingModel embeddings;
    private final LuceneKnowledgeStore knowledge;
    private final OpenCx cx;
    private final WebServer server;

    public Support(Path data, int port, String widgetSecret, String apiKey) {
        store = JdbcConversationStore.sqlite(data.resolve("conversations")); // crash-safe SQLite file
        embeddings = MiniLmEmbeddingModel.builder().build(); // in-process, offline
        knowledge = LuceneKnowledgeStore.builder()
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
        WebChannel widget = WebChannel.builder().secret(widgetSecret).build();
        RestApiChannel api = RestApiChannel.builder().apiKey(apiKey).build();
        cx = OpenCx.builder()
                .store(store)
                .knowledge(knowledge)
                .embeddingModel(embeddings)
                .pii(BuiltInPiiDetectors.all(), PiiPolicy.defaults()) // [EMAIL_1] before anything is stored
                .channel(widget)
                .channel(api)
                .helpdesk(InboxHelpdesk.builder().store(store).build())
                .build();
        server = WebServer.builder().port(port).mount(widget).mount(api).build().start(); // /widget.js, /api/v1
    }
    // --- README snippet ends ---

    public java.net.URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
        cx.close();
        knowledge.close();
        store.close();
        embeddings.close();
    }
}
