package dev.opencx.channel.email;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** {@link EmailCursorStore#inMemory()}. */
final class InMemoryCursorStore implements EmailCursorStore {
    private final Map<String, EmailCursor> cursors = new ConcurrentHashMap<>();

    @Override
    public Optional<EmailCursor> load(String key) {
        return Optional.ofNullable(cursors.get(Objects.requireNonNull(key, "key")));
    }

    @Override
    public void save(String key, EmailCursor cursor) {
        cursors.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(cursor, "cursor"));
    }

    @Override
    public String toString() {
        return "EmailCursorStore.inMemory()";
    }
}
