package dev.opencx.channel.twilio.voice;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a call goes when a person takes over: a phone number or a Twilio Client identity or SIP
 * address (all three through {@code <Dial>}), or a Twilio queue the caller waits in ({@code
 * <Enqueue>}) until an agent dequeues the call.
 *
 * <pre>{@code
 * HandoffTarget desk = HandoffTarget.number("+15551234567");   // <Dial><Number>+15551234567</Number></Dial>
 * HandoffTarget queue = HandoffTarget.queue("support");         // <Enqueue>support</Enqueue>
 * }</pre>
 *
 * @param kind how the call is transferred
 * @param value the number, queue name, client identity or SIP URI
 */
public record HandoffTarget(Kind kind, String value) {
    private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
    private static final Pattern CLIENT = Pattern.compile("[A-Za-z0-9_.@-]{1,121}");

    /** How the call is transferred. */
    public enum Kind {
        /** {@code <Dial><Number>}: an E.164 phone number. */
        NUMBER,
        /** {@code <Enqueue>}: a Twilio queue by name. */
        QUEUE,
        /** {@code <Dial><Client>}: a Twilio Voice SDK identity. */
        CLIENT,
        /** {@code <Dial><Sip>}: a SIP URI. */
        SIP
    }

    /**
     * @throws IllegalArgumentException naming the value when it is not valid for its kind
     */
    public HandoffTarget {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(value, "value");
        String v = value.strip();
        boolean ok =
                switch (kind) {
                    case NUMBER -> E164.matcher(v).matches();
                    case QUEUE -> !v.isEmpty() && v.length() <= 64 && v.chars().noneMatch(Character::isISOControl);
                    case CLIENT -> CLIENT.matcher(v).matches();
                    case SIP -> (v.startsWith("sip:") || v.startsWith("sips:"))
                            && v.indexOf('@') > 0
                            && v.chars().noneMatch(c -> c <= ' ');
                };
        if (!ok) {
            throw new IllegalArgumentException(
                    switch (kind) {
                        case NUMBER -> "handoff number must be E.164 like +15551234567, was '" + value + "'";
                        case QUEUE -> "handoff queue name must be 1 to 64 characters, was '" + value + "'";
                        case CLIENT -> "handoff client identity must be letters, digits, '_', '.', '@' or '-', was '"
                                + value + "'";
                        case SIP -> "handoff SIP address must look like sip:support@example.com, was '" + value + "'";
                    });
        }
        value = v;
    }

    /** A phone number, E.164 ({@code +15551234567}). */
    public static HandoffTarget number(String e164) {
        return new HandoffTarget(Kind.NUMBER, e164);
    }

    /** A Twilio queue by its friendly name; agents take callers from it. */
    public static HandoffTarget queue(String name) {
        return new HandoffTarget(Kind.QUEUE, name);
    }

    /** A Twilio Voice SDK client identity. */
    public static HandoffTarget client(String identity) {
        return new HandoffTarget(Kind.CLIENT, identity);
    }

    /** A SIP URI ({@code sip:support@pbx.example.com}). */
    public static HandoffTarget sip(String uri) {
        return new HandoffTarget(Kind.SIP, uri);
    }

    @Override
    public String toString() {
        return kind == Kind.NUMBER
                ? "HandoffTarget[NUMBER " + value.substring(0, Math.min(4, value.length())) + "…]"
                : "HandoffTarget[" + kind + " " + value + "]";
    }
}
