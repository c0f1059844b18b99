package dev.opencx.conversation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A session's human-readable id, {@code #1000}, {@code #1001}, … unique and increasing per store,
 * and carried over to the helpdesk.
 */
public record TicketNumber(@JsonValue long value) implements Comparable<TicketNumber> {
    /** The first ticket number a new store hands out. */
    public static final long FIRST = 1000;

    public TicketNumber {
        if (value < 1) {
            throw new IllegalArgumentException("ticket number must be positive, was " + value);
        }
    }

    @JsonCreator
    public static TicketNumber of(long value) {
        return new TicketNumber(value);
    }

    /** Parses {@code #1042} or {@code 1042}. */
    public static TicketNumber parse(String text) {
        String t = text.strip();
        if (t.startsWith("#")) {
            t = t.substring(1);
        }
        try {
            return new TicketNumber(Long.parseLong(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a ticket number: '" + text + "'", e);
        }
    }

    @Override
    public int compareTo(TicketNumber o) {
        return Long.compare(value, o.value);
    }

    @Override
    public String toString() {
        return "#" + value;
    }
}
