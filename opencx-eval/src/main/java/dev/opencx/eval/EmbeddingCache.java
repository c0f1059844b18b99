package dev.opencx.eval;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An embedding model that remembers vectors in memory and, optionally, in a file (keyed by the
 * SHA-256 of model name and text), so repeated eval runs do not embed the same texts again. Batches
 * report progress on stderr. {@link #bypass(boolean)} makes every call compute for real, to measure
 * latency.
 */
final class EmbeddingCache implements EmbeddingModel, AutoCloseable {
    private final EmbeddingModel delegate;
    private final Path file;
    private final PrintStream err;
    private final Map<String, float[]> vectors = new ConcurrentHashMap<>();
    private final List<String[]> pending = new ArrayList<>();
    private volatile boolean bypass;
    private long computed;

    EmbeddingCache(EmbeddingModel delegate, Path file, PrintStream err) throws IOException {
        this.delegate = delegate;
        this.file = file;
        this.err = err;
        if (file != null && Files.exists(file)) {
            try (DataInputStream in =
                    new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
                while (true) {
                    String key;
                    try {
                        key = in.readUTF();
                    } catch (EOFException e) {
                        break;
                    }
                    float[] v = new float[in.readInt()];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = in.readFloat();
                    }
                    vectors.put(key, v);
                }
            }
            err.printf("embeddings: %d cached vectors read from %s%n", vectors.size(), file);
        }
    }

    /** When on, every text is embedded by the model (nothing read from or added to the cache). */
    void bypass(boolean on) {
        this.bypass = on;
    }

    /** How many texts the model embedded so far. */
    long computed() {
        return computed;
    }

    private String key(String text) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((delegate.getClass().getName() + "/" + modelName()).getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            return HexFormat.of().formatHex(md.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        if (bypass) {
            return delegate.embedAll(segments);
        }
        Embedding[] out = new Embedding[segments.size()];
        List<TextSegment> missing = new ArrayList<>();
        List<Integer> missingAt = new ArrayList<>();
        List<String> missingKeys = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            String k = key(segments.get(i).text());
            float[] v = vectors.get(k);
            if (v != null) {
                out[i] = Embedding.from(v);
            } else {
                missing.add(segments.get(i));
                missingAt.add(i);
                missingKeys.add(k);
            }
        }
        for (int start = 0; start < missing.size(); start += 256) {
            List<TextSegment> batch = missing.subList(start, Math.min(missing.size(), start + 256));
            List<Embedding> got = delegate.embedAll(batch).content();
            for (int j = 0; j < got.size(); j++) {
                int at = start + j;
                out[missingAt.get(at)] = got.get(j);
                vectors.put(missingKeys.get(at), got.get(j).vector());
                synchronized (pending) {
                    pending.add(new String[] {missingKeys.get(at)});
                }
            }
            long before = computed;
            computed += got.size();
            if (computed / 1000 != before / 1000 || missing.size() > 256 && start + 256 >= missing.size()) {
                err.printf("embeddings: %d texts embedded%n", computed);
            }
        }
        return Response.from(List.of(out));
    }

    /** Embeds the texts ahead of use (so later calls are cache hits), with progress. */
    void warm(List<String> texts) {
        List<TextSegment> segments = new ArrayList<>();
        for (String t : texts) {
            segments.add(TextSegment.from(t));
        }
        for (int start = 0; start < segments.size(); start += 2048) {
            embedAll(segments.subList(start, Math.min(segments.size(), start + 2048)));
        }
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }

    /** Appends the newly computed vectors to the cache file. */
    @Override
    public void close() throws IOException {
        if (file == null) {
            return;
        }
        synchronized (pending) {
            if (pending.isEmpty()) {
                return;
            }
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            try (DataOutputStream o = new DataOutputStream(new java.io.BufferedOutputStream(
                    Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND), 1 << 16))) {
                for (String[] p : pending) {
                    float[] v = vectors.get(p[0]);
                    o.writeUTF(p[0]);
                    o.writeInt(v.length);
                    for (float f : v) {
                        o.writeFloat(f);
                    }
                }
            }
            err.printf("embeddings: %d new vectors written to %s%n", pending.size(), file);
            pending.clear();
        }
    }
}
