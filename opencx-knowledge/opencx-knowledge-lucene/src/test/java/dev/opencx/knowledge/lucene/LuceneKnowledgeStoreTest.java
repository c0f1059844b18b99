package dev.opencx.knowledge.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.OpenCxException;
import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.ScoredPassage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuceneKnowledgeStoreTest {

    @TempDir
    Path dir;

    private static KnowledgeDocument doc(String id, String title, String body) {
        return KnowledgeDocument.of(id, title, body, BodyFormat.MARKDOWN);
    }

    private static KnowledgeDocument doc(String id, String title, String body, String locale) {
        return new KnowledgeDocument(id, title, body, BodyFormat.MARKDOWN, "", locale, "", Map.of());
    }

    private static final List<KnowledgeDocument> DOCS = List.of(
            doc(
                    "returns",
                    "Returns and refunds",
                    "# Refund timing\n\nRefunds reach your card within five business days.\n\n# Exchanges\n\nSwap a size in any store."),
            doc("password", "Reset your password", "Use the Forgot password link on the sign-in page."),
            doc("shipping", "Shipping", "Parcels ship within 24 hours; tracking numbers arrive by email."));

    private LuceneKnowledgeStore.Builder builder(Models.Counting model) {
        return LuceneKnowledgeStore.builder().directory(dir.resolve("index")).embeddingModel(model);
    }

    @Test
    void reopening_the_folder_does_not_re_embed() {
        Models.Counting model = new Models.Counting(Models.miniLm(), "minilm-q");
        try (LuceneKnowledgeStore store = builder(model).build()) {
            store.upsertAll(DOCS);
        }
        int embeddedAtIndexing = model.texts.get();
        assertThat(embeddedAtIndexing).isEqualTo(4 + 3); // passages + title views
        assertThat(model.calls.get()).isEqualTo(1); // one batch

        try (LuceneKnowledgeStore store = builder(model).build()) {
            assertThat(store.documentCount()).isEqualTo(3);
            assertThat(model.texts.get()).isEqualTo(embeddedAtIndexing);
            List<ScoredPassage> hits = store.search(KnowledgeQuery.of("when do I get my money back", 3));
            assertThat(hits.get(0).passage().id()).isEqualTo("returns#0");
            assertThat(model.texts.get()).isEqualTo(embeddedAtIndexing + 1); // only the query
            store.search(KnowledgeQuery.of("when do I get my money back", 3));
            assertThat(model.texts.get()).isEqualTo(embeddedAtIndexing + 1); // cached query embedding
        }
    }

    @Test
    void re_upserting_embeds_only_changed_passages() {
        Models.Counting model = new Models.Counting(Models.miniLm(), "minilm-q");
        try (LuceneKnowledgeStore store = builder(model).build()) {
            store.upsertAll(DOCS);
            int before = model.texts.get();
            store.upsertAll(DOCS); // unchanged
            assertThat(model.texts.get()).isEqualTo(before);
            store.upsert(
                    doc(
                            "returns",
                            "Returns and refunds",
                            "# Refund timing\n\nRefunds reach your card within five business days.\n\n# Exchanges\n\nExchanges are free."));
            assertThat(model.texts.get()).isEqualTo(before + 1); // only the changed section
            assertThat(store.search(KnowledgeQuery.of("are exchanges free", 1))
                            .get(0)
                            .passage()
                            .text())
                    .isEqualTo("Exchanges are free.");
        }
    }

    @Test
    void incremental_upsert_and_delete_survive_reopening() {
        Models.Counting model = new Models.Counting(Models.miniLm(), "minilm-q");
        try (LuceneKnowledgeStore store = builder(model).build()) {
            store.upsertAll(DOCS);
            store.delete("shipping");
            store.upsert(doc("gift", "Gift cards", "Gift cards never expire."));
        }
        try (LuceneKnowledgeStore store = builder(model).build()) {
            assertThat(store.documentCount()).isEqualTo(3);
            List<String> ids = store.search(new KnowledgeQuery("tracking number parcel", "", 10, true)).stream()
                    .map(h -> h.passage().documentId())
                    .toList();
            assertThat(ids).doesNotContain("shipping");
            assertThat(store.search(KnowledgeQuery.of("do gift cards expire", 1))
                            .get(0)
                            .passage()
                            .documentId())
                    .isEqualTo("gift");
        }
    }

    @Test
    void compacting_merges_segments_and_keeps_results_and_vectors() {
        Models.Counting model = new Models.Counting(Models.miniLm(), "minilm-q");
        List<String> queries = List.of("when do I get my money back", "forgot my password", "where is my parcel");
        List<List<ScoredPassage>> before = new ArrayList<>();
        try (LuceneKnowledgeStore store = builder(model).build()) {
            for (KnowledgeDocument d : DOCS) {
                store.upsert(d); // one commit each: one segment each
            }
            store.delete("password");
            store.upsert(doc("password", "Reset your password", "Use the Forgot password link on the sign-in page."));
            assertThat(store.segmentCount()).isGreaterThan(1);
            queries.forEach(q -> before.add(store.search(KnowledgeQuery.of(q, 3))));
            int embedded = model.texts.get();

            store.compact();

            assertThat(store.segmentCount()).isEqualTo(1);
            assertThat(store.documentCount()).isEqualTo(3);
            for (int i = 0; i < queries.size(); i++) {
                assertThat(store.search(KnowledgeQuery.of(queries.get(i), 3)))
                        .as(queries.get(i))
                        .isEqualTo(before.get(i));
            }
            assertThat(model.texts.get()).isEqualTo(embedded); // vectors are kept, not re-embedded
            store.compact(); // already one segment: nothing to do
            assertThat(store.segmentCount()).isEqualTo(1);
        }
        try (LuceneKnowledgeStore store = builder(model).build()) {
            assertThat(store.segmentCount()).isEqualTo(1);
            assertThat(store.search(KnowledgeQuery.of(queries.get(0), 3))).isEqualTo(before.get(0));
        }
    }

    @Test
    void refuses_an_index_built_with_another_model() {
        try (LuceneKnowledgeStore store =
                builder(new Models.Counting(Models.miniLm(), "model-a")).build()) {
            store.upsertAll(DOCS);
        }
        assertThatThrownBy(() ->
                        builder(new Models.Counting(Models.miniLm(), "model-b")).build())
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining(dir.resolve("index").toString())
                .hasMessageContaining("model-a")
                .hasMessageContaining("model-b");
        assertThatThrownBy(() -> LuceneKnowledgeStore.builder()
                        .directory(dir.resolve("index"))
                        .withoutEmbeddings()
                        .build())
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining("\"none\"");
    }

    @Test
    void a_corrupted_index_is_a_clear_error() throws IOException {
        try (LuceneKnowledgeStore store =
                builder(new Models.Counting(Models.miniLm(), "m")).build()) {
            store.upsertAll(DOCS);
        }
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("segments"))
                    .toList()) {
                Files.write(f, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            }
        }
        assertThatThrownBy(
                        () -> builder(new Models.Counting(Models.miniLm(), "m")).build())
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining(dir.resolve("index").toString())
                .hasMessageContaining("corrupted");
    }

    @Test
    void a_broken_manifest_is_a_clear_error() throws IOException {
        try (LuceneKnowledgeStore store =
                builder(new Models.Counting(Models.miniLm(), "m")).build()) {
            store.upsertAll(DOCS);
        }
        Files.writeString(dir.resolve("index").resolve("opencx-knowledge.json"), "{not json");
        assertThatThrownBy(
                        () -> builder(new Models.Counting(Models.miniLm(), "m")).build())
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining(dir.resolve("index").toString());
    }

    @Test
    void a_foreign_folder_is_refused_and_left_alone() throws IOException {
        Path foreign = dir.resolve("photos");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("holiday.jpg"), "not an index");
        assertThatThrownBy(() -> LuceneKnowledgeStore.builder()
                        .directory(foreign)
                        .withoutEmbeddings()
                        .build())
                .isInstanceOf(OpenCxException.class)
                .hasMessageContaining(foreign.toString())
                .hasMessageContaining("not an OpenCX knowledge index");
        try (Stream<Path> files = Files.list(foreign)) {
            assertThat(files.toList()).containsExactly(foreign.resolve("holiday.jpg"));
        }
    }

    @Test
    void analyses_each_locale_with_its_stemmer() {
        try (LuceneKnowledgeStore store =
                LuceneKnowledgeStore.builder().withoutEmbeddings().build()) {
            store.upsert(doc("es", "Devoluciones", "Los reembolsos se abonan en la tarjeta.", "es"));
            store.upsert(doc("de", "Rückerstattung", "Die Rückerstattungen werden gebucht.", "de-AT"));
            store.upsert(doc("fr", "Remboursements", "Les remboursements arrivent vite.", "fr"));
            store.upsert(doc("pt", "Reembolsos", "Os reembolsos chegam rapidamente.", "pt-BR"));
            store.upsert(doc("en", "Refunds", "Refunding takes five days.", "en"));
            store.upsert(doc("xx", "Klingon", "Qapla batlh", "tlh"));
            assertThat(top(store, "reembolso", "es")).isEqualTo("es");
            assertThat(top(store, "Rückerstattung", "de")).isEqualTo("de");
            assertThat(top(store, "remboursement", "fr")).isEqualTo("fr");
            assertThat(top(store, "reembolso", "pt")).isEqualTo("pt");
            assertThat(top(store, "refunded", "en")).isEqualTo("en"); // Porter stemming
            assertThat(top(store, "batlh", "")).isEqualTo("xx"); // StandardAnalyzer fallback
            // English stop words do not match on their own
            assertThat(store.search(new KnowledgeQuery("the", "en", 5, false))).isEmpty();
        }
    }

    private static String top(LuceneKnowledgeStore store, String text, String locale) {
        List<ScoredPassage> hits = store.search(new KnowledgeQuery(text, locale, 5, false));
        assertThat(hits).as("hits for %s", text).isNotEmpty();
        return hits.get(0).passage().documentId();
    }

    @Test
    void reports_signals() {
        try (LuceneKnowledgeStore store =
                LuceneKnowledgeStore.builder().embeddingModel(Models.miniLm()).build()) {
            store.upsertAll(DOCS);
            List<ScoredPassage> hits = store.search(KnowledgeQuery.of("refund timing card", 5));
            ScoredPassage top = hits.get(0);
            assertThat(top.signals())
                    .containsKeys("bm25", "bm25_rank", "vector", "vector_title", "vector_rank", "fused");
            assertThat(top.signal("bm25", -1)).isPositive();
            assertThat(top.signal("bm25_rank", -1)).isEqualTo(1.0);
            assertThat(top.signal("vector", -2)).isBetween(-1.0, 1.0);
            assertThat(top.signal("vector_rank", -1)).isGreaterThanOrEqualTo(1.0);
            assertThat(top.score()).isEqualTo(top.signal("fused", -1));
            assertThat(hits).allSatisfy(h -> assertThat(h.signal("vector", -2)).isBetween(-1.0, 1.0));

            List<ScoredPassage> vectorOnly =
                    store.search(KnowledgeQuery.of("money back to my card", 5), RetrievalMode.VECTOR);
            assertThat(vectorOnly.get(0).passage().documentId()).isEqualTo("returns");
            assertThat(vectorOnly.get(0).score())
                    .isEqualTo(Math.max(
                            vectorOnly.get(0).signal("vector", 0),
                            vectorOnly.get(0).signal("vector_title", 0)));
        }
    }

    @Test
    void rrf_fusion_also_ranks_the_answer_first() {
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder()
                .embeddingModel(Models.miniLm())
                .fusion(Fusion.RRF)
                .build()) {
            store.upsertAll(DOCS);
            assertThat(store.search(KnowledgeQuery.of("forgot my password", 3))
                            .get(0)
                            .passage()
                            .documentId())
                    .isEqualTo("password");
        }
    }

    @Test
    void a_store_without_embeddings_refuses_vector_search() {
        try (LuceneKnowledgeStore store =
                LuceneKnowledgeStore.builder().withoutEmbeddings().build()) {
            assertThatThrownBy(() -> store.search(KnowledgeQuery.of("x", 1), RetrievalMode.HYBRID))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("BM25");
        }
    }

    @Test
    void builder_reports_every_bad_setting() {
        assertThatThrownBy(() -> LuceneKnowledgeStore.builder()
                        .vectorWeight(1.5)
                        .candidates(0)
                        .titleCandidates(-1)
                        .rrfK(0)
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vectorWeight must be 0..1, was 1.5")
                .hasMessageContaining("candidates must be 1..10000, was 0")
                .hasMessageContaining("titleCandidates must be 0..10000, was -1")
                .hasMessageContaining("rrfK must be at least 1, was 0");
    }

    @Test
    void a_closed_store_refuses_work() {
        LuceneKnowledgeStore store =
                LuceneKnowledgeStore.builder().withoutEmbeddings().build();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.search(KnowledgeQuery.of("x", 1))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> store.upsert(DOCS.get(0))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(store::compact).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void concurrent_searches_see_consistent_results_during_upserts() throws Exception {
        try (LuceneKnowledgeStore store =
                builder(new Models.Counting(Models.miniLm(), "m")).build()) {
            store.upsertAll(DOCS);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<?>> futures = new ArrayList<>();
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        store.upsert(doc("note" + (i % 5), "Store hours " + i, "Open from " + i + " am."));
                    }
                }));
                for (int t = 0; t < 3; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < 40; i++) {
                            List<ScoredPassage> hits = store.search(KnowledgeQuery.of("reset my password", 3));
                            assertThat(hits.get(0).passage().documentId()).isEqualTo("password");
                            assertThat(store.documentCount()).isBetween(3, 8);
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get(180, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.documentCount()).isEqualTo(8);
        }
    }
}
