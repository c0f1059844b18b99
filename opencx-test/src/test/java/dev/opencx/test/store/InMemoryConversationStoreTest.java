package dev.opencx.test.store;

import dev.opencx.store.ConversationStore;
import dev.opencx.store.InMemoryConversationStore;
import java.time.Clock;

class InMemoryConversationStoreTest extends ConversationStoreContract {
    @Override
    protected ConversationStore newStore(Clock clock) {
        return new InMemoryConversationStore(clock);
    }
}
