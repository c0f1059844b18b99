package dev.opencx.store.jdbc;

import dev.opencx.store.ConversationStore;
import dev.opencx.test.store.ConversationStoreContract;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file (the embedded default of earlier versions) in a temporary directory, new per test. */
class H2FileConversationStoreTest extends ConversationStoreContract {
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
        return JdbcConversationStore.builder()
                .url("jdbc:h2:file:" + dir.resolve("opencx") + ";LOCK_TIMEOUT=10000", "sa", "")
                .clock(clock)
                .build();
    }
}
