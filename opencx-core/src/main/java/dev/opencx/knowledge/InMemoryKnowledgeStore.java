package dev.opencx.knowledge;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The reference {@link KnowledgeStore}: lexical BM25 over passages, held in memory.
 *
 * <p>Documents are cut by a {@link Chunker}; each passage is scored with BM25 (k1 1.2, b 0.75) over
 * its title, heading path and text, the title and heading counting double. Tokens are lower-cased,
 * accent-folded Unicode letter/digit runs, with a light plural/possessive stemming. It has no
 * language-specific analysis and no vectors: use {@code LuceneKnowledgeStore} from {@code
 * opencx-knowledge-lucene} for production retrieval.
 *
 * <pre>{@code
 * try (KnowledgeStore store = new InMemoryKnowledgeStore()) {
 *     store.upsert(KnowledgeDocument.of("returns", "Returns", "# Refund timing\nRefunds take 5 days.", BodyFormat.MARKDOWN));
 *     List<ScoredPassage> hits = store.search(KnowledgeQuery.of("how long do refunds take", 3));
 * }
 * }</pre>
 *
 * <p>Thread-safe: searches run concurrently, writes are exclusive. No argument may be null. {@link
 * #close()} is idempotent; using a closed store throws {@link IllegalStateException}. Signals:
 * {@code bm25} (raw score) and {@code bm25_rank} (1-based).
 */
public final class InMemoryKnowledgeStore implements KnowledgeStore {

    private static final double K1 = 1.2;
    private static final double B = 0.75;
    private static final Set<String> STOPWORDS = Set.of(
            "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
            "of", "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was",
            "will", "with", "i", "my", "me", "do", "does", "can", "how", "what", "you", "your");

    private final Chunker chunker;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final Map<String, List<Indexed>> byDocument = new LinkedHashMap<>();
    private final Map<String, Integer> documentFrequency = new HashMap<>();
    private long totalLength;
    private int passageCount;
    private volatile boolean closed;

    /** A store using {@link Chunker#defaults()}. */
    public InMemoryKnowledgeStore() {
        this(Chunker.defaults());
    }

    /** A store cutting documents with {@code chunker} (not null). */
    public InMemoryKnowledgeStore(Chunker chunker) {
        this.chunker = Objects.requireNonNull(chunker, "chunker");
    }

    private record Indexed(Passage passage, Map<String, Integer> termFrequency, int length) {}

    @Override
    public void upsert(KnowledgeDocument document) {
        Objects.requireNonNull(document, "document");
        List<Indexed> indexed = index(document);
        lock.writeLock().lock();
        try {
            ensureOpen();
            replace(document.id(), indexed);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void upsertAll(List<KnowledgeDocument> documents) {
        Objects.requireNonNull(documents, "documents");
        documents.forEach(d -> Objects.requireNonNull(d, "documents contains null"));
        List<List<Indexed>> all = documents.stream().map(this::index).toList();
        lock.writeLock().lock();
        try {
            ensureOpen();
            for (int i = 0; i < documents.size(); i++) {
                replace(documents.get(i).id(), all.get(i));
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void delete(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        lock.writeLock().lock();
        try {
            ensureOpen();
            replace(documentId, null);
        } finally {
            lock.writeLock().unlock();
        }
    }

    private List<Indexed> index(KnowledgeDocument document) {
        List<Indexed> out = new ArrayList<>();
        for (Passage p : chunker.chunk(document)) {
            Map<String, Integer> tf = new HashMap<>();
            int length = 0;
            // title and heading count double: short, dense descriptions of the passage
            for (String t : tokens(p.title() + " " + p.heading())) {
                tf.merge(t, 2, Integer::sum);
                length += 2;
            }
            for (String t : tokens(p.text())) {
                tf.merge(t, 1, Integer::sum);
                length++;
            }
            out.add(new Indexed(p, Map.copyOf(tf), length));
        }
        return out;
    }

    private void replace(String documentId, List<Indexed> passages) {
        List<Indexed> old = passages == null ? byDocument.remove(documentId) : byDocument.put(documentId, passages);
        if (old != null) {
            for (Indexed ix : old) {
                passageCount--;
                totalLength -= ix.length;
                ix.termFrequency
                        .keySet()
                        .forEach(t -> documentFrequency.computeIfPresent(t, (k, v) -> v > 1 ? v - 1 : null));
            }
        }
        if (passages != null) {
            for (Indexed ix : passages) {
                passageCount++;
                totalLength += ix.length;
                ix.termFrequency.keySet().forEach(t -> documentFrequency.merge(t, 1, Integer::sum));
            }
        }
    }

    @Override
    public List<ScoredPassage> search(KnowledgeQuery query) {
        Objects.requireNonNull(query, "query");
        Set<String> terms = new HashSet<>(tokens(query.text()));
        List<ScoredPassage> scored = new ArrayList<>();
        lock.readLock().lock();
        try {
            ensureOpen();
            if (terms.isEmpty() || passageCount == 0) {
                return List.of();
            }
            double avgLength = Math.max(1.0, (double) totalLength / passageCount);
            for (List<Indexed> passages : byDocument.values()) {
                for (Indexed ix : passages) {
                    double score = 0;
                    for (String t : terms) {
                        Integer f = ix.termFrequency.get(t);
                        if (f != null) {
                            int df = documentFrequency.getOrDefault(t, 0);
                            double idf = Math.log(1 + (passageCount - df + 0.5) / (df + 0.5));
                            score += idf * f * (K1 + 1) / (f + K1 * (1 - B + B * ix.length / avgLength));
                        }
                    }
                    if (score > 0) {
                        scored.add(new ScoredPassage(ix.passage, score, Map.of("bm25", score)));
                    }
                }
            }
        } finally {
            lock.readLock().unlock();
        }
        return rank(scored, query);
    }

    /**
     * Orders hits best first, passages in the query's locale before the others, one per document
     * when asked, and cuts to {@code maxResults}; adds {@code bm25_rank}.
     */
    static List<ScoredPassage> rank(List<ScoredPassage> scored, KnowledgeQuery query) {
        Comparator<ScoredPassage> order = Comparator.comparingDouble(ScoredPassage::score)
                .reversed()
                .thenComparing(s -> s.passage().id());
        List<ScoredPassage> sorted = new ArrayList<>(scored);
        sorted.sort(order);
        List<ScoredPassage> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            ScoredPassage s = sorted.get(i);
            Map<String, Double> signals = new HashMap<>(s.signals());
            signals.put("bm25_rank", (double) (i + 1));
            out.add(new ScoredPassage(s.passage(), s.score(), signals));
        }
        if (query.documentLevel()) {
            Set<String> seen = new HashSet<>();
            out.removeIf(s -> !seen.add(s.passage().documentId()));
        }
        out = preferLocale(out, query.locale());
        return List.copyOf(out.subList(0, Math.min(query.maxResults(), out.size())));
    }

    /**
     * Stable partition: hits whose locale has the query locale's language come first. An empty query
     * locale leaves the order unchanged.
     */
    public static List<ScoredPassage> preferLocale(List<ScoredPassage> hits, String locale) {
        if (locale.isEmpty()) {
            return hits;
        }
        String lang = language(locale);
        List<ScoredPassage> preferred = new ArrayList<>();
        List<ScoredPassage> others = new ArrayList<>();
        for (ScoredPassage s : hits) {
            (language(s.passage().locale()).equals(lang) ? preferred : others).add(s);
        }
        preferred.addAll(others);
        return preferred;
    }

    /** The primary language subtag of a BCP 47 tag, lower-cased ({@code "pt-BR"} → {@code "pt"}). */
    public static String language(String locale) {
        int dash = locale.indexOf('-');
        int underscore = locale.indexOf('_');
        int cut = dash < 0 ? underscore : underscore < 0 ? dash : Math.min(dash, underscore);
        return (cut < 0 ? locale : locale.substring(0, cut)).toLowerCase(Locale.ROOT);
    }

    static List<String> tokens(String text) {
        String folded = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "");
        List<String> out = new ArrayList<>();
        for (String t : folded.split("[^\\p{L}\\p{N}]+")) {
            if (t.isEmpty() || STOPWORDS.contains(t)) {
                continue;
            }
            out.add(stem(t));
        }
        return out;
    }

    private static String stem(String t) {
        if (t.length() > 4 && t.endsWith("ies")) {
            return t.substring(0, t.length() - 3) + "y";
        }
        if (t.length() > 3 && t.endsWith("s") && !t.endsWith("ss") && !t.endsWith("us")) {
            return t.substring(0, t.length() - 1);
        }
        return t;
    }

    @Override
    public int documentCount() {
        lock.readLock().lock();
        try {
            ensureOpen();
            return byDocument.size();
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            closed = true;
            byDocument.clear();
            documentFrequency.clear();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("InMemoryKnowledgeStore is closed");
        }
    }
}
