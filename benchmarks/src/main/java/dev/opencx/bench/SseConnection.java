package dev.opencx.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One {@code text/event-stream} response read asynchronously with {@link HttpClient}: lines arrive
 * on the client's executor as the bytes do, so a thousand open streams hold no thread each.
 * Reports each dispatched event with the id of its own frame (empty for transient events, which
 * must not move {@code Last-Event-ID}), and exactly one end: {@link Listener#refused}, or {@link
 * Listener#ended} after {@link Listener#opened}.
 */
final class SseConnection {
    /** What a stream reports; called on the HTTP client's threads, one call at a time per stream. */
    interface Listener {
        /** The server answered 200 with an event stream. */
        void opened();

        /** The server answered another status, or the connection could not be made. */
        void refused(int status, Throwable error);

        /** One event; {@code id} is empty when its frame had no id line. */
        void event(String id, String type, String data);

        /** The stream ended: {@code error} null for an end of stream, else why. */
        void ended(Throwable error);
    }

    private final AtomicBoolean cancelled = new AtomicBoolean();
    private volatile Flow.Subscription subscription;
    private volatile Lines lines;

    private SseConnection() {}

    /**
     * Opens a stream: {@code Last-Event-ID} when {@code lastEventId > 0}, the widget's token as a
     * bearer token.
     */
    static SseConnection open(HttpClient http, URI uri, String token, long lastEventId, Listener l) {
        SseConnection c = new SseConnection();
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .GET()
                .timeout(Duration.ofSeconds(30)) // until the response headers arrive
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + token);
        if (lastEventId > 0) {
            b.header("Last-Event-ID", Long.toString(lastEventId));
        }
        AtomicBoolean reported = new AtomicBoolean();
        http.sendAsync(b.build(), info -> {
                    if (info.statusCode() != 200 || c.cancelled.get()) {
                        return HttpResponse.BodySubscribers.discarding();
                    }
                    reported.set(true);
                    l.opened();
                    c.lines = c.new Lines(l);
                    return HttpResponse.BodySubscribers.fromLineSubscriber(c.lines);
                })
                .whenComplete((response, error) -> {
                    if (reported.get()) {
                        return; // the line subscriber reports the end
                    }
                    l.refused(response == null ? 0 : response.statusCode(), error);
                });
        return c;
    }

    /**
     * Closes the connection. A stream that had opened reports {@link Listener#ended} (a cancelled
     * subscription gets no further signal from the client, so this reports it); one that had not
     * reports {@link Listener#refused}.
     */
    void cancel() {
        cancelled.set(true);
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        Lines open = lines;
        if (open != null) {
            open.end(null);
        }
    }

    boolean cancelled() {
        return cancelled.get();
    }

    /** The SSE wire format, line by line (lines already split on CR, LF or CRLF). */
    private final class Lines implements Flow.Subscriber<String> {
        private final Listener l;
        private final AtomicBoolean ended = new AtomicBoolean();
        private String id = "";
        private String type = "";
        private StringBuilder data;

        Lines(Listener l) {
            this.l = l;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (cancelled.get()) {
                s.cancel();
                end(null);
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(String line) {
            if (line.isEmpty()) {
                if (data != null) {
                    l.event(id, type.isEmpty() ? "message" : type, data.toString());
                }
                id = "";
                type = "";
                data = null;
                return;
            }
            if (line.charAt(0) == ':') {
                return; // a comment: heartbeats and the first "ok"
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "id" -> id = value;
                case "event" -> type = value;
                case "data" -> data = data == null
                        ? new StringBuilder(value)
                        : data.append('\n').append(value);
                default -> {
                    // retry: the load generator reconnects on its own schedule
                }
            }
        }

        @Override
        public void onError(Throwable t) {
            end(t);
        }

        @Override
        public void onComplete() {
            end(null);
        }

        private void end(Throwable t) {
            if (ended.compareAndSet(false, true)) {
                l.ended(t);
            }
        }
    }
}
