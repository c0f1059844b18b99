package dev.opencx.store.jdbc;

import dev.opencx.store.ConversationStore;
import dev.opencx.test.store.ConversationStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded default: a SQLite file in a temporary directory, new per test. */
class SqliteConversationStoreTest extends ConversationStoreContract {
    @TempDir
    Path dir;

    @Override
    protected ConversationStore newStore(Clock clock) {
        return build(clock);
    }

    @Override
    protected ConversationStore reopen(Clock clock) {
        return build(clock);
    }

    private ConversationStore build(Clock clock) {
        return JdbcConversationStore.builder().sqlite(dir).clock(clock).build();
    }
}
