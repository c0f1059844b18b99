package dev.opencx.helpdesk.inbox.web.internal;

import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The password checks of sign-ins, on a few threads of their own (PBKDF2 costs about 0.3 s of CPU
 * on purpose) with a short queue, so a flood of sign-ins can neither take every core nor make
 * anyone wait long: a check that cannot be queued is refused at once ({@link Busy}), never waited
 * for.
 *
 * <p>Fair to real agents: one client address has at most one check queued or running (its next
 * attempt is refused until that one ends), and the queue is ordered by a score of the address
 * (how many sign-ins it attempted lately and how many wrong passwords it sent), lowest first. When
 * the queue is full, a new check from an address with a lower score takes the place of the queued
 * one with the highest. So an address that keeps trying waits behind everyone else, and an agent's
 * sign-in from their own address goes ahead of it. One thread more is reserved for addresses whose
 * score is at most {@code cleanScore} (a few attempts, hardly any wrong password): such a sign-in
 * never waits for a guesser's check that is already running.
 */
public final class PasswordChecks implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PasswordChecks.class);

    /** Refused: the address has a check in flight, or the queue is full of checks that go first. */
    public static final class Busy extends RuntimeException {
        Busy(String why) {
            super(why, null, false, false);
        }
    }

    private record Task(
            long seq, int priority, String address, BooleanSupplier check, CompletableFuture<Boolean> result) {}

    private static final Comparator<Task> ORDER =
            Comparator.comparingInt(Task::priority).thenComparingLong(Task::seq);

    private final int capacity;
    private final int cleanScore;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final TreeSet<Task> queue = new TreeSet<>(ORDER);
    private final Set<String> inFlight = new HashSet<>();
    private final AtomicLong seq = new AtomicLong();
    private final Thread[] workers;
    private boolean closed;

    /**
     * @param threads threads for any check
     * @param capacity checks that may wait for a thread
     * @param cleanScore the highest score a check may have to run on the one reserved thread
     */
    public PasswordChecks(int threads, int capacity, int cleanScore) {
        this.capacity = capacity;
        this.cleanScore = cleanScore;
        this.workers = new Thread[threads + 1];
        for (int i = 0; i <= threads; i++) {
            boolean reserved = i == threads;
            Thread t = new Thread(
                    () -> work(reserved),
                    reserved ? "opencx-inbox-password-reserved" : "opencx-inbox-password-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** Threads for any password check on this machine: half the cores, 1 to 4 (plus the reserved one). */
    public static int defaultThreads() {
        return Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
    }

    /**
     * Queues a check for a client address; a lower {@code score} goes first.
     *
     * @return the check's outcome; completed exceptionally with {@link Busy} when it is refused
     *     now or later pushed out of the queue by a check that goes first
     */
    public CompletableFuture<Boolean> submit(String address, int score, BooleanSupplier check) {
        Task task = new Task(seq.incrementAndGet(), Math.max(0, score), address, check, new CompletableFuture<>());
        Task evicted = null;
        lock.lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new Busy("the inbox is closing"));
            }
            if (inFlight.contains(address)) {
                return CompletableFuture.failedFuture(new Busy("a sign-in from this address is being checked"));
            }
            if (queue.size() >= capacity) {
                Task worst = queue.last();
                if (task.priority >= worst.priority) {
                    return CompletableFuture.failedFuture(new Busy("too many sign-ins at once"));
                }
                queue.remove(worst);
                inFlight.remove(worst.address);
                evicted = worst;
            }
            queue.add(task);
            inFlight.add(address);
            ready.signalAll(); // the reserved thread may not take it: wake the others too
        } finally {
            lock.unlock();
        }
        if (evicted != null) {
            evicted.result.completeExceptionally(new Busy("too many sign-ins at once"));
        }
        return task.result;
    }

    /**
     * Gives up a check that is still queued (its caller stopped waiting): it never runs, and its
     * result completes with {@link Busy}.
     *
     * @return false when the check was no longer queued: it is running (its result follows soon) or done
     */
    public boolean abandonIfQueued(CompletableFuture<Boolean> result) {
        boolean removed = false;
        lock.lock();
        try {
            for (Iterator<Task> it = queue.iterator(); it.hasNext(); ) {
                Task t = it.next();
                if (t.result == result) {
                    it.remove();
                    inFlight.remove(t.address);
                    removed = true;
                    break;
                }
            }
        } finally {
            lock.unlock();
        }
        if (removed) {
            result.completeExceptionally(new Busy("gave up waiting"));
        }
        return removed;
    }

    /** Checks waiting for a thread. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    private void work(boolean reserved) {
        while (true) {
            Task task;
            lock.lock();
            try {
                // the queue is ordered by score: when its first check is not clean, none is
                while (!closed && (queue.isEmpty() || (reserved && queue.first().priority > cleanScore))) {
                    ready.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                task = queue.pollFirst();
                if (!queue.isEmpty()) {
                    ready.signalAll(); // a clean check may be first now
                }
            } finally {
                lock.unlock();
            }
            Boolean ok = null;
            RuntimeException failure = null;
            try {
                ok = task.check.getAsBoolean();
            } catch (RuntimeException e) {
                LOG.warn("inbox: a password check failed: {}", e.getClass().getSimpleName());
                failure = e;
            }
            lock.lock();
            try {
                inFlight.remove(task.address); // before the answer: the client's next attempt may follow at once
            } finally {
                lock.unlock();
            }
            if (failure == null) {
                task.result.complete(ok);
            } else {
                task.result.completeExceptionally(failure);
            }
        }
    }

    /** Stops the threads; queued checks are refused. Idempotent. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (Task t : queue) {
                t.result.completeExceptionally(new Busy("the inbox is closing"));
            }
            queue.clear();
            inFlight.clear();
            ready.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
