package dev.opencx.webhook;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An open {@code text/event-stream} response, given by the server to the handler that answered
 * with {@link WebResponse#eventStream}. The handler keeps it and sends events as they happen.
 *
 * <p>Servers implement it: the embedded server writes asynchronously; {@link #blocking} serves any
 * server that exposes the response as an {@link OutputStream} (the JDK's {@code HttpExchange}, a
 * servlet response). All methods are thread-safe; {@link #close} is idempotent and runs the
 * {@link #onClose} callbacks once, also when the client went away.
 */
public interface EventStream {

    /**
     * Sends one event. Never blocks for long.
     *
     * @return false when the stream is closed (the client disconnected, or could not keep up)
     */
    boolean send(ServerSentEvent event);

    /** Sends a comment (a heartbeat); false when the stream is closed. */
    boolean comment(String text);

    /** True until the stream is closed by either side. */
    boolean isOpen();

    /** Runs {@code callback} once when the stream closes (at once when it is already closed). */
    void onClose(Runnable callback);

    /** Ends the response. */
    void close();

    /**
     * An event stream that writes to {@code out} on the caller's thread and flushes after each
     * event; a write that fails closes it. {@code finish} is run once on close (e.g. {@code
     * exchange::close}).
     */
    static EventStream blocking(OutputStream out, Runnable finish) {
        return new Blocking(out, finish);
    }

    /** The {@link #blocking} stream. */
    final class Blocking implements EventStream {
        private final OutputStream out;
        private final Runnable finish;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();

        private Blocking(OutputStream out, Runnable finish) {
            this.out = Objects.requireNonNull(out, "out");
            this.finish = Objects.requireNonNull(finish, "finish");
        }

        @Override
        public boolean send(ServerSentEvent event) {
            return write(event.encode());
        }

        @Override
        public boolean comment(String text) {
            return write(ServerSentEvent.comment(text));
        }

        private boolean write(String frame) {
            if (closed.get()) {
                return false;
            }
            synchronized (out) {
                try {
                    out.write(frame.getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    return true;
                } catch (IOException | RuntimeException e) {
                    close();
                    return false;
                }
            }
        }

        @Override
        public boolean isOpen() {
            return !closed.get();
        }

        @Override
        public void onClose(Runnable callback) {
            Objects.requireNonNull(callback, "callback");
            callbacks.add(callback);
            if (closed.get() && callbacks.remove(callback)) {
                callback.run();
            }
        }

        @Override
        public void close() {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            try {
                synchronized (out) {
                    out.close();
                }
            } catch (IOException | RuntimeException ignored) {
                // the client is gone already
            }
            try {
                finish.run();
            } finally {
                for (Runnable r : callbacks) {
                    if (callbacks.remove(r)) {
                        r.run();
                    }
                }
            }
        }
    }
}
