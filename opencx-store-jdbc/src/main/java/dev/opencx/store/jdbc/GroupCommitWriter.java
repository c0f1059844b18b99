package dev.opencx.store.jdbc;

import dev.opencx.OpenCxException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs write transactions on a single-writer database (SQLite) several to one commit, so that
 * concurrent writers share the flush of the log to the disk (group commit).
 *
 * <p>A caller queues its transaction body and waits. Whoever finds no batch running leads the next
 * one, on its own thread: it opens {@code BEGIN IMMEDIATE} on the writer connection, runs the
 * bodies queued at that moment (at most {@code maxBatch}, and no more once the batch has run for
 * {@code maxBatchTime}) one after the other, each inside its own {@code SAVEPOINT}, then commits
 * once and hands every caller its own outcome. A lone caller therefore runs at once, and a batch is
 * whatever queued while the previous one ran and flushed; nobody waits for company.
 *
 * <ul>
 *   <li>A body that throws is rolled back to its savepoint: its writes are gone, the others in the
 *       batch are unaffected, and only its caller gets the exception. A body that succeeds sees the
 *       writes of the bodies before it in the batch, never the writes of one that failed.
 *   <li>A caller returns only after the {@code COMMIT} that holds its writes has returned, so with
 *       {@code synchronous=FULL} a write that returned is on the disk.
 *   <li>When the batch itself fails ({@code COMMIT}, {@code BEGIN}, a savepoint statement, the
 *       connection), the whole transaction is rolled back and every caller of the batch whose body
 *       had succeeded gets that failure: nothing of the batch is stored.
 * </ul>
 *
 * <p>The connection stays in JDBC auto-commit mode and the transaction is driven with SQL, so a body
 * that called {@link Connection#commit()} or {@link Connection#rollback()} would fail instead of
 * ending the batch; bodies discard their own writes with {@link Undo#discard()}.
 */
final class GroupCommitWriter {
    private static final Logger log = LoggerFactory.getLogger(GroupCommitWriter.class);
    private static final String SAVEPOINT = "opencx_write";

    /** The body of a write transaction. */
    @FunctionalInterface
    interface Body<T> {
        /**
         * @param c the writer connection, inside the transaction; never commit, roll back or close it
         * @param undo discards what this body wrote so far
         */
        T run(Connection c, Undo undo) throws SQLException;
    }

    /** Discards what the current body has written so far; the body may go on writing afterwards. */
    @FunctionalInterface
    interface Undo {
        void discard() throws SQLException;
    }

    private static final int QUEUED = 0;
    private static final int TAKEN = 1;
    private static final int DONE = 2;

    private final DataSource writes;
    private final long waitNanos;
    private final int maxBatch;
    private final long maxBatchNanos;
    private final String where;

    private final ReentrantLock mutex = new ReentrantLock();
    /** Guarded by {@link #mutex}. */
    private final Deque<Request<?>> queue = new ArrayDeque<>();
    /** Guarded by {@link #mutex}: true while a leader runs a batch. */
    private boolean leading;

    private final AtomicLong transactions = new AtomicLong();
    private final AtomicLong commits = new AtomicLong();

    /**
     * @param writes hands out the writer connection (a pool of one)
     * @param wait how long a caller may stay queued before its body is taken into a batch
     * @param maxBatch at most this many bodies per commit
     * @param maxBatchTime no further body is taken into a batch that has run this long
     * @param where the database, for messages
     */
    GroupCommitWriter(DataSource writes, Duration wait, int maxBatch, Duration maxBatchTime, String where) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
        }
        this.writes = writes;
        this.waitNanos = wait.toNanos();
        this.maxBatch = maxBatch;
        this.maxBatchNanos = maxBatchTime.toNanos();
        this.where = where;
    }

    /**
     * Runs {@code body} in a transaction shared with the bodies queued alongside it, and returns
     * once that transaction has committed.
     *
     * @return what the body returned
     * @throws SQLException what the body threw, or why the batch's transaction failed
     * @throws OpenCxException (retriable) when the body waited longer than the wait to be taken into
     *     a batch, or the caller was interrupted while waiting; the body did not run
     */
    <T> T write(String what, Body<T> body) throws SQLException {
        Request<T> r = new Request<>(body, mutex.newCondition());
        long deadline = System.nanoTime() + waitNanos;
        boolean interrupted = false;
        mutex.lock();
        try {
            queue.addLast(r);
            while (r.state != DONE) {
                if (!leading) {
                    lead();
                    continue;
                }
                if (r.state == TAKEN) {
                    r.done.awaitUninterruptibly(); // its batch runs: the outcome is on its way
                    continue;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    queue.remove(r);
                    throw OpenCxException.retriable(
                            "the conversation store at " + where + " had no free write slot for "
                                    + Duration.ofNanos(waitNanos).toMillis() + " ms while " + what + " ("
                                    + queue.size() + " other writes queued)",
                            null);
                }
                try {
                    r.done.awaitNanos(left);
                } catch (InterruptedException e) {
                    if (r.state == QUEUED) {
                        queue.remove(r);
                        Thread.currentThread().interrupt();
                        throw OpenCxException.retriable(
                                "interrupted while waiting to write to the conversation store", e);
                    }
                    interrupted = true; // taken already: wait for the outcome, then restore the flag
                }
            }
        } finally {
            if (!leading && !queue.isEmpty()) {
                queue.peekFirst().done.signal(); // someone must lead the writes still queued
            }
            mutex.unlock();
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        transactions.incrementAndGet();
        return r.outcome();
    }

    /** Runs one batch; called and returns with {@link #mutex} held, which it releases meanwhile. */
    private void lead() {
        leading = true;
        int limit = Math.min(queue.size(), maxBatch);
        List<Request<?>> batch = new ArrayList<>(limit);
        mutex.unlock();
        try {
            runBatch(limit, batch);
        } finally {
            mutex.lock();
            leading = false;
            for (Request<?> r : batch) {
                r.state = DONE;
                r.done.signal();
            }
        }
    }

    /** The next queued request, now taken into the running batch; null when none is queued. */
    private Request<?> take() {
        mutex.lock();
        try {
            Request<?> r = queue.pollFirst();
            if (r != null) {
                r.state = TAKEN;
            }
            return r;
        } finally {
            mutex.unlock();
        }
    }

    private void runBatch(int limit, List<Request<?>> batch) {
        Connection c = null;
        Statement st = null;
        boolean committed = false;
        try {
            c = writes.getConnection();
            if (!c.getAutoCommit()) {
                c.setAutoCommit(true); // the transaction is ours to drive, in SQL
            }
            st = c.createStatement();
            begin(st);
            try {
                long start = System.nanoTime();
                boolean anySucceeded = false;
                Request<?> r;
                while (batch.size() < limit
                        && (batch.isEmpty() || System.nanoTime() - start < maxBatchNanos)
                        && (r = take()) != null) {
                    batch.add(r);
                    anySucceeded |= runInSavepoint(c, st, r);
                }
                if (anySucceeded) {
                    st.execute("COMMIT");
                    committed = true;
                    commits.incrementAndGet();
                } else {
                    st.execute("ROLLBACK"); // nothing to keep: no flush
                    committed = true;
                }
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly(st, e);
                throw e;
            }
        } catch (SQLException | RuntimeException | Error e) {
            if (batch.isEmpty()) {
                // no connection or no transaction: the first in line learns why; the others try again
                Request<?> first = take();
                if (first != null) {
                    batch.add(first);
                }
            }
            for (Request<?> r : batch) {
                r.batchFailed(e);
            }
            if (batch.size() > 1) {
                log.debug("a write batch of {} transactions failed at {}: {}", batch.size(), where, e.toString());
            }
        } finally {
            closeQuietly(st, c, committed);
        }
    }

    private static void begin(Statement st) throws SQLException {
        try {
            st.execute("BEGIN IMMEDIATE");
        } catch (SQLException e) {
            String message = e.getMessage() == null ? "" : e.getMessage();
            if (!message.contains("within a transaction")) {
                throw e;
            }
            // left open by a batch whose rollback failed: its callers were told it failed, so discard it
            st.execute("ROLLBACK");
            st.execute("BEGIN IMMEDIATE");
        }
    }

    /** Runs one body in its own savepoint; false when the body failed (and was rolled back). */
    private static boolean runInSavepoint(Connection c, Statement st, Request<?> r) throws SQLException {
        st.execute("SAVEPOINT " + SAVEPOINT);
        try {
            r.succeeded(r.body.run(c, () -> st.execute("ROLLBACK TO " + SAVEPOINT)));
        } catch (SQLException | RuntimeException | Error e) {
            r.failed(e);
            // fails (no such savepoint) when SQLite rolled back the whole transaction: the batch fails
            st.execute("ROLLBACK TO " + SAVEPOINT);
            st.execute("RELEASE " + SAVEPOINT);
            return false;
        }
        st.execute("RELEASE " + SAVEPOINT); // fails when the transaction is gone: the batch fails
        return true;
    }

    private static void rollbackQuietly(Statement st, Throwable cause) {
        try {
            st.execute("ROLLBACK");
        } catch (SQLException e) {
            // "no transaction is active" when SQLite has rolled it back already
            if (e.getMessage() == null || !e.getMessage().contains("no transaction is active")) {
                cause.addSuppressed(e);
            }
        }
    }

    private void closeQuietly(Statement st, Connection c, boolean committed) {
        try {
            if (st != null) {
                st.close();
            }
            if (c != null) {
                c.close();
            }
        } catch (SQLException e) {
            // the outcome is settled; a broken connection is replaced by the pool
            log.debug(
                    "closing the writer connection at {} after a {} batch failed: {}",
                    where,
                    committed ? "committed" : "failed",
                    e.toString());
        }
    }

    /** Write transactions that returned or threw, since this writer was made. */
    long transactions() {
        return transactions.get();
    }

    /** Commits that stored at least one transaction, since this writer was made. */
    long commits() {
        return commits.get();
    }

    /** Callers queued and not yet taken into a batch (for tests). */
    int queued() {
        mutex.lock();
        try {
            return queue.size();
        } finally {
            mutex.unlock();
        }
    }

    private static final class Request<T> {
        final Body<T> body;
        final Condition done;
        /** Guarded by the writer's mutex. */
        int state = QUEUED;

        private T result;
        private Throwable failure;
        private boolean bodyFailed;

        Request(Body<T> body, Condition done) {
            this.body = body;
            this.done = done;
        }

        @SuppressWarnings("unchecked")
        void succeeded(Object result) {
            this.result = (T) result;
        }

        void failed(Throwable e) {
            this.failure = e;
            this.bodyFailed = true;
        }

        /** The batch did not commit: a body that had succeeded fails with the batch's failure. */
        void batchFailed(Throwable e) {
            if (!bodyFailed) {
                this.result = null;
                this.failure = e;
            }
        }

        T outcome() throws SQLException {
            if (failure == null) {
                return result;
            }
            if (failure instanceof SQLException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            throw (Error) failure;
        }
    }
}
