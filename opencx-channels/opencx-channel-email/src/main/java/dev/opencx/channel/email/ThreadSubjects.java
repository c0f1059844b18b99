package dev.opencx.channel.email;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The subject of each recent thread, for the "Re:" of our replies (bounded; a miss asks the mailbox). */
final class ThreadSubjects {
    private static final int MAX = 10_000;

    private final Map<String, String> subjects = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > MAX;
        }
    };

    synchronized void remember(String threadId, String subject) {
        if (!threadId.isEmpty() && !subject.isBlank()) {
            subjects.put(threadId, subject);
        }
    }

    synchronized Optional<String> get(String threadId) {
        return Optional.ofNullable(subjects.get(threadId));
    }
}
