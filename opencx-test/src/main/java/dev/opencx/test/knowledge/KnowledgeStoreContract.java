package dev.opencx.test.knowledge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.ScoredPassage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite every {@link KnowledgeStore} passes. Subclass it in your tests and implement
 * {@link #newStore(Path)}:
 *
 * <pre>{@code
 * class MyStoreTest extends KnowledgeStoreContract {
 *     @Override
 *     protected KnowledgeStore newStore(Path directory) {
 *         return new MyStore(directory);
 *     }
 * }
 * }</pre>
 *
 * <p>The documents are small and lexically distinct, so a purely lexical store passes as well as a
 * semantic or hybrid one. Stores are closed after each test.
 */
public abstract class KnowledgeStoreContract {

    @TempDir
    private Path tempDir;

    private final List<KnowledgeStore> opened = new ArrayList<>();

    /**
     * A new, empty store.
     *
     * @param directory an empty directory, unique to the test, that a persistent store may use (an
     *     in-memory store ignores it); never null
     * @return the store, not null
     */
    protected abstract KnowledgeStore newStore(Path directory);

    /** A new empty store, closed after the test. */
    protected final KnowledgeStore store() {
        KnowledgeStore store = newStore(tempDir.resolve("store-" + opened.size()));
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeStores() {
        opened.forEach(KnowledgeStore::close);
    }

    protected static KnowledgeDocument doc(String id, String title, String body) {
        return KnowledgeDocument.of(id, title, body, BodyFormat.MARKDOWN);
    }

    protected static KnowledgeDocument doc(String id, String title, String body, String locale) {
        return new KnowledgeDocument(
                id, title, body, BodyFormat.MARKDOWN, "https://help.example/" + id, locale, "", Map.of());
    }

    protected static List<KnowledgeDocument> helpCenter() {
        return List.of(
                doc(
                        "password",
                        "Reset your password",
                        "Click **Forgot password** on the sign-in page and follow the email link to reset the password."),
                doc(
                        "refund",
                        "Refund policy",
                        "Refunds are paid back to the original card within five business days after the return arrives."),
                doc(
                        "shipping",
                        "Shipping times",
                        "Standard shipping takes three to five days; express delivery arrives the next day."),
                doc(
                        "invoice",
                        "Download an invoice",
                        "Open Billing, pick the order and press Download invoice to get a PDF."),
                doc(
                        "delete-account",
                        "Delete your account",
                        "Go to Settings, then Privacy, and choose Delete account. This cannot be undone."));
    }

    private static List<String> documentIds(List<ScoredPassage> hits) {
        return hits.stream().map(h -> h.passage().documentId()).toList();
    }

    @Test
    public void an_empty_store_finds_nothing() {
        KnowledgeStore store = store();
        assertThat(store.documentCount()).isZero();
        assertThat(store.search(KnowledgeQuery.of("reset password", 5))).isEmpty();
    }

    @Test
    public void finds_the_relevant_document_first() {
        KnowledgeStore store = store();
        store.upsertAll(helpCenter());
        assertThat(store.documentCount()).isEqualTo(5);
        assertThat(documentIds(store.search(KnowledgeQuery.of("how do I reset my password", 5))))
                .first()
                .isEqualTo("password");
        assertThat(documentIds(store.search(KnowledgeQuery.of("download invoice PDF for my order", 5))))
                .first()
                .isEqualTo("invoice");
        assertThat(documentIds(store.search(KnowledgeQuery.of("refund to my card", 5))))
                .first()
                .isEqualTo("refund");
    }

    @Test
    public void results_are_best_first() {
        KnowledgeStore store = store();
        store.upsertAll(helpCenter());
        List<ScoredPassage> hits = store.search(KnowledgeQuery.of("delete account privacy settings", 5));
        assertThat(hits).isNotEmpty();
        for (int i = 1; i < hits.size(); i++) {
            assertThat(hits.get(i).score()).isLessThanOrEqualTo(hits.get(i - 1).score());
        }
    }

    @Test
    public void hits_carry_the_passage_and_its_citation() {
        KnowledgeStore store = store();
        store.upsert(doc("returns", "Returns", "# Refund timing\n\nRefunds take five business days.", "en"));
        ScoredPassage hit = store.search(KnowledgeQuery.of("refund timing", 1)).get(0);
        assertThat(hit.passage().id()).isEqualTo("returns#0");
        assertThat(hit.passage().documentId()).isEqualTo("returns");
        assertThat(hit.passage().title()).isEqualTo("Returns");
        assertThat(hit.passage().heading()).isEqualTo("Refund timing");
        assertThat(hit.passage().text()).isEqualTo("Refunds take five business days.");
        assertThat(hit.passage().url()).isEqualTo("https://help.example/returns");
        assertThat(hit.passage().locale()).isEqualTo("en");
        assertThat(hit.passage().citation().documentId()).isEqualTo("returns");
        assertThat(hit.signals()).isNotNull();
    }

    @Test
    public void upsert_replaces_the_document() {
        KnowledgeStore store = store();
        store.upsertAll(helpCenter());
        store.upsert(doc("shipping", "Carrier pigeons", "Every parcel travels by carrier pigeon."));
        assertThat(store.documentCount()).isEqualTo(5);
        List<ScoredPassage> hits = store.search(KnowledgeQuery.of("carrier pigeon parcel", 10));
        assertThat(documentIds(hits)).first().isEqualTo("shipping");
        List<ScoredPassage> all = store.search(KnowledgeQuery.of("express delivery next day shipping", 10));
        assertThat(all).noneMatch(h -> h.passage().text().contains("express"));
    }

    @Test
    public void upsert_with_fewer_sections_leaves_no_stale_passages() {
        KnowledgeStore store = store();
        store.upsert(doc(
                "faq",
                "FAQ",
                "# Alpha\n\nAardvark answers.\n\n# Beta\n\nBadger answers.\n\n# Gamma\n\nGiraffe answers."));
        store.upsert(doc("faq", "FAQ", "# Alpha\n\nAardvark answers."));
        List<ScoredPassage> hits = store.search(KnowledgeQuery.of("badger giraffe aardvark", 10));
        assertThat(hits).extracting(h -> h.passage().id()).containsExactly("faq#0");
    }

    @Test
    public void delete_removes_the_document() {
        KnowledgeStore store = store();
        store.upsertAll(helpCenter());
        store.delete("password");
        store.delete("never-existed");
        assertThat(store.documentCount()).isEqualTo(4);
        assertThat(documentIds(store.search(KnowledgeQuery.of("reset password forgot", 10))))
                .doesNotContain("password");
        store.upsert(helpCenter().get(0));
        assertThat(documentIds(store.search(KnowledgeQuery.of("reset password forgot", 10))))
                .first()
                .isEqualTo("password");
    }

    @Test
    public void prefers_passages_in_the_query_locale() {
        KnowledgeStore store = store();
        store.upsert(doc("refund-en", "Refund policy", "A refund is paid to your card within five days.", "en"));
        store.upsert(doc(
                "refund-es",
                "Política de reembolso (refund)",
                "El reembolso (refund) se paga a su tarjeta en cinco días.",
                "es"));
        assertThat(documentIds(store.search(new KnowledgeQuery("refund", "es", 5, false))))
                .first()
                .isEqualTo("refund-es");
        assertThat(documentIds(store.search(new KnowledgeQuery("refund", "en", 5, false))))
                .first()
                .isEqualTo("refund-en");
        assertThat(documentIds(store.search(new KnowledgeQuery("refund", "es-MX", 5, false))))
                .first()
                .isEqualTo("refund-es");
    }

    @Test
    public void document_level_returns_one_passage_per_document() {
        KnowledgeStore store = store();
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            body.append("# Password topic ")
                    .append(i)
                    .append("\n\nPassword advice number ")
                    .append(i)
                    .append(".\n\n");
        }
        store.upsert(doc("passwords", "Passwords", body.toString()));
        store.upsertAll(helpCenter());
        List<ScoredPassage> passages = store.search(new KnowledgeQuery("password advice", "", 10, false));
        assertThat(documentIds(passages).stream().filter("passwords"::equals).count())
                .isGreaterThan(1);
        List<ScoredPassage> documents = store.search(new KnowledgeQuery("password advice", "", 10, true));
        Set<String> unique = new HashSet<>(documentIds(documents));
        assertThat(unique).hasSameSizeAs(documents).contains("passwords");
    }

    @Test
    public void returns_at_most_max_results() {
        KnowledgeStore store = store();
        List<KnowledgeDocument> docs = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            docs.add(doc("d" + i, "Order help " + i, "Questions about your order number " + i + "."));
        }
        store.upsertAll(docs);
        assertThat(store.search(KnowledgeQuery.of("order", 3))).hasSize(3);
        assertThat(store.search(new KnowledgeQuery("order", "", 1, true))).hasSize(1);
    }

    @Test
    public void rejects_null_arguments() {
        KnowledgeStore store = store();
        assertThatThrownBy(() -> store.upsert(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.upsertAll(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.delete(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> store.search(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    public void close_is_idempotent() {
        KnowledgeStore store = store();
        store.upsertAll(helpCenter());
        store.close();
        assertThatCode(store::close).doesNotThrowAnyException();
    }

    @Test
    public void searches_run_while_documents_are_upserted() throws Exception {
        KnowledgeStore store = store();
        store.upsertAll(helpCenter());
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<?>> futures = new ArrayList<>();
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 20; i++) {
                    store.upsert(doc("extra" + i, "Gift cards " + i, "Gift cards never expire (" + i + ")."));
                    store.delete("extra" + (i - 1));
                }
            }));
            for (int t = 0; t < 2; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 30; i++) {
                        List<ScoredPassage> hits = store.search(KnowledgeQuery.of("reset my password", 3));
                        assertThat(documentIds(hits)).first().isEqualTo("password");
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(store.documentCount()).isEqualTo(6);
    }
}
