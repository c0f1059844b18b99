package dev.opencx.knowledge.lucene;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.opencx.OpenCxException;
import dev.opencx.knowledge.Chunker;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeDocument;
import dev.opencx.knowledge.KnowledgeQuery;
import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.knowledge.Passage;
import dev.opencx.knowledge.ScoredPassage;
import dev.opencx.knowledge.lucene.internal.Analyzers;
import dev.opencx.knowledge.lucene.internal.Manifest;
import dev.opencx.knowledge.lucene.internal.QueryEmbeddingCache;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link KnowledgeStore} on an embedded Lucene index: hybrid retrieval fusing BM25 with vector
 * similarity.
 *
 * <pre>{@code
 * try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder()
 *         .directory(Path.of("data/knowledge"))     // or .inMemory()
 *         .build()) {                                 // in-process MiniLM embeddings by default
 *     store.upsertAll(articles);
 *     List<ScoredPassage> hits = store.search(new KnowledgeQuery("where is my refund", "en", 5, false));
 * }
 * }</pre>
 *
 * <p><b>Indexing.</b> Documents are cut into passages by a {@link Chunker}. Each passage is indexed
 * for BM25 in {@code title}, {@code heading} and {@code text} fields analysed for its locale
 * (English, Spanish, German, French, Portuguese and twenty more stemming analyzers; {@code
 * StandardAnalyzer} otherwise), and embedded as "title, heading, text" into an HNSW vector field
 * (cosine). Each document's title is also embedded on its own (a "question view": help-center
 * titles are usually the question a customer asks). Vectors live in the index: reopening a folder
 * never re-embeds, and re-upserting a document only embeds the passages whose text changed. A small
 * manifest ({@code opencx-knowledge.json}) records the embedding model and dimension; opening a
 * folder built with another model fails with an {@link OpenCxException}, as does a corrupted or
 * foreign folder.
 *
 * <p><b>Search.</b> BM25 and the passage kNN search each collect {@link Builder#candidates(int)
 * candidates}, the title kNN search adds the {@link Builder#titleCandidates(int) documents} whose
 * titles are closest; every candidate gets its exact BM25 (0 when BM25 did not retrieve it) and
 * cosine similarities; the scores are fused ({@link
 * Fusion#SCORE} by default, or {@link Fusion#RRF}). With {@link KnowledgeQuery#documentLevel()} the
 * signals are first aggregated per document (the best passage's BM25, the best of passage and title
 * similarity) and one passage per document is returned: the document's best. Hits in the query's
 * locale come before others. Each hit's {@link ScoredPassage#signals()} has {@code bm25} (raw),
 * {@code bm25_rank} (1-based, 0 when not retrieved by BM25), {@code vector} (cosine of query and
 * passage, in [-1, 1]), {@code vector_title} (cosine of query and document title), {@code
 * vector_rank} (1-based among the candidates) and {@code fused} (= the score).
 *
 * <p><b>Threads and lifecycle.</b> Thread-safe: searches run concurrently with each other and with
 * writes; writes are serialized, and each write is committed (durable) and visible to searches when
 * it returns. {@link #close()} is idempotent; a closed store throws {@link IllegalStateException}. No
 * argument may be null.
 */
public final class LuceneKnowledgeStore implements KnowledgeStore {

    private static final Logger log = LoggerFactory.getLogger(LuceneKnowledgeStore.class);

    static {
        OfflineRuntime.apply(); // DJL-based models created after this reach no network
    }

    // field names
    private static final String F_PID = "pid";
    private static final String F_DID = "did";
    private static final String F_FIRST = "first";
    private static final String F_KEY = "lang";
    private static final String F_LOCALE = "locale";
    private static final String F_TITLE = "title";
    private static final String F_HEADING = "heading";
    private static final String F_TEXT = "text";
    private static final String F_URL = "url";
    private static final String F_HASH = "hash";
    private static final String F_TITLE_HASH = "thash";
    private static final String F_VEC = "vec";
    private static final String F_TITLE_VEC = "tvec";
    private static final String F_TITLE_VEC_DV = "tvec_dv";
    private static final String F_DID_DV = "did_dv";
    private static final String F_LANG_DV = "lang_dv";

    private final Path folder;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzers analyzers;
    private final EmbeddingModel embeddingModel;
    private final boolean ownsModel; // the default model, made (and closed) by this store
    private final int dimension;
    private final Chunker chunker;
    private final RetrievalMode defaultMode;
    private final Fusion fusion;
    private final double vectorWeight;
    private final int rrfK;
    private final int candidates;
    private final int titleCandidates;
    private final float titleBoost;
    private final float headingBoost;
    private final boolean titleVectors;
    private final int embeddingBatchSize;
    private final QueryEmbeddingCache queryCache;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicBoolean closed = new AtomicBoolean();

    private LuceneKnowledgeStore(Builder b) {
        this.folder = b.directory;
        this.analyzers = new Analyzers();
        this.chunker = b.chunker;
        this.defaultMode = b.mode;
        this.fusion = b.fusion;
        this.vectorWeight = b.vectorWeight;
        this.rrfK = b.rrfK;
        this.candidates = b.candidates;
        this.titleCandidates = b.titleCandidates;
        this.titleBoost = (float) b.titleBoost;
        this.headingBoost = (float) b.headingBoost;
        this.titleVectors = b.titleVectors;
        this.embeddingBatchSize = b.embeddingBatchSize;
        this.queryCache = new QueryEmbeddingCache(b.queryCacheSize);
        if (b.withoutEmbeddings) {
            this.embeddingModel = null;
            this.ownsModel = false;
            this.dimension = 0;
        } else {
            this.embeddingModel = b.embeddingModel != null
                    ? b.embeddingModel
                    : MiniLmEmbeddingModel.builder().build();
            this.ownsModel = b.embeddingModel == null;
            this.dimension = embeddingModel.dimension();
        }
        String modelName = embeddingModel == null ? "none" : modelName(b.embeddingModelName, embeddingModel);
        Manifest wanted = new Manifest(modelName, dimension);
        Directory dir = null;
        IndexWriter w = null;
        try {
            if (folder == null) {
                dir = new ByteBuffersDirectory();
            } else {
                prepareFolder(folder, wanted);
                dir = FSDirectory.open(folder);
            }
            IndexWriterConfig config = new IndexWriterConfig(analyzers.perField());
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            w = new IndexWriter(dir, config);
            w.commit();
            if (folder != null && !Files.exists(folder.resolve(Manifest.FILE_NAME))) {
                wanted.write(folder);
            }
            this.searchers = new SearcherManager(w, null);
        } catch (IOException | RuntimeException e) {
            closeQuietly(w);
            closeQuietly(dir);
            analyzers.close();
            if (ownsModel && embeddingModel instanceof MiniLmEmbeddingModel own) {
                own.close();
            }
            if (e instanceof OpenCxException oe) {
                throw oe;
            }
            throw OpenCxException.permanent(
                    "Knowledge index folder " + folder + " is corrupted or unreadable ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); delete the folder to rebuild the index",
                    e);
        }
        this.directory = dir;
        this.writer = w;
        log.debug(
                "Opened knowledge index {} (model {}, dimension {})",
                folder == null ? "in memory" : folder,
                modelName,
                dimension);
    }

    private static String modelName(String configured, EmbeddingModel model) {
        if (configured != null) {
            return configured;
        }
        String name = null;
        try {
            name = model.modelName();
        } catch (RuntimeException ignored) {
            // some models do not know their name
        }
        return name == null || name.isBlank() || name.equalsIgnoreCase("unknown")
                ? model.getClass().getName()
                : name;
    }

    /** Checks an existing folder (manifest, Lucene files) or creates a new one. */
    private static void prepareFolder(Path folder, Manifest wanted) throws IOException {
        if (Files.exists(folder) && !Files.isDirectory(folder)) {
            throw OpenCxException.permanent("Knowledge index folder " + folder + " is a file, not a folder", null);
        }
        Files.createDirectories(folder);
        boolean empty;
        try (Stream<Path> files = Files.list(folder)) {
            empty = files.findAny().isEmpty();
        }
        if (empty) {
            return;
        }
        if (!Files.exists(folder.resolve(Manifest.FILE_NAME))) {
            throw OpenCxException.permanent(
                    "Folder " + folder + " is not empty and is not an OpenCX knowledge index (no " + Manifest.FILE_NAME
                            + "): give the store an empty or new folder",
                    null);
        }
        Manifest.read(folder).checkCompatible(wanted, folder);
        try (Directory dir = FSDirectory.open(folder)) {
            if (!DirectoryReader.indexExists(dir)) {
                throw OpenCxException.permanent(
                        "Knowledge index folder " + folder + " has a manifest but no Lucene index (corrupted?):"
                                + " delete the folder to rebuild the index",
                        null);
            }
            DirectoryReader.open(dir).close(); // reads segment infos and checks their checksums
        }
    }

    /** A builder with the defaults documented on its methods. */
    public static Builder builder() {
        return new Builder();
    }

    // ------------------------------------------------------------------------------------- writes

    @Override
    public void upsert(KnowledgeDocument document) {
        Objects.requireNonNull(document, "document");
        upsertAll(List.of(document));
    }

    /** Adds or replaces documents, embedding their new passages in batches; one commit for all. */
    @Override
    public void upsertAll(List<KnowledgeDocument> documents) {
        Objects.requireNonNull(documents, "documents");
        documents.forEach(d -> Objects.requireNonNull(d, "documents contains null"));
        ensureOpen();
        // the last version of a document wins when it appears twice
        Map<String, KnowledgeDocument> unique = new LinkedHashMap<>();
        documents.forEach(d -> unique.put(d.id(), d));
        writeLock.lock();
        try {
            ensureOpen();
            List<Prepared> prepared = new ArrayList<>();
            for (KnowledgeDocument d : unique.values()) {
                prepared.add(prepare(d));
            }
            if (embeddingModel != null) {
                embedMissing(prepared);
            }
            for (Prepared p : prepared) {
                List<Document> docs = new ArrayList<>();
                for (int i = 0; i < p.passages.size(); i++) {
                    docs.add(luceneDocument(p, i));
                }
                writer.updateDocuments(new Term(F_DID, p.document.id()), docs);
            }
            commit();
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not write the knowledge index " + where(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Merges the index into a single segment. Lucene writes every batch of updates as a new segment
     * and searches each segment separately (its own HNSW graph, its own term dictionary), so after a
     * bulk load of thousands of articles a search costs several times what it does on one segment:
     * on the 10,000-article benchmark index (10 segments), hybrid search took 5.7 ms of CPU before and
     * 2.4 ms after. Call it after a large sync, not after every update: it rewrites the whole index
     * (about 40 s for 25,000 passages with their vectors on 2 cores), while searches go on against the
     * old segments. A no-op on an index that is already one segment.
     *
     * @throws OpenCxException (retriable) if the index cannot be written
     * @throws IllegalStateException if the store is closed
     */
    public void compact() {
        ensureOpen();
        writeLock.lock();
        try {
            ensureOpen();
            writer.forceMerge(1);
            commit();
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not compact the knowledge index " + where(), e);
        } finally {
            writeLock.unlock();
        }
    }

    /** How many segments the index has now; {@link #compact()} brings it to one. */
    public int segmentCount() {
        ensureOpen();
        IndexSearcher s;
        try {
            s = searchers.acquire();
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not read the knowledge index " + where(), e);
        }
        try {
            return s.getIndexReader().leaves().size();
        } finally {
            try {
                searchers.release(s);
            } catch (IOException e) {
                log.debug("Releasing a searcher failed", e);
            }
        }
    }

    @Override
    public void delete(String documentId) {
        Objects.requireNonNull(documentId, "documentId");
        ensureOpen();
        writeLock.lock();
        try {
            ensureOpen();
            writer.deleteDocuments(new Term(F_DID, documentId));
            commit();
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not write the knowledge index " + where(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private void commit() throws IOException {
        writer.commit();
        searchers.maybeRefreshBlocking();
    }

    /** A document cut into passages, with the vectors it can reuse from its previous version. */
    private static final class Prepared {
        final KnowledgeDocument document;
        final List<Passage> passages;
        final List<String> hashes = new ArrayList<>();
        final float[][] vectors;
        final String titleHash;
        float[] titleVector;

        Prepared(KnowledgeDocument document, List<Passage> passages, String titleHash) {
            this.document = document;
            this.passages = passages;
            this.vectors = new float[passages.size()][];
            this.titleHash = titleHash;
        }
    }

    private Prepared prepare(KnowledgeDocument d) throws IOException {
        List<Passage> passages = chunker.chunk(d);
        Prepared p = new Prepared(d, passages, hash(d.title()));
        passages.forEach(x -> p.hashes.add(hash(embeddingText(x))));
        if (embeddingModel == null) {
            return p;
        }
        // reuse the vectors of unchanged passages of the indexed version
        Map<String, float[]> old = new HashMap<>();
        float[] oldTitle = null;
        String oldTitleHash = null;
        IndexSearcher s = searchers.acquire();
        try {
            ScoreDoc[] hits = s.search(new TermQuery(new Term(F_DID, d.id())), 10_000).scoreDocs;
            StoredFields stored = s.storedFields();
            for (ScoreDoc h : hits) {
                Document doc = stored.document(h.doc, Set.of(F_HASH, F_TITLE_HASH));
                LeafReaderContext leaf = leafOf(s, h.doc);
                float[] v = readVector(leaf.reader(), h.doc - leaf.docBase);
                if (v != null) {
                    old.put(doc.get(F_HASH), v);
                }
                if (oldTitle == null && doc.get(F_TITLE_HASH) != null) {
                    oldTitle = readTitleVector(leaf.reader(), h.doc - leaf.docBase);
                    oldTitleHash = doc.get(F_TITLE_HASH);
                }
            }
        } finally {
            searchers.release(s);
        }
        for (int i = 0; i < passages.size(); i++) {
            p.vectors[i] = old.get(p.hashes.get(i));
        }
        if (p.titleHash.equals(oldTitleHash)) {
            p.titleVector = oldTitle;
        }
        return p;
    }

    private void embedMissing(List<Prepared> prepared) {
        List<String> texts = new ArrayList<>();
        List<float[][]> targets = new ArrayList<>();
        List<Integer> slots = new ArrayList<>();
        List<Prepared> titleTargets = new ArrayList<>();
        for (Prepared p : prepared) {
            for (int i = 0; i < p.passages.size(); i++) {
                if (p.vectors[i] == null) {
                    texts.add(embeddingText(p.passages.get(i)));
                    targets.add(p.vectors);
                    slots.add(i);
                    titleTargets.add(null);
                }
            }
            if (titleVectors && p.titleVector == null && !p.document.title().isBlank()) {
                texts.add(p.document.title());
                targets.add(null);
                slots.add(-1);
                titleTargets.add(p);
            }
        }
        if (texts.isEmpty()) {
            return;
        }
        log.debug("Embedding {} texts in batches of {}", texts.size(), embeddingBatchSize);
        for (int from = 0; from < texts.size(); from += embeddingBatchSize) {
            int to = Math.min(texts.size(), from + embeddingBatchSize);
            List<float[]> vectors = embed(texts.subList(from, to));
            for (int i = from; i < to; i++) {
                float[] v = vectors.get(i - from);
                if (targets.get(i) != null) {
                    targets.get(i)[slots.get(i)] = v;
                } else {
                    titleTargets.get(i).titleVector = v;
                }
            }
        }
    }

    private List<float[]> embed(List<String> texts) {
        List<TextSegment> segments =
                texts.stream().map(t -> TextSegment.from(t.isBlank() ? "-" : t)).toList();
        List<Embedding> embeddings;
        try {
            embeddings = embeddingModel.embedAll(segments).content();
        } catch (RuntimeException e) {
            throw OpenCxException.retriable("The embedding model failed: " + e.getMessage(), e);
        }
        if (embeddings == null || embeddings.size() != texts.size()) {
            throw OpenCxException.permanent(
                    "The embedding model returned " + (embeddings == null ? 0 : embeddings.size()) + " vectors for "
                            + texts.size() + " texts",
                    null);
        }
        List<float[]> out = new ArrayList<>(texts.size());
        for (Embedding e : embeddings) {
            float[] v = e.vector();
            if (v.length != dimension) {
                throw OpenCxException.permanent(
                        "The embedding model returned a vector of dimension " + v.length + ", expected " + dimension,
                        null);
            }
            out.add(v);
        }
        return out;
    }

    /** What a passage's vector encodes: title, heading path and text. */
    static String embeddingText(Passage p) {
        StringBuilder sb = new StringBuilder(p.title());
        if (!p.heading().isEmpty()) {
            sb.append('\n').append(p.heading());
        }
        if (!p.text().isEmpty()) {
            sb.append('\n').append(p.text());
        }
        return sb.toString();
    }

    private Document luceneDocument(Prepared p, int i) {
        Passage passage = p.passages.get(i);
        String key = Analyzers.key(passage.locale());
        Document doc = new Document();
        doc.add(new StringField(F_PID, passage.id(), Field.Store.YES));
        doc.add(new StringField(F_DID, passage.documentId(), Field.Store.YES));
        doc.add(new SortedDocValuesField(F_DID_DV, new BytesRef(passage.documentId())));
        doc.add(new SortedDocValuesField(F_LANG_DV, new BytesRef(InMemoryKnowledgeStore.language(passage.locale()))));
        doc.add(new StringField(F_KEY, key, Field.Store.NO));
        doc.add(new StoredField(F_LOCALE, passage.locale()));
        doc.add(new StoredField(F_TITLE, passage.title()));
        doc.add(new StoredField(F_HEADING, passage.heading()));
        doc.add(new StoredField(F_TEXT, passage.text()));
        doc.add(new StoredField(F_URL, passage.url()));
        doc.add(new StoredField(F_HASH, p.hashes.get(i)));
        doc.add(new TextField(F_TITLE + "_" + key, passage.title(), Field.Store.NO));
        doc.add(new TextField(F_HEADING + "_" + key, passage.heading(), Field.Store.NO));
        doc.add(new TextField(F_TEXT + "_" + key, passage.text(), Field.Store.NO));
        if (p.vectors[i] != null) {
            doc.add(new KnnFloatVectorField(F_VEC, p.vectors[i], VectorSimilarityFunction.COSINE));
        }
        if (p.titleVector != null) {
            // every passage carries its document's title vector for exact scoring; the first one also
            // indexes it for kNN, so that a title search finds each document once
            doc.add(new BinaryDocValuesField(F_TITLE_VEC_DV, new BytesRef(toBytes(p.titleVector))));
            if (i == 0) {
                doc.add(new KnnFloatVectorField(F_TITLE_VEC, p.titleVector, VectorSimilarityFunction.COSINE));
            }
        }
        if (i == 0) {
            doc.add(new StringField(F_FIRST, "1", Field.Store.NO));
            doc.add(new StoredField(F_TITLE_HASH, p.titleHash));
        }
        return doc;
    }

    // ------------------------------------------------------------------------------------- search

    @Override
    public List<ScoredPassage> search(KnowledgeQuery query) {
        return search(query, defaultMode);
    }

    /**
     * Searches with a given mode instead of the store's default.
     *
     * @param query the query, not null
     * @param mode the retrievers to use, not null; {@link RetrievalMode#VECTOR} and {@link
     *     RetrievalMode#HYBRID} need a store with embeddings
     * @return best first, at most {@code query.maxResults()}, never null
     */
    public List<ScoredPassage> search(KnowledgeQuery query, RetrievalMode mode) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(mode, "mode");
        if (mode != RetrievalMode.BM25 && embeddingModel == null) {
            throw new IllegalStateException("Retrieval mode " + mode + " needs embeddings, but this store was built"
                    + " withoutEmbeddings(): use RetrievalMode.BM25");
        }
        ensureOpen();
        boolean useBm25 = mode != RetrievalMode.VECTOR;
        boolean useVectors = mode != RetrievalMode.BM25;
        float[] queryVector = useVectors && !query.text().isBlank()
                ? queryCache.get(query.text(), t -> embed(List.of(t)).get(0))
                : null;
        IndexSearcher s;
        try {
            s = searchers.acquire();
        } catch (org.apache.lucene.store.AlreadyClosedException e) {
            throw new IllegalStateException("LuceneKnowledgeStore is closed", e);
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not read the knowledge index " + where(), e);
        }
        try {
            int n = Math.max(candidates, query.maxResults() * 3);
            Map<Integer, Candidate> byDoc = new HashMap<>();
            if (useBm25) {
                Query bm25 = bm25Query(s, query.text());
                if (bm25 != null) {
                    // count no more hits than needed: block-max WAND then skips passages that cannot make the top n
                    ScoreDoc[] hits = s.search(bm25, new TopScoreDocCollectorManager(n, null, n)).scoreDocs;
                    for (int i = 0; i < hits.length; i++) {
                        Candidate c = byDoc.computeIfAbsent(hits[i].doc, Candidate::new);
                        c.bm25 = hits[i].score;
                        c.bm25Rank = i + 1;
                    }
                }
            }
            if (queryVector != null) {
                for (ScoreDoc h : s.search(new KnnFloatVectorQuery(F_VEC, queryVector, n), n).scoreDocs) {
                    byDoc.computeIfAbsent(h.doc, Candidate::new);
                }
                if (titleVectors && titleCandidates > 0) {
                    int k = titleCandidates;
                    for (ScoreDoc h : s.search(new KnnFloatVectorQuery(F_TITLE_VEC, queryVector, k), k).scoreDocs) {
                        byDoc.computeIfAbsent(h.doc, Candidate::new);
                    }
                }
            }
            if (byDoc.isEmpty()) {
                return List.of();
            }
            List<Candidate> cands = new ArrayList<>(byDoc.values());
            cands.sort(Comparator.comparingInt(c -> c.doc));
            readSignals(s, cands, queryVector);
            return rank(cands, query, mode, s.storedFields());
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not read the knowledge index " + where(), e);
        } finally {
            try {
                searchers.release(s);
            } catch (IOException | RuntimeException e) {
                log.debug("Releasing a searcher failed", e);
            }
        }
    }

    /** Reads each candidate's document id, language and cosines from doc values and vectors (no stored fields). */
    private void readSignals(IndexSearcher s, List<Candidate> cands, float[] queryVector) throws IOException {
        LeafReaderContext leaf = null;
        FloatVectorValues vectors = null;
        BinaryDocValues titleVecs = null;
        SortedDocValues dids = null;
        SortedDocValues langs = null;
        for (Candidate c : cands) { // sorted by doc id: each iterator only moves forward
            if (leaf == null || c.doc >= leaf.docBase + leaf.reader().maxDoc()) {
                leaf = leafOf(s, c.doc);
                LeafReader r = leaf.reader();
                vectors = r.getFloatVectorValues(F_VEC);
                titleVecs = titleVectors ? r.getBinaryDocValues(F_TITLE_VEC_DV) : null;
                dids = DocValues.getSorted(r, F_DID_DV);
                langs = DocValues.getSorted(r, F_LANG_DV);
            }
            int d = c.doc - leaf.docBase;
            c.documentId =
                    dids.advanceExact(d) ? dids.lookupOrd(dids.ordValue()).utf8ToString() : "";
            c.language =
                    langs.advanceExact(d) ? langs.lookupOrd(langs.ordValue()).utf8ToString() : "";
            if (queryVector != null) {
                int at = vectors == null ? DocIdSetIterator.NO_MORE_DOCS : vectors.docID();
                if (vectors != null && at < d) {
                    at = vectors.advance(d);
                }
                c.vector = at == d ? cosine(queryVector, vectors.vectorValue()) : 0;
                float[] t = titleVecs != null && titleVecs.advanceExact(d) ? floats(titleVecs.binaryValue()) : null;
                c.titleVector = t == null ? c.vector : cosine(queryVector, t);
            }
        }
    }

    /** One retrieved passage and its signals. */
    private static final class Candidate {
        final int doc;
        String documentId;
        String language;
        double bm25;
        int bm25Rank;
        double vector;
        double titleVector;
        int vectorRank;
        double fused;

        Candidate(int doc) {
            this.doc = doc;
        }

        double semantic() {
            return Math.max(vector, titleVector);
        }
    }

    /** Signals of a group of candidates being ranked: a passage, or a document's best values. */
    private record Unit(Candidate best, double bm25, double semantic, List<Candidate> members) {}

    private List<ScoredPassage> rank(
            List<Candidate> cands, KnowledgeQuery query, RetrievalMode mode, StoredFields stored) throws IOException {
        // vector rank among the candidates, by the passage's own cosine
        List<Candidate> byVector = new ArrayList<>(cands);
        byVector.sort(Comparator.comparingDouble((Candidate c) -> -c.vector).thenComparingInt(c -> c.doc));
        for (int i = 0; i < byVector.size(); i++) {
            byVector.get(i).vectorRank = mode == RetrievalMode.BM25 ? 0 : i + 1;
        }
        List<Unit> units = new ArrayList<>();
        if (query.documentLevel()) {
            Map<String, List<Candidate>> groups = new LinkedHashMap<>();
            cands.forEach(c ->
                    groups.computeIfAbsent(c.documentId, k -> new ArrayList<>()).add(c));
            for (List<Candidate> g : groups.values()) {
                // a group holds at least one candidate: a document's best BM25 and best cosine
                double bm25 = g.stream().mapToDouble(c -> c.bm25).max().getAsDouble();
                double semantic =
                        g.stream().mapToDouble(Candidate::semantic).max().getAsDouble();
                units.add(new Unit(null, bm25, semantic, g));
            }
        } else {
            cands.forEach(c -> units.add(new Unit(c, c.bm25, c.semantic(), List.of(c))));
        }
        double[] fused = fuse(units, mode);
        // passages: fused at passage level; a document's representative is its best passage
        double[] passageFused = query.documentLevel()
                ? fuse(
                        cands.stream()
                                .map(c -> new Unit(c, c.bm25, c.semantic(), List.of(c)))
                                .toList(),
                        mode)
                : fused;
        for (int i = 0; i < cands.size() && query.documentLevel(); i++) {
            cands.get(i).fused = passageFused[i];
        }
        record Hit(Candidate best, double score) {}
        List<Hit> hits = new ArrayList<>(units.size());
        for (int i = 0; i < units.size(); i++) {
            Unit u = units.get(i);
            Candidate best = u.best != null
                    ? u.best
                    : u.members.stream()
                            .max(Comparator.comparingDouble((Candidate c) -> c.fused)
                                    .thenComparingInt(c -> -c.doc))
                            .orElseThrow();
            hits.add(new Hit(best, fused[i]));
        }
        hits.sort(Comparator.comparingDouble((Hit h) -> -h.score).thenComparingInt(h -> h.best.doc));
        if (!query.locale().isEmpty()) { // stable: hits in the query's language first
            String lang = InMemoryKnowledgeStore.language(query.locale());
            List<Hit> preferred = new ArrayList<>(
                    hits.stream().filter(h -> h.best.language.equals(lang)).toList());
            hits.stream().filter(h -> !h.best.language.equals(lang)).forEach(preferred::add);
            hits = preferred;
        }
        List<ScoredPassage> out = new ArrayList<>();
        for (Hit h : hits.subList(0, Math.min(hits.size(), query.maxResults()))) {
            Candidate best = h.best;
            Map<String, Double> signals = new HashMap<>();
            signals.put("bm25", best.bm25);
            signals.put("bm25_rank", (double) best.bm25Rank);
            signals.put("vector", best.vector);
            signals.put("vector_title", best.titleVector);
            signals.put("vector_rank", (double) best.vectorRank);
            signals.put("fused", h.score);
            out.add(new ScoredPassage(passage(stored.document(best.doc)), h.score, signals));
        }
        return List.copyOf(out);
    }

    private double[] fuse(List<Unit> units, RetrievalMode mode) {
        double[] out = new double[units.size()];
        if (mode == RetrievalMode.BM25) {
            for (int i = 0; i < out.length; i++) {
                out[i] = units.get(i).bm25;
            }
            return out;
        }
        if (mode == RetrievalMode.VECTOR) {
            for (int i = 0; i < out.length; i++) {
                out[i] = units.get(i).semantic;
            }
            return out;
        }
        if (fusion == Fusion.RRF) {
            int[] bRank = ranks(units, Unit::bm25);
            int[] vRank = ranks(units, Unit::semantic);
            for (int i = 0; i < out.length; i++) {
                double b = units.get(i).bm25 > 0 ? 1.0 / (rrfK + bRank[i]) : 0;
                out[i] = (1 - vectorWeight) * b + vectorWeight / (rrfK + vRank[i]);
            }
            return out;
        }
        double maxB = 0;
        double minV = Double.MAX_VALUE;
        double maxV = -Double.MAX_VALUE;
        for (Unit u : units) {
            maxB = Math.max(maxB, u.bm25);
            minV = Math.min(minV, u.semantic);
            maxV = Math.max(maxV, u.semantic);
        }
        double rangeV = maxV - minV;
        for (int i = 0; i < out.length; i++) {
            Unit u = units.get(i);
            double b = maxB > 0 ? u.bm25 / maxB : 0;
            double v = rangeV > 1e-9 ? (u.semantic - minV) / rangeV : 1;
            out[i] = (1 - vectorWeight) * b + vectorWeight * v;
        }
        return out;
    }

    private static int[] ranks(List<Unit> units, java.util.function.ToDoubleFunction<Unit> f) {
        Integer[] order = new Integer[units.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -f.applyAsDouble(units.get(i))));
        int[] rank = new int[order.length];
        for (int r = 0; r < order.length; r++) {
            rank[order[r]] = r + 1;
        }
        return rank;
    }

    /** BM25 over title, heading and text, analysed for every language present in the index. */
    private Query bm25Query(IndexSearcher s, String text) throws IOException {
        // one flat disjunction of term x field clauses: the same sum as a clause per term holding its
        // three fields, but MaxScore then skips on each field's own score bounds
        BooleanQuery.Builder all = new BooleanQuery.Builder();
        int clauses = 0;
        for (String key : indexedKeys(s)) {
            Analyzer analyzer = analyzers.forKey(key);
            Set<String> terms = new LinkedHashSet<>(analyze(analyzer, F_TEXT + "_" + key, text));
            for (String t : terms) {
                if (clauses + 3 > IndexSearcher.getMaxClauseCount()) {
                    return all.build();
                }
                all.add(
                        new BoostQuery(new TermQuery(new Term(F_TITLE + "_" + key, t)), titleBoost),
                        BooleanClause.Occur.SHOULD);
                all.add(
                        new BoostQuery(new TermQuery(new Term(F_HEADING + "_" + key, t)), headingBoost),
                        BooleanClause.Occur.SHOULD);
                all.add(new TermQuery(new Term(F_TEXT + "_" + key, t)), BooleanClause.Occur.SHOULD);
                clauses += 3;
            }
        }
        return clauses == 0 ? null : all.build();
    }

    private static List<String> analyze(Analyzer analyzer, String field, String text) throws IOException {
        List<String> out = new ArrayList<>();
        try (TokenStream ts = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
            ts.reset();
            while (ts.incrementToken()) {
                out.add(term.toString());
            }
            ts.end();
        }
        return out;
    }

    private static List<String> indexedKeys(IndexSearcher s) throws IOException {
        List<String> keys = new ArrayList<>();
        Terms terms = MultiTerms.getTerms(s.getIndexReader(), F_KEY);
        if (terms != null) {
            TermsEnum it = terms.iterator();
            for (BytesRef b = it.next(); b != null; b = it.next()) {
                keys.add(b.utf8ToString());
            }
        }
        return keys;
    }

    private static Passage passage(Document d) {
        return new Passage(
                d.get(F_PID),
                d.get(F_DID),
                d.get(F_TITLE),
                d.get(F_HEADING),
                d.get(F_TEXT),
                d.get(F_URL),
                d.get(F_LOCALE));
    }

    private static LeafReaderContext leafOf(IndexSearcher s, int doc) {
        List<LeafReaderContext> leaves = s.getIndexReader().leaves();
        return leaves.get(ReaderUtil.subIndex(doc, leaves));
    }

    private static float[] readVector(LeafReader reader, int doc) throws IOException {
        FloatVectorValues values = reader.getFloatVectorValues(F_VEC);
        if (values == null || values.advance(doc) != doc) {
            return null;
        }
        return values.vectorValue().clone();
    }

    private static float[] readTitleVector(LeafReader reader, int doc) throws IOException {
        BinaryDocValues values = reader.getBinaryDocValues(F_TITLE_VEC_DV);
        if (values == null || !values.advanceExact(doc)) {
            return null;
        }
        return floats(values.binaryValue());
    }

    private static float[] floats(BytesRef b) {
        ByteBuffer buf = ByteBuffer.wrap(b.bytes, b.offset, b.length);
        float[] v = new float[b.length / Float.BYTES];
        buf.asFloatBuffer().get(v);
        return v;
    }

    private static byte[] toBytes(float[] v) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * Float.BYTES);
        buf.asFloatBuffer().put(v);
        return buf.array();
    }

    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length && i < b.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------- misc

    @Override
    public int documentCount() {
        ensureOpen();
        try {
            IndexSearcher s = searchers.acquire();
            try {
                return s.count(new TermQuery(new Term(F_FIRST, "1")));
            } finally {
                searchers.release(s);
            }
        } catch (IOException e) {
            throw OpenCxException.retriable("Could not read the knowledge index " + where(), e);
        }
    }

    /** The embedding dimension, 0 for a store without embeddings. */
    public int dimension() {
        return dimension;
    }

    /** Commits pending writes and releases the index files; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        writeLock.lock();
        try {
            closeQuietly(searchers);
            try {
                writer.close(); // commits
            } catch (IOException e) {
                log.warn("Closing the knowledge index {} failed: {}", where(), e.toString());
            }
            closeQuietly(directory);
            analyzers.close();
            if (embeddingModel instanceof MiniLmEmbeddingModel own && ownsModel) {
                own.close();
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("LuceneKnowledgeStore is closed");
        }
    }

    private String where() {
        return folder == null ? "(in memory)" : folder.toString();
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception e) {
                log.debug("Close failed", e);
            }
        }
    }

    /**
     * Configures a {@link LuceneKnowledgeStore}. Not thread-safe; {@link #build()} may be called more
     * than once (each call opens a new store).
     */
    public static final class Builder {
        private Path directory;
        private EmbeddingModel embeddingModel;
        private String embeddingModelName;
        private boolean withoutEmbeddings;
        private Chunker chunker = Chunker.defaults();
        private RetrievalMode mode = RetrievalMode.HYBRID;
        private Fusion fusion = Fusion.SCORE;
        private double vectorWeight = 0.8;
        private int rrfK = 60;
        private int candidates = 50;
        private int titleCandidates = 10;
        private double titleBoost = 2.0;
        private double headingBoost = 1.5;
        private boolean titleVectors = true;
        private int embeddingBatchSize = 32;
        private int queryCacheSize = 512;

        private Builder() {}

        /** Keeps the index in this folder (created when missing). Default: in memory. */
        public Builder directory(Path directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** Keeps the index in memory ({@code ByteBuffersDirectory}); the default. */
        public Builder inMemory() {
            this.directory = null;
            return this;
        }

        /**
         * The model embedding passages and queries. Default: the in-process quantized
         * all-MiniLM-L6-v2 (384 dimensions, no network; a {@link MiniLmEmbeddingModel} the store
         * closes with itself).
         */
        public Builder embeddingModel(EmbeddingModel embeddingModel) {
            this.embeddingModel = Objects.requireNonNull(embeddingModel, "embeddingModel");
            return this;
        }

        /**
         * The name recorded in the index manifest. Default: the model's {@code modelName()}, or its
         * class name when it has none. Set it when one model class serves several models.
         */
        public Builder embeddingModelName(String embeddingModelName) {
            this.embeddingModelName = Objects.requireNonNull(embeddingModelName, "embeddingModelName");
            return this;
        }

        /** A lexical-only store: no embedding model is loaded; only {@link RetrievalMode#BM25} works. */
        public Builder withoutEmbeddings() {
            this.withoutEmbeddings = true;
            this.mode = RetrievalMode.BM25;
            return this;
        }

        /** How documents are cut into passages. Default: {@link Chunker#defaults()}. */
        public Builder chunker(Chunker chunker) {
            this.chunker = Objects.requireNonNull(chunker, "chunker");
            return this;
        }

        /** The retrievers {@link #search(KnowledgeQuery)} uses. Default: {@link RetrievalMode#HYBRID}. */
        public Builder retrievalMode(RetrievalMode mode) {
            this.mode = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /** How BM25 and vector results are merged. Default: {@link Fusion#SCORE}. */
        public Builder fusion(Fusion fusion) {
            this.fusion = Objects.requireNonNull(fusion, "fusion");
            return this;
        }

        /** The weight of the vector signal in fusion, 0..1 (BM25 gets the rest). Default: 0.8 (tuned on StackFAQ dev and the quickstart calibration questions). */
        public Builder vectorWeight(double vectorWeight) {
            this.vectorWeight = vectorWeight;
            return this;
        }

        /** The {@code k} of reciprocal rank fusion. Default: 60. */
        public Builder rrfK(int rrfK) {
            this.rrfK = rrfK;
            return this;
        }

        /** How many candidates each retriever collects before fusion. Default: 50 (quality unchanged from 100 on StackFAQ and the quickstart questions, search about 20 % faster at 10,000 articles). */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        /**
         * How many documents the title vector search adds to the candidates, those whose titles are
         * closest to the question (every candidate's title similarity counts in the ranking anyway);
         * 0 skips that search. Default: 10 (on the 10,000-article benchmark index the top three
         * documents of 1,000 questions are the same as with 50, and the vector search costs a third
         * less).
         */
        public Builder titleCandidates(int titleCandidates) {
            this.titleCandidates = titleCandidates;
            return this;
        }

        /** BM25 boost of title matches (text counts 1). Default: 2.0. */
        public Builder titleBoost(double titleBoost) {
            this.titleBoost = titleBoost;
            return this;
        }

        /** BM25 boost of heading matches (text counts 1). Default: 1.5. */
        public Builder headingBoost(double headingBoost) {
            this.headingBoost = headingBoost;
            return this;
        }

        /** Whether each document's title is also embedded on its own and matched. Default: true. */
        public Builder titleVectors(boolean titleVectors) {
            this.titleVectors = titleVectors;
            return this;
        }

        /** How many texts go to the embedding model in one call. Default: 32. */
        public Builder embeddingBatchSize(int embeddingBatchSize) {
            this.embeddingBatchSize = embeddingBatchSize;
            return this;
        }

        /** How many query embeddings are cached (LRU); 0 disables the cache. Default: 512. */
        public Builder queryCacheSize(int queryCacheSize) {
            this.queryCacheSize = queryCacheSize;
            return this;
        }

        /**
         * Opens the store, loading the embedding model and opening or creating the index.
         *
         * @throws IllegalArgumentException when a setting is out of range (all are reported)
         * @throws OpenCxException when the folder is corrupted, foreign, or built with another model
         */
        public LuceneKnowledgeStore build() {
            List<String> errors = new ArrayList<>();
            if (!(vectorWeight >= 0 && vectorWeight <= 1)) {
                errors.add("vectorWeight must be 0..1, was " + vectorWeight);
            }
            if (rrfK < 1) {
                errors.add("rrfK must be at least 1, was " + rrfK);
            }
            if (candidates < 1 || candidates > 10_000) {
                errors.add("candidates must be 1..10000, was " + candidates);
            }
            if (titleCandidates < 0 || titleCandidates > 10_000) {
                errors.add("titleCandidates must be 0..10000, was " + titleCandidates);
            }
            if (!(titleBoost > 0) || !(headingBoost > 0)) {
                errors.add("titleBoost and headingBoost must be positive, were " + titleBoost + " and " + headingBoost);
            }
            if (embeddingBatchSize < 1) {
                errors.add("embeddingBatchSize must be at least 1, was " + embeddingBatchSize);
            }
            if (queryCacheSize < 0) {
                errors.add("queryCacheSize must be at least 0, was " + queryCacheSize);
            }
            if (withoutEmbeddings && embeddingModel != null) {
                errors.add("withoutEmbeddings() and embeddingModel(...) were both set");
            }
            if (withoutEmbeddings && mode != RetrievalMode.BM25) {
                errors.add("retrievalMode " + mode + " needs embeddings, but withoutEmbeddings() was set");
            }
            if (!errors.isEmpty()) {
                throw new IllegalArgumentException(
                        "Invalid LuceneKnowledgeStore settings: " + String.join("; ", errors));
            }
            return new LuceneKnowledgeStore(this);
        }
    }
}
