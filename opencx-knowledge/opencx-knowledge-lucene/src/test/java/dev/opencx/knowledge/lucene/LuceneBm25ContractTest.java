package dev.opencx.knowledge.lucene;

import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.test.knowledge.KnowledgeStoreContract;
import java.nio.file.Path;

/** The contract for a lexical-only store (no embedding model). */
class LuceneBm25ContractTest extends KnowledgeStoreContract {
    @Override
    protected KnowledgeStore newStore(Path directory) {
        return LuceneKnowledgeStore.builder().inMemory().withoutEmbeddings().build();
    }
}
