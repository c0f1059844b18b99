package dev.opencx.http.servlet;

import dev.opencx.webhook.EventStream;
import dev.opencx.webhook.ServerSentEvent;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An event stream over a servlet response in async mode, written with non-blocking I/O (Servlet
 * 3.1's {@link WriteListener}): frames queue while the client reads, go out as soon as the
 * container says it can take them, and each batch is flushed. The thread that sends an event never
 * waits for the client; a client more than {@code maxPendingBytes} behind is disconnected (it
 * reconnects and resumes from its last event). Every call to the output stream happens under this
 * object's lock, from whichever thread (the sender's or the container's).
 */
final class ServletEventStream implements EventStream, WriteListener {
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final int maxPendingBytes;
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean callbacksRun = new AtomicBoolean();
    private int pendingBytes;
    /** The container has called {@link #onWritePossible} once: from then on frames go when it is ready. */
    private boolean started;
    /** No more frames are accepted. */
    private boolean closed;
    /** The exchange is completed or failed. */
    private boolean finished;

    private boolean needFlush;

    ServletEventStream(AsyncContext async, ServletOutputStream out, int maxPendingBytes) {
        this.async = async;
        this.out = out;
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public boolean send(ServerSentEvent event) {
        return enqueue(event.encode().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean comment(String text) {
        return enqueue(ServerSentEvent.comment(text).getBytes(StandardCharsets.UTF_8));
    }

    boolean enqueue(byte[] frame) {
        Outcome outcome;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (pendingBytes + frame.length > maxPendingBytes) {
                outcome = Outcome.TOO_SLOW;
            } else {
                pending.add(frame);
                pendingBytes += frame.length;
                outcome = started ? pump() : Outcome.WAIT;
            }
        }
        return act(outcome);
    }

    @Override
    public void onWritePossible() {
        Outcome outcome;
        synchronized (this) {
            started = true;
            outcome = pump();
        }
        act(outcome);
    }

    @Override
    public void onError(Throwable failure) {
        fail();
    }

    private enum Outcome {
        WAIT,
        COMPLETE,
        FAILED,
        TOO_SLOW
    }

    /** Under the lock: writes what is pending while the container can take it. */
    private Outcome pump() {
        try {
            while (!finished) {
                if (!out.isReady()) {
                    return Outcome.WAIT; // the container calls onWritePossible when it can take more
                }
                byte[] next = pending.poll();
                if (next != null) {
                    pendingBytes -= next.length;
                    out.write(next);
                    needFlush = true;
                } else if (needFlush) {
                    needFlush = false;
                    out.flush();
                } else if (closed) {
                    finished = true;
                    return Outcome.COMPLETE;
                } else {
                    return Outcome.WAIT;
                }
            }
            return Outcome.WAIT;
        } catch (IOException | IllegalStateException e) {
            return Outcome.FAILED;
        }
    }

    /** Outside the lock: completes or fails the exchange as the pump decided; true while the stream is open. */
    private boolean act(Outcome outcome) {
        switch (outcome) {
            case COMPLETE -> {
                complete();
                runCallbacks();
                return false;
            }
            case FAILED, TOO_SLOW -> {
                fail();
                return false;
            }
            default -> {
                return true;
            }
        }
    }

    /** The client went away, fell too far behind, or the container gave up on the exchange. */
    void fail() {
        synchronized (this) {
            if (finished) {
                return;
            }
            closed = true;
            finished = true;
            pending.clear();
            pendingBytes = 0;
        }
        complete();
        runCallbacks();
    }

    private void complete() {
        try {
            async.complete();
        } catch (IllegalStateException e) {
            // completed already
        }
    }

    @Override
    public boolean isOpen() {
        synchronized (this) {
            return !closed;
        }
    }

    @Override
    public void onClose(Runnable callback) {
        Objects.requireNonNull(callback, "callback");
        callbacks.add(callback);
        if (callbacksRun.get() && callbacks.remove(callback)) {
            callback.run();
        }
    }

    /** Ends the response once what is queued is written. */
    @Override
    public void close() {
        Outcome outcome;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            outcome = started ? pump() : Outcome.WAIT;
        }
        act(outcome);
        runCallbacks();
    }

    /** Ends the response now, dropping what is queued (the server is stopping; clients resume later). */
    void abort() {
        fail();
    }

    private void runCallbacks() {
        callbacksRun.set(true);
        for (Runnable r : callbacks) {
            if (callbacks.remove(r)) {
                r.run();
            }
        }
    }

    /** Follows the exchange: a completion, error or timeout the container reports ends the stream. */
    AsyncListener listener() {
        return new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                synchronized (ServletEventStream.this) {
                    closed = true;
                    finished = true;
                    pending.clear();
                    pendingBytes = 0;
                }
                runCallbacks();
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                fail();
            }

            @Override
            public void onError(AsyncEvent event) {
                fail();
            }

            @Override
            public void onStartAsync(AsyncEvent event) {}
        };
    }
}
