package dev.opencx.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.opencx.OpenCx;
import dev.opencx.store.ConversationStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The snippets of this module's README.md, run. Each Java block of the README must appear verbatim
 * between the {@code // README:begin} and {@code // README:end} markers of this file.
 */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("README.md");
    private static final Path SELF = Path.of("src/test/java/dev/opencx/store/jdbc/ReadmeSnippetsTest.java");

    @TempDir
    Path tmp;

    @Test
    void embedded_snippet_keeps_a_private_sqlite_file() throws Exception {
        Path dataDir = tmp.resolve("data");
        // README:begin
        try (JdbcConversationStore store = JdbcConversationStore.sqlite(dataDir)) { // dataDir/opencx.db
            OpenCx.Builder builder = OpenCx.builder().store(store); // then channels, knowledge, …, build()
            // run, and close the OpenCx before the store
        }
        // README:end
        assertThat(dataDir.resolve(JdbcConversationStore.SQLITE_FILE_NAME)).exists();
    }

    @Test
    void server_snippet_opens_a_pool_of_the_given_size() {
        String url = "jdbc:h2:mem:readme-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        String password = "";
        // README:begin
        JdbcConversationStore store = JdbcConversationStore.builder()
                .url(url, "opencx", password) // e.g. jdbc:postgresql://db:5432/app
                .maxPoolSize(16) // HikariCP pool: 16 connections
                .connectionTimeout(Duration.ofSeconds(5)) // the longest wait for one
                .build();
        // README:end
        try (store) {
            assertThat(store.ownedPools()).singleElement().satisfies(p -> {
                assertThat(p.getMaximumPoolSize()).isEqualTo(16);
                assertThat(p.getConnectionTimeout()).isEqualTo(5000);
            });
            ConversationStore asStore = store;
            assertThat(asStore.nextTicketNumber()).isNotNull();
        }
    }

    @Test
    void the_readme_java_blocks_are_the_ones_run_here() throws IOException {
        List<String> inReadme = blocks(Files.readString(README), Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL));
        List<String> inTest = blocks(
                Files.readString(SELF), Pattern.compile("// README:begin\\n(.*?)\\s*// README:end", Pattern.DOTALL));
        assertThat(inReadme).isNotEmpty();
        assertThat(inReadme).containsExactlyElementsOf(inTest);
    }

    private static List<String> blocks(String text, Pattern pattern) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1).stripIndent().strip());
        }
        return found;
    }
}
