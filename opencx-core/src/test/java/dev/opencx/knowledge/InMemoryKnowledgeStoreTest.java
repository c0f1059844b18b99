package dev.opencx.knowledge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class InMemoryKnowledgeStoreTest {

    @Test
    void finds_the_section_that_answers_the_question() {
        try (InMemoryKnowledgeStore store = new InMemoryKnowledgeStore()) {
            store.upsert(KnowledgeDocument.of(
                    "returns",
                    "Returns",
                    "# Refund timing\n\nRefunds take five business days.\n\n# Exchanges\n\nSwap sizes in store.",
                    BodyFormat.MARKDOWN));
            List<ScoredPassage> hits = store.search(KnowledgeQuery.of("when will my refund arrive", 5));
            assertThat(hits).isNotEmpty();
            assertThat(hits.get(0).passage().heading()).isEqualTo("Refund timing");
            assertThat(hits.get(0).signals()).containsKeys("bm25", "bm25_rank");
        }
    }

    @Test
    void tokens_fold_case_accents_and_plurals() {
        assertThat(InMemoryKnowledgeStore.tokens("The Cafés' REFUNDS, policies!"))
                .containsExactly("cafe", "refund", "policy");
    }

    @Test
    void language_is_the_primary_subtag() {
        assertThat(InMemoryKnowledgeStore.language("pt-BR")).isEqualTo("pt");
        assertThat(InMemoryKnowledgeStore.language("EN_us")).isEqualTo("en");
        assertThat(InMemoryKnowledgeStore.language("de")).isEqualTo("de");
    }
}
