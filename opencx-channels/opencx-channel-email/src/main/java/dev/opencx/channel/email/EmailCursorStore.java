package dev.opencx.channel.email;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where an {@link EmailChannel} keeps its {@link EmailCursor}s, so that a restart neither reads a
 * mail twice nor misses one. The channel saves the cursor after each mail it has handled (stored
 * through OpenCX, or deliberately skipped), never before.
 *
 * <pre>{@code
 * EmailCursorStore cursors = EmailCursorStore.file(Path.of("data/email-cursor.properties"));
 * }</pre>
 *
 * <p>Contract: thread-safe; {@link #save} is durable when it returns (a crash right after it keeps
 * the new cursor); no parameter is null. A retriable failure may be thrown as an unchecked
 * exception: the channel then handles the same mail again later (the store's dedupe on the mail's
 * Message-ID makes that harmless).
 */
public interface EmailCursorStore {

    /**
     * The cursor saved under a key.
     *
     * @param key names one mailbox folder of one channel
     */
    Optional<EmailCursor> load(String key);

    /** Saves a cursor durably under a key, replacing the one before. */
    void save(String key, EmailCursor cursor);

    /**
     * Cursors in a small properties file, rewritten atomically (a temporary file, flushed to disk,
     * then renamed over the old one) on every save. One file can hold the cursors of several
     * channels of one process; do not share it between processes.
     *
     * @param file the file; its directory is created when missing
     */
    static EmailCursorStore file(Path file) {
        return new FileCursorStore(file);
    }

    /** Cursors in memory, lost when the process ends: for tests. */
    static EmailCursorStore inMemory() {
        return new InMemoryCursorStore();
    }
}
