package dev.opencx.channel.twilio;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A bounded map that forgets its oldest entries first; thread-safe. */
final class Memory<V> {
    private final Map<String, V> entries;

    Memory(int capacity) {
        this.entries = new LinkedHashMap<>(Math.min(capacity, 1024), 0.75f, false) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Optional<V> get(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** Remembers {@code value} unless the key is there; true when it was not. */
    synchronized boolean putIfAbsent(String key, V value) {
        if (entries.containsKey(key)) {
            return false;
        }
        entries.put(key, value);
        return true;
    }

    synchronized void put(String key, V value) {
        entries.put(key, value);
    }

    synchronized void remove(String key) {
        entries.remove(key);
    }

    synchronized int size() {
        return entries.size();
    }
}
