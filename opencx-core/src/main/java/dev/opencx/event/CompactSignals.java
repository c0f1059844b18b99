package dev.opencx.event;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of named numbers stored as two arrays (interned names, primitive values): the
 * scores recorded with every turn stay small in a store that keeps session logs in memory.
 */
final class CompactSignals extends AbstractMap<String, Double> {
    private static final int MAX_SHAPES = 256;
    /** Key arrays shared by every map with the same names in the same order. */
    private static final java.util.concurrent.ConcurrentHashMap<java.util.List<String>, String[]> SHAPES =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final String[] keys;
    private final double[] values;

    private CompactSignals(String[] keys, double[] values) {
        this.keys = keys;
        this.values = values;
    }

    static Map<String, Double> of(Map<String, Double> source) {
        if (source == null || source.isEmpty()) {
            return Map.of();
        }
        if (source instanceof CompactSignals c) {
            return c;
        }
        String[] k = new String[source.size()];
        double[] v = new double[source.size()];
        int i = 0;
        for (Map.Entry<String, Double> e : source.entrySet()) {
            k[i] = e.getKey().intern();
            Double d = e.getValue();
            if (d == null) {
                throw new NullPointerException("signal '" + e.getKey() + "' is null");
            }
            v[i++] = d;
        }
        return new CompactSignals(shape(k), v);
    }

    private static String[] shape(String[] keys) {
        java.util.List<String> key = java.util.List.of(keys);
        String[] shared = SHAPES.get(key);
        if (shared != null) {
            return shared;
        }
        if (SHAPES.size() < MAX_SHAPES) {
            shared = SHAPES.putIfAbsent(key, keys);
            return shared != null ? shared : keys;
        }
        return keys;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    public Double get(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public boolean containsKey(Object key) {
        return get(key) != null;
    }

    @Override
    public Set<Entry<String, Double>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Double>> iterator() {
                return new Iterator<>() {
                    private int i;

                    @Override
                    public boolean hasNext() {
                        return i < keys.length;
                    }

                    @Override
                    public Entry<String, Double> next() {
                        if (i >= keys.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, Double> e = new SimpleImmutableEntry<>(keys[i], values[i]);
                        i++;
                        return e;
                    }
                };
            }

            @Override
            public int size() {
                return keys.length;
            }
        };
    }
}
