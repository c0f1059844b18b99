package dev.opencx.knowledge.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.ScoredPassage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** On StackFAQ dev queries, hybrid retrieval beats BM25 alone and reaches the release targets. */
class HybridRetrievalQualityTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void hybrid_beats_bm25_on_stackfaq_dev() throws IOException {
        Path articles = Datasets.require("stackfaq/articles.jsonl");
        Path queries = Datasets.require("stackfaq/queries_dev.jsonl");
        List<KnowledgeDocument> docs = new ArrayList<>();
        for (JsonNode a : jsonl(articles)) {
            docs.add(new KnowledgeDocument(
                    a.get("id").asText(),
                    a.get("title").asText(),
                    a.get("body").asText(),
                    BodyFormat.PLAIN,
                    "",
                    "en",
                    "",
                    Map.of()));
        }
        try (LuceneKnowledgeStore store =
                LuceneKnowledgeStore.builder().embeddingModel(Models.miniLm()).build()) {
            store.upsertAll(docs);
            double[] bm25 = evaluate(store, queries, RetrievalMode.BM25);
            double[] hybrid = evaluate(store, queries, RetrievalMode.HYBRID);
            System.out.printf(
                    "StackFAQ dev: BM25 P@1 %.3f nDCG@10 %.3f; hybrid P@1 %.3f nDCG@10 %.3f%n",
                    bm25[0], bm25[1], hybrid[0], hybrid[1]);
            assertThat(hybrid[0]).as("hybrid P@1 vs BM25").isGreaterThan(bm25[0]);
            assertThat(hybrid[1]).as("hybrid nDCG@10 vs BM25").isGreaterThan(bm25[1]);
            assertThat(hybrid[0]).as("hybrid P@1").isGreaterThanOrEqualTo(0.80);
            assertThat(hybrid[1]).as("hybrid nDCG@10").isGreaterThanOrEqualTo(0.88);
        }
    }

    /** P@1 and nDCG@10 at document level. */
    private static double[] evaluate(LuceneKnowledgeStore store, Path queries, RetrievalMode mode) throws IOException {
        double p1 = 0;
        double ndcg = 0;
        int n = 0;
        for (JsonNode q : jsonl(queries)) {
            Set<String> relevant = new HashSet<>();
            q.get("relevant_article_ids").forEach(r -> relevant.add(r.asText()));
            List<ScoredPassage> hits =
                    store.search(new KnowledgeQuery(q.get("text").asText(), "en", 10, true), mode);
            List<String> ids = hits.stream().map(h -> h.passage().documentId()).toList();
            n++;
            p1 += !ids.isEmpty() && relevant.contains(ids.get(0)) ? 1 : 0;
            double dcg = 0;
            double ideal = 0;
            for (int i = 0; i < 10; i++) {
                if (i < ids.size() && relevant.contains(ids.get(i))) {
                    dcg += 1 / (Math.log(i + 2) / Math.log(2));
                }
                if (i < relevant.size()) {
                    ideal += 1 / (Math.log(i + 2) / Math.log(2));
                }
            }
            ndcg += dcg / ideal;
        }
        return new double[] {p1 / n, ndcg / n};
    }

    private static List<JsonNode> jsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(JSON.readTree(line));
            }
        }
        return out;
    }
}
