package dev.opencx.channel.whatsapp.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A map that keeps the {@code capacity} most recently written keys and forgets older ones: for
 * idempotency keys already sent, statuses already recorded, ids of sent messages. Thread-safe.
 */
public final class Recent<K, V> {
    private final Map<K, V> entries;

    public Recent(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void put(K key, V value) {
        entries.remove(key);
        entries.put(key, value);
    }

    public synchronized Optional<V> get(K key) {
        return Optional.ofNullable(entries.get(key));
    }

    public synchronized boolean contains(K key) {
        return entries.containsKey(key);
    }

    public synchronized int size() {
        return entries.size();
    }
}
