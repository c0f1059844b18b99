package dev.opencx.http.internal;

import dev.opencx.webhook.EventStream;
import dev.opencx.webhook.ServerSentEvent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;

/**
 * An event stream over a Jetty response, written asynchronously: frames queue up while a write is
 * in flight and go out together. A client that falls more than {@code maxPendingChars} behind is
 * disconnected (it reconnects and resumes from its last event); no thread waits for a slow client.
 */
final class JettyEventStream implements EventStream {
    private final Response response;
    private final Callback done;
    private final int maxPendingChars;
    private final StringBuilder pending = new StringBuilder();
    private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
    private final AtomicBoolean callbacksRun = new AtomicBoolean();
    private boolean writing;
    private boolean closed;
    private boolean finished;

    JettyEventStream(Response response, Callback done, int maxPendingChars) {
        this.response = response;
        this.done = done;
        this.maxPendingChars = maxPendingChars;
    }

    @Override
    public boolean send(ServerSentEvent event) {
        return enqueue(event.encode());
    }

    @Override
    public boolean comment(String text) {
        return enqueue(ServerSentEvent.comment(text));
    }

    private boolean enqueue(String frame) {
        ByteBuffer now;
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (pending.length() + frame.length() > maxPendingChars) {
                now = null;
            } else {
                pending.append(frame);
                if (writing) {
                    return true;
                }
                writing = true;
                now = take();
            }
        }
        if (now == null) {
            fail(new IOException("the client reads too slowly; it will resume from its last event"));
            return false;
        }
        write(now);
        return true;
    }

    private ByteBuffer take() {
        ByteBuffer b = ByteBuffer.wrap(pending.toString().getBytes(StandardCharsets.UTF_8));
        pending.setLength(0);
        return b;
    }

    private void write(ByteBuffer b) {
        response.write(false, b, Callback.from(this::written, this::fail));
    }

    private void written() {
        ByteBuffer next = null;
        boolean finish = false;
        synchronized (this) {
            if (finished) {
                return;
            }
            if (pending.length() > 0) {
                next = take();
            } else {
                writing = false;
                if (closed) {
                    finished = true;
                    finish = true;
                }
            }
        }
        if (next != null) {
            write(next);
        } else if (finish) {
            response.write(true, BufferUtil.EMPTY_BUFFER, done);
            runCallbacks();
        }
    }

    /** The connection failed (client gone, idle timeout, server stopping). */
    void fail(Throwable cause) {
        synchronized (this) {
            if (finished) {
                return;
            }
            closed = true;
            finished = true;
            writing = false;
            pending.setLength(0);
        }
        done.failed(cause);
        runCallbacks();
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

    @Override
    public void close() {
        boolean finish;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            finish = !writing;
            if (finish) {
                finished = true;
            }
        }
        if (finish) {
            response.write(true, BufferUtil.EMPTY_BUFFER, done);
        }
        runCallbacks();
    }

    private void runCallbacks() {
        callbacksRun.set(true);
        for (Runnable r : callbacks) {
            if (callbacks.remove(r)) {
                r.run();
            }
        }
    }
}
