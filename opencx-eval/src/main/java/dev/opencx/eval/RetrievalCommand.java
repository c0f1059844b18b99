package dev.opencx.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.ScoredPassage;
import dev.opencx.knowledge.lucene.Fusion;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.RetrievalMode;
import dev.opencx.spi.Languages;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code retrieval}: indexes help-center articles with {@link LuceneKnowledgeStore} and measures
 * document retrieval on queries with known relevant articles (the StackFAQ JSONL format).
 */
final class RetrievalCommand implements Command {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "retrieval";
    }

    @Override
    public String summary() {
        return "article retrieval quality and latency of LuceneKnowledgeStore (StackFAQ format)";
    }

    @Override
    public String usage() {
        return """
                  --articles FILE       JSONL, one {"id","title","body"} a line
                  --helpcenter DIR      or: a folder of markdown articles with front matter
                  --queries FILE        JSONL, one {"id","text","relevant_article_ids"} a line (required)
                  --index-dir DIR       keep the index in DIR (reused when it exists); default in memory
                  --mode MODE           hybrid|bm25|vector (default hybrid)
                  --fusion F            score|rrf (default: the store's default)
                  --vector-weight W     0..1 (default: the store's default)
                  --candidates N        candidates each retriever collects (default: the store's default)
                  --locale TAG          locale of JSONL articles (default en); queries are searched in
                                        the language OpenCX guesses for them, as in a conversation
                  --show-misses         print each query whose top result is not relevant (stderr)
                """;
    }

    @Override
    public Set<String> valueOptions() {
        return Set.of(
                "articles",
                "helpcenter",
                "queries",
                "index-dir",
                "mode",
                "fusion",
                "vector-weight",
                "candidates",
                "locale");
    }

    @Override
    public Set<String> flagOptions() {
        return Set.of("show-misses");
    }

    @Override
    public int run(Args args, PrintStream out, PrintStream err) throws IOException {
        Path queriesFile = args.existingFile("queries");
        RetrievalMode mode = args.choice("mode", RetrievalMode.class, RetrievalMode.HYBRID);
        String locale = args.get("locale", "en");
        LuceneKnowledgeStore.Builder builder = LuceneKnowledgeStore.builder().retrievalMode(mode);
        if (args.has("index-dir")) {
            builder.directory(Path.of(args.required("index-dir")));
        }
        if (mode == RetrievalMode.BM25) {
            builder.withoutEmbeddings();
        }
        if (args.has("fusion")) {
            builder.fusion(args.choice("fusion", Fusion.class, Fusion.SCORE));
        }
        if (args.has("candidates")) {
            builder.candidates((int) args.number("candidates", 100, 1, 10_000));
        }
        if (args.has("vector-weight")) {
            builder.vectorWeight(args.number("vector-weight", 0.5, 0, 1));
        }

        Corpus articles = Corpus.from(args, locale);
        List<JsonNode> queries = readJsonl(queriesFile);
        err.printf("retrieval: %d articles, %d queries, mode %s%n", articles.size(), queries.size(), mode);

        long t0 = System.nanoTime();
        try (LuceneKnowledgeStore store = builder.build()) {
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            articles.index(store);
            double indexSeconds = (System.nanoTime() - t1) / 1e9;
            err.printf(
                    "retrieval: store opened in %.1f s, %d articles indexed in %.1f s%n",
                    loadSeconds, store.documentCount(), indexSeconds);
            store.search(new KnowledgeQuery("warm up the search path", locale, 10, true)); // JIT, not measured

            RetrievalMetrics metrics = new RetrievalMetrics();
            for (JsonNode q : queries) {
                Set<String> relevant = new HashSet<>();
                q.path("relevant_article_ids").forEach(r -> relevant.add(r.asText()));
                if (relevant.isEmpty()) {
                    continue;
                }
                long s = System.nanoTime();
                List<ScoredPassage> hits =
                        store.search(new KnowledgeQuery(text(q, "text", queriesFile), queryLocale(q), 10, true));
                double ms = (System.nanoTime() - s) / 1e6;
                metrics.add(hits.stream().map(h -> h.passage().documentId()).toList(), relevant, ms);
                if (args.has("show-misses")
                        && (hits.isEmpty()
                                || !relevant.contains(hits.get(0).passage().documentId()))) {
                    err.printf(
                            "miss: %s | got %s | want %s%n",
                            q.path("text").asText(),
                            hits.stream()
                                    .limit(3)
                                    .map(h -> h.passage().documentId()
                                            + String.format(java.util.Locale.ROOT, "(%.2f)", h.score()))
                                    .toList(),
                            relevant);
                }
                if (metrics.queries() % 100 == 0) {
                    err.printf("retrieval: %d queries, P@1 so far %.3f%n", metrics.queries(), metrics.pAt1());
                }
            }
            ObjectNode result = JSON.createObjectNode();
            result.put("command", name());
            result.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
            result.put("queries", metrics.queries());
            result.put("articles", articles.size());
            result.put("p_at_1", round(metrics.pAt1()));
            result.put("mrr_at_10", round(metrics.mrrAt10()));
            result.put("ndcg_at_10", round(metrics.ndcgAt10()));
            result.put("recall_at_5", round(metrics.recallAt5()));
            result.put("latency_ms_p50", round(metrics.latencyMs(0.50)));
            result.put("latency_ms_p99", round(metrics.latencyMs(0.99)));
            result.put("index_seconds", round(indexSeconds));
            result.put("load_seconds", round(loadSeconds));
            out.println(JSON.writeValueAsString(result));
        }
        return 0;
    }

    /** The query's {@code locale} field, else the language the pipeline would guess ("" when unsure). */
    static String queryLocale(JsonNode q) {
        return q.hasNonNull("locale")
                ? q.get("locale").asText()
                : Languages.guess(q.path("text").asText()).orElse("");
    }

    private static double round(double d) {
        return Math.round(d * 10000) / 10000.0;
    }

    private static String text(JsonNode node, String field, Path file) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new UsageException(file + ": a line has no text field \"" + field + "\"");
        }
        return v.asText();
    }

    static List<JsonNode> readJsonl(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    out.add(JSON.readTree(line));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new UsageException(file + " line " + n + " is not JSON: " + e.getOriginalMessage());
                }
            }
        }
        return out;
    }
}
