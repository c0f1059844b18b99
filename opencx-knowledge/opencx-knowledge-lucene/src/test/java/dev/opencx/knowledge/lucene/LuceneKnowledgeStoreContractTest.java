package dev.opencx.knowledge.lucene;

import dev.opencx.knowledge.KnowledgeStore;
import dev.opencx.test.knowledge.KnowledgeStoreContract;
import java.nio.file.Path;

class LuceneKnowledgeStoreContractTest extends KnowledgeStoreContract {
    @Override
    protected KnowledgeStore newStore(Path directory) {
        return LuceneKnowledgeStore.builder()
                .directory(directory)
                .embeddingModel(Models.miniLm())
                .build();
    }
}
