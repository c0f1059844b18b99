package dev.opencx.webhook;

import java.util.Objects;

/**
 * One event of a {@code text/event-stream} response.
 *
 * @param id the event id the browser sends back as {@code Last-Event-ID} when it reconnects; empty
 *     for an event that must not move the client's position (a typing indicator)
 * @param event the event name ({@code message} when empty)
 * @param data the data; may span several lines. Empty data is not sent, and a client dispatches
 *     no event for it (use it for a frame that only sets {@code retry})
 * @param retryMillis the reconnection delay to tell the client, or 0 to leave it unchanged
 */
public record ServerSentEvent(String id, String event, String data, long retryMillis) {
    public ServerSentEvent {
        id = id == null ? "" : id;
        event = event == null ? "" : event;
        data = data == null ? "" : data;
        if (id.indexOf('\n') >= 0 || id.indexOf('\r') >= 0 || id.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("event id must be one line without NUL, was '" + id + "'");
        }
        if (event.indexOf('\n') >= 0 || event.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("event name must be one line, was '" + event + "'");
        }
        if (retryMillis < 0) {
            throw new IllegalArgumentException("retryMillis must be >= 0, was " + retryMillis);
        }
    }

    /** An event with an id, a name and data. */
    public static ServerSentEvent of(String id, String event, String data) {
        return new ServerSentEvent(id, event, data, 0);
    }

    /** A frame that only tells the client how long to wait before reconnecting. */
    public static ServerSentEvent retry(long millis) {
        if (millis < 1) {
            throw new IllegalArgumentException("retry must be >= 1 ms, was " + millis);
        }
        return new ServerSentEvent("", "", "", millis);
    }

    /** An event without an id: the client's {@code Last-Event-ID} stays where it was. */
    public static ServerSentEvent transientEvent(String event, String data) {
        return new ServerSentEvent("", Objects.requireNonNull(event, "event"), data, 0);
    }

    /** The event in the wire format, ending with the blank line that dispatches it. */
    public String encode() {
        StringBuilder sb = new StringBuilder(data.length() + 32);
        if (retryMillis > 0) {
            sb.append("retry: ").append(retryMillis).append('\n');
        }
        if (!id.isEmpty()) {
            sb.append("id: ").append(id).append('\n');
        }
        if (!event.isEmpty()) {
            sb.append("event: ").append(event).append('\n');
        }
        if (!data.isEmpty()) {
            for (String line : data.split("\r\n|\r|\n", -1)) {
                sb.append("data: ").append(line).append('\n');
            }
        }
        return sb.append('\n').toString();
    }

    /** A comment line: ignored by clients, it keeps proxies from closing an idle stream. */
    public static String comment(String text) {
        return ": " + text.replaceAll("[\r\n]", " ") + "\n\n";
    }
}
