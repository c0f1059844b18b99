package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.opencx.helpcenter.Article;
import dev.opencx.helpcenter.ArticleFiles;
import dev.opencx.helpcenter.HelpCenter;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The articles an evaluation indexes: StackFAQ-style JSONL ({@code --articles}) or a help-center
 * folder of markdown articles with front matter ({@code --helpcenter}, document ids {@code
 * article:<id>:<locale>}, indexed through {@link HelpCenter} exactly as an application does).
 */
final class Corpus {
    private final List<KnowledgeDocument> documents;
    private final List<Article> articles;

    private Corpus(List<KnowledgeDocument> documents, List<Article> articles) {
        this.documents = documents;
        this.articles = articles;
    }

    static Corpus from(Args args, String locale) throws IOException {
        boolean jsonl = args.has("articles");
        boolean folder = args.has("helpcenter");
        if (jsonl == folder) {
            throw new UsageException("give either --articles FILE or --helpcenter DIR");
        }
        if (folder) {
            Path dir = Path.of(args.required("helpcenter"));
            if (!Files.isDirectory(dir)) {
                throw new UsageException("--helpcenter " + dir + " is not a folder");
            }
            try {
                return new Corpus(List.of(), ArticleFiles.readAll(dir));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        Path file = args.existingFile("articles");
        List<KnowledgeDocument> docs = new ArrayList<>();
        for (JsonNode a : RetrievalCommand.readJsonl(file)) {
            JsonNode id = a.get("id");
            if (id == null || !id.isTextual()) {
                throw new UsageException(file + ": an article has no text field \"id\"");
            }
            docs.add(new KnowledgeDocument(
                    id.asText(),
                    a.path("title").asText(""),
                    a.path("body").asText(""),
                    BodyFormat.PLAIN,
                    "",
                    locale,
                    "",
                    Map.of()));
        }
        return new Corpus(docs, List.of());
    }

    /** Indexes everything into the store. */
    void index(KnowledgeStore store) {
        if (!articles.isEmpty()) {
            new HelpCenter(store).saveAll(articles);
        } else {
            store.upsertAll(documents);
        }
    }

    int size() {
        return articles.isEmpty()
                ? documents.size()
                : (int) articles.stream()
                        .filter(a -> a.status() == Article.Status.PUBLISHED)
                        .count();
    }
}
