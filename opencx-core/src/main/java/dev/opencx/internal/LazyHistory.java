package dev.opencx.internal;

import dev.opencx.conversation.Message;
import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.function.Supplier;

/**
 * A turn's history that is read from the store only when a responder first looks at it: the
 * embedded responder answers most questions without it, and reading and decoding fifty messages
 * per turn is a measurable share of a turn. Unmodifiable; the loaded list is kept.
 */
public final class LazyHistory extends AbstractList<Message> implements RandomAccess {
    private final Supplier<List<Message>> load;
    private volatile List<Message> loaded;

    /** @param load reads the history (an unmodifiable list), called at most once */
    public LazyHistory(Supplier<List<Message>> load) {
        this.load = Objects.requireNonNull(load, "load");
    }

    private List<Message> messages() {
        List<Message> m = loaded;
        if (m == null) {
            synchronized (this) {
                m = loaded;
                if (m == null) {
                    m = List.copyOf(load.get());
                    loaded = m;
                }
            }
        }
        return m;
    }

    @Override
    public Message get(int index) {
        return messages().get(index);
    }

    @Override
    public int size() {
        return messages().size();
    }
}
