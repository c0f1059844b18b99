package dev.opencx.bench.jmh;

import dev.opencx.conversation.Author;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Message;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import dev.opencx.store.NewSession;
import dev.opencx.store.jdbc.JdbcConversationStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Appending a customer message to a session's event log: in memory, in the embedded SQLite file
 * ({@code sqlite}: synchronous=FULL, the default; {@code sqlite-normal}: synchronous=NORMAL) and in
 * H2 file mode. A new session is opened every 200 appends, like real conversations, so logs stay
 * realistic in length. On SQLite with FULL each append waits for one flush of the log to the disk:
 * this benchmark measures the disk as much as the code.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StoreAppendBenchmark {
    @Param({"memory", "sqlite", "sqlite-normal", "h2"})
    public String store;

    private ConversationStore s;
    private Path dir;
    private Contact contact;
    private String sessionId;
    private int appended;
    private final MessageReceived payload = new MessageReceived(new Message(
            "m1",
            Author.CUSTOMER,
            "",
            "Hi, my parcel shows as delivered but never arrived. I ordered last week. (order 123456)",
            List.of(),
            "",
            Instant.EPOCH));

    @Setup
    public void setup() throws IOException {
        switch (store) {
            case "memory" -> s = new InMemoryConversationStore();
            case "sqlite" -> s = JdbcConversationStore.sqlite(dir = Files.createTempDirectory("opencx-bench-sqlite"));
            case "sqlite-normal" -> s = JdbcConversationStore.builder()
                    .sqlite(dir = Files.createTempDirectory("opencx-bench-sqlite"))
                    .sqliteSynchronous(JdbcConversationStore.SqliteSynchronous.NORMAL)
                    .build();
            case "h2" -> s = JdbcConversationStore.h2(dir = Files.createTempDirectory("opencx-bench-h2"));
            default -> throw new IllegalArgumentException(
                    "store must be memory, sqlite, sqlite-normal or h2, was '" + store + "'");
        }
        contact = s.findOrCreateContact(Identity.email("bench@example.com"), "");
        newSession();
    }

    private void newSession() {
        sessionId = s.openSession(new NewSession(contact.id(), ChannelId.API, "t" + appended, "en"))
                .id();
    }

    @Benchmark
    public SessionEvent append() {
        if (++appended % 200 == 0) {
            newSession();
        }
        return s.append(sessionId, payload);
    }

    @TearDown
    public void tearDown() throws Exception {
        s.close();
    }
}
