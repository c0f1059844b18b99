package dev.opencx.channel.email;

/** A mail the channel cannot understand (no sender, broken MIME): skipped, never retried. */
final class MalformedMailException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedMailException(String message, Throwable cause) {
        super(message, cause);
    }
}
