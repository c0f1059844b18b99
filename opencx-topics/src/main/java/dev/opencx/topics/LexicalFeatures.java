package dev.opencx.topics;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Sparse lexical features of a text: word unigrams and bigrams and character 3- to 5-grams (inside
 * words, with boundary marks), weighted by sublinear term frequency times inverse document frequency
 * and L2-normalized. The vocabulary is learned from the training texts: terms seen in at least
 * {@code minDf} texts, the {@code maxFeatures} most frequent kept.
 *
 * <p>Immutable and thread-safe once built.
 */
final class LexicalFeatures {

    /** A sparse vector: sorted feature indices and their values. */
    record Sparse(int[] index, float[] value) {
        static final Sparse EMPTY = new Sparse(new int[0], new float[0]);
    }

    private final Map<String, Integer> vocabulary;
    private final float[] idf;

    private LexicalFeatures(Map<String, Integer> vocabulary, float[] idf) {
        this.vocabulary = vocabulary;
        this.idf = idf;
    }

    /** Learns the vocabulary and idf weights from the training texts. */
    static LexicalFeatures fit(List<String> texts, int minDf, int maxFeatures) {
        Map<String, int[]> df = new HashMap<>();
        for (String t : texts) {
            for (String term : new HashSet<>(terms(t))) {
                df.computeIfAbsent(term, k -> new int[1])[0]++;
            }
        }
        List<Map.Entry<String, int[]>> kept = new ArrayList<>();
        for (Map.Entry<String, int[]> e : df.entrySet()) {
            if (e.getValue()[0] >= minDf) {
                kept.add(e);
            }
        }
        // most frequent first, ties by term: deterministic whatever the map order
        kept.sort((a, b) -> a.getValue()[0] != b.getValue()[0]
                ? Integer.compare(b.getValue()[0], a.getValue()[0])
                : a.getKey().compareTo(b.getKey()));
        if (kept.size() > maxFeatures) {
            kept = kept.subList(0, maxFeatures);
        }
        Map<String, Integer> vocabulary = new HashMap<>(kept.size() * 2);
        float[] idf = new float[kept.size()];
        for (int i = 0; i < kept.size(); i++) {
            vocabulary.put(kept.get(i).getKey(), i);
            idf[i] = (float) (Math.log((1.0 + texts.size()) / (1.0 + kept.get(i).getValue()[0])) + 1);
        }
        return new LexicalFeatures(vocabulary, idf);
    }

    int dimension() {
        return idf.length;
    }

    /** The text's feature vector (unit length, or empty when no term is known). */
    Sparse vector(String text) {
        Map<Integer, Integer> tf = new HashMap<>();
        for (String term : terms(text)) {
            Integer i = vocabulary.get(term);
            if (i != null) {
                tf.merge(i, 1, Integer::sum);
            }
        }
        if (tf.isEmpty()) {
            return Sparse.EMPTY;
        }
        int[] index = new int[tf.size()];
        int n = 0;
        for (Integer i : tf.keySet()) {
            index[n++] = i;
        }
        Arrays.sort(index);
        float[] value = new float[index.length];
        double norm = 0;
        for (int k = 0; k < index.length; k++) {
            double v = (1 + Math.log(tf.get(index[k]))) * idf[index[k]];
            value[k] = (float) v;
            norm += v * v;
        }
        norm = Math.sqrt(norm);
        for (int k = 0; k < value.length; k++) {
            value[k] /= (float) norm;
        }
        return new Sparse(index, value);
    }

    /** Lower-cased, accent-folded words: letters and digits. */
    static List<String> words(String text) {
        String folded = Normalizer.normalize(text.toLowerCase(Locale.ROOT), Normalizer.Form.NFD)
                .replaceAll("\\p{M}+", "")
                .replace("'", "")
                .replace("\u2019", "");
        List<String> out = new ArrayList<>();
        for (String w : folded.split("[^\\p{L}\\p{N}]+")) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    private static List<String> terms(String text) {
        List<String> words = words(text);
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            out.add("w:" + w);
            if (i + 1 < words.size()) {
                out.add("b:" + w + " " + words.get(i + 1));
            }
            if (seen.add(w)) {
                String padded = "<" + w + ">";
                for (int n = 3; n <= 5; n++) {
                    for (int s = 0; s + n <= padded.length(); s++) {
                        out.add("c:" + padded.substring(s, s + n));
                    }
                }
            }
        }
        return out;
    }
}
