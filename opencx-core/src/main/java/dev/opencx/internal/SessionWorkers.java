package dev.opencx.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs tasks one at a time per key (session) and in submission order, keys in parallel, on a
 * shared executor. Keeps no state for idle keys.
 */
public final class SessionWorkers {
    private final Executor executor;
    private final ConcurrentHashMap<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    public SessionWorkers(Executor executor) {
        this.executor = executor;
    }

    /** Queues a task after every earlier task of the same key. */
    public CompletableFuture<Void> submit(String key, Runnable task) {
        inFlight.incrementAndGet();
        @SuppressWarnings("unchecked")
        CompletableFuture<Void>[] created = new CompletableFuture[1];
        tails.compute(key, (k, tail) -> {
            CompletableFuture<Void> prev = tail == null ? CompletableFuture.completedFuture(null) : tail;
            CompletableFuture<Void> next = prev.handleAsync(
                    (v, e) -> {
                        try {
                            task.run();
                        } finally {
                            inFlight.decrementAndGet();
                        }
                        return null;
                    },
                    executor);
            created[0] = next;
            return next;
        });
        CompletableFuture<Void> mine = created[0];
        mine.whenComplete((v, e) -> tails.remove(key, mine));
        return mine;
    }

    /** Tasks queued or running. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Keys with queued or running tasks. */
    public int activeKeys() {
        return tails.size();
    }
}
