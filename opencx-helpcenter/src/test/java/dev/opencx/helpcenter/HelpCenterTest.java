package dev.opencx.helpcenter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.opencx.knowledge.BodyFormat;
import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HelpCenterTest {
    private final InMemoryKnowledgeStore store = new InMemoryKnowledgeStore();
    private final HelpCenter hc = new HelpCenter(store);

    private static Article article(String id, String locale, String title, String body, Article.Status status) {
        return new Article(
                id,
                locale,
                title,
                body,
                BodyFormat.MARKDOWN,
                "returns",
                "https://shop.example/" + locale + "/" + id,
                status);
    }

    private List<String> found(String query, String locale) {
        return store.search(new KnowledgeQuery(query, locale, 5, true)).stream()
                .map(h -> h.passage().documentId())
                .toList();
    }

    @Test
    void publishing_indexes_an_article_and_drafts_stay_out_of_the_index() {
        hc.addTopic(new HelpCenterTopic("returns", Map.of("en", "Returns", "es", "Devoluciones"), Map.of()));
        hc.save(article(
                "returns-policy",
                "en",
                "Our return policy",
                "You have 30 days to return any item.",
                Article.Status.PUBLISHED));
        hc.save(article(
                "holiday-returns",
                "en",
                "Holiday returns",
                "Gifts bought in December can be returned until January 31.",
                Article.Status.DRAFT));

        assertThat(found("return any item days", "en")).containsExactly("article:returns-policy:en");
        assertThat(found("gifts December January", "en")).doesNotContain("article:holiday-returns:en");

        hc.publish("holiday-returns", "en");
        assertThat(found("gifts December January", "en")).contains("article:holiday-returns:en");
        hc.unpublish("holiday-returns", "en");
        assertThat(found("gifts December January", "en")).doesNotContain("article:holiday-returns:en");
    }

    @Test
    void translations_share_the_id_and_are_searched_in_their_locale() {
        hc.save(article(
                "refunds",
                "en",
                "When will I get my refund?",
                "Refunds take 5 business days.",
                Article.Status.PUBLISHED));
        hc.save(article(
                "refunds",
                "es",
                "¿Cuándo recibiré mi reembolso?",
                "Los reembolsos tardan 5 días laborables.",
                Article.Status.PUBLISHED));

        assertThat(hc.translations("refunds")).containsOnlyKeys("en", "es");
        assertThat(found("reembolso días", "es")).first().isEqualTo("article:refunds:es");
        hc.delete("refunds");
        assertThat(hc.translations("refunds")).isEmpty();
        assertThat(found("reembolso días", "es")).isEmpty();
        assertThat(store.documentCount()).isZero();
    }

    @Test
    void articles_must_name_a_known_topic_once_topics_exist() {
        hc.addTopic(new HelpCenterTopic("billing", Map.of("en", "Billing"), Map.of()));
        assertThatThrownBy(() -> hc.save(article("x", "en", "X", "x", Article.Status.PUBLISHED)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'returns'")
                .hasMessageContaining("billing");
    }

    @Test
    void article_files_are_read_with_front_matter_and_bad_files_are_named(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("en/returns"));
        Files.writeString(
                dir.resolve("en/returns/policy.md"),
                """
                ---
                id: returns-policy
                title: "Our return policy"
                topic: returns
                locale: en
                url: https://shop.example/help/returns-policy
                status: published
                ---
                You have 30 days.

                ## Refunds
                Refunds take 5 days.
                """);
        List<Article> read = ArticleFiles.readAll(dir);
        assertThat(read).singleElement().satisfies(a -> {
            assertThat(a.title()).isEqualTo("Our return policy");
            assertThat(a.status()).isEqualTo(Article.Status.PUBLISHED);
            assertThat(a.body()).startsWith("You have 30 days.").contains("## Refunds");
            assertThat(a.documentId()).isEqualTo("article:returns-policy:en");
        });

        Path bad = Files.writeString(dir.resolve("en/returns/bad.md"), "---\ntitle: No id\n---\nbody\n");
        assertThatThrownBy(() -> ArticleFiles.read(bad))
                .hasMessageContaining("bad.md")
                .hasMessageContaining("'id'");
        Path badStatus = Files.writeString(
                dir.resolve("en/returns/status.md"), "---\nid: a\ntitle: A\nstatus: live\n---\nbody\n");
        assertThatThrownBy(() -> ArticleFiles.read(badStatus))
                .hasMessageContaining("status must be 'draft' or 'published', was 'live'");
        assertThatThrownBy(() -> ArticleFiles.readAll(dir.resolve("missing"))).hasMessageContaining("does not exist");
    }
}
