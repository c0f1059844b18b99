package dev.opencx.bench;

import dev.opencx.knowledge.CachingEmbeddingModel;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.lucene.LuceneKnowledgeStore;
import dev.opencx.knowledge.lucene.MiniLmEmbeddingModel;
import dev.opencx.knowledge.lucene.RetrievalMode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * CPU cost of one knowledge search on the pipeline benchmark's index, per retrieval mode: the
 * questions are embedded first (cached), so the figures are the search alone, measured with the
 * calling thread's CPU time. Prints one JSON line.
 *
 * <pre>
 * java -cp benchmarks/target/opencx-benchmarks.jar dev.opencx.bench.SearchCost \
 *     --index-dir /work/bench-run/index [--queries 600] [--warmup 400] [--candidates 50] [--modes hybrid,bm25,vector]
 * </pre>
 */
public final class SearchCost {

    private SearchCost() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            o.put(args[i].substring(2), args[++i]);
        }
        if (!o.containsKey("index-dir")) {
            throw new IllegalArgumentException("--index-dir is required (build it with PipelineLoad --index-only)");
        }
        int queries = Integer.parseInt(o.getOrDefault("queries", "600"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "400"));
        List<String> questions = HelpCenterGenerator.questions(queries + warmup, 7);
        CachingEmbeddingModel model =
                CachingEmbeddingModel.wrap(MiniLmEmbeddingModel.builder().build(), 4096);
        LuceneKnowledgeStore.Builder kb = LuceneKnowledgeStore.builder()
                .directory(Path.of(o.get("index-dir")))
                .embeddingModel(model);
        if (o.containsKey("candidates")) {
            kb.candidates(Integer.parseInt(o.get("candidates")));
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Object> result = new LinkedHashMap<>();
        try (LuceneKnowledgeStore store = kb.build()) {
            System.err.printf("embedding %d questions ...%n", questions.size());
            questions.forEach(q -> model.embed(q));
            List<RetrievalMode> modes = o.containsKey("modes")
                    ? Stream.of(o.get("modes").split(","))
                            .map(m -> RetrievalMode.valueOf(m.strip().toUpperCase(Locale.ROOT)))
                            .toList()
                    : List.of(RetrievalMode.values());
            for (RetrievalMode mode : modes) {
                for (int i = 0; i < warmup; i++) {
                    store.search(query(questions.get(queries + i)), mode);
                }
                long[] micros = new long[queries];
                for (int i = 0; i < queries; i++) {
                    long c0 = mx.getCurrentThreadCpuTime();
                    store.search(query(questions.get(i)), mode);
                    micros[i] = (mx.getCurrentThreadCpuTime() - c0) / 1_000;
                }
                Arrays.sort(micros);
                long sum = Arrays.stream(micros).sum();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("cpu_us_mean", sum / queries);
                r.put("cpu_us_p50", micros[queries / 2]);
                r.put("cpu_us_p99", micros[(int) (queries * 0.99)]);
                result.put(mode.name().toLowerCase(Locale.ROOT), r);
                System.err.printf("%s: %s%n", mode, r);
            }
        }
        System.out.println(PipelineLoad.json(result));
    }

    private static KnowledgeQuery query(String text) {
        // as the embedded responder asks: document level, its default number of passages (3)
        return new KnowledgeQuery(text, "en", 3, true);
    }
}
