package dev.opencx.test.knowledge;

import dev.opencx.knowledge.InMemoryKnowledgeStore;
import dev.opencx.knowledge.KnowledgeStore;
import java.nio.file.Path;

class InMemoryKnowledgeStoreContractTest extends KnowledgeStoreContract {
    @Override
    protected KnowledgeStore newStore(Path directory) {
        return new InMemoryKnowledgeStore();
    }
}
