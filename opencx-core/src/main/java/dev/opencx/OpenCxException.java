package dev.opencx;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The one unchecked exception of OpenCX. {@link #isRetriable()} tells whether the same call may
 * succeed later (rate limit, timeout, 5xx, an unreachable database) or never will (bad input,
 * authentication, not found). Adapters map their vendor's errors onto it.
 */
public class OpenCxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;
    private final transient Duration retryAfter;

    public OpenCxException(String message, boolean retriable) {
        this(message, null, retriable);
    }

    public OpenCxException(String message, Throwable cause, boolean retriable) {
        this(message, cause, retriable, null);
    }

    /**
     * For subclasses that carry a provider's advice.
     *
     * @param retryAfter how long to wait before trying again, null when nobody said
     */
    protected OpenCxException(String message, Throwable cause, boolean retriable, Duration retryAfter) {
        super(message, cause);
        this.retriable = retriable;
        this.retryAfter = retryAfter;
    }

    /** A failure that may succeed when tried again later. */
    public static OpenCxException retriable(String message, Throwable cause) {
        return new OpenCxException(message, cause, true);
    }

    /**
     * A failure worth trying again, but not before {@code after}: a provider's {@code 429} or
     * {@code 503} with a {@code Retry-After} header. The outbox waits at least that long (or its
     * own backoff, whichever is longer) before the next attempt.
     *
     * @param after how long to wait, zero or positive
     */
    public static OpenCxException retryAfter(String message, Duration after, Throwable cause) {
        Objects.requireNonNull(after, "after");
        if (after.isNegative()) {
            throw new IllegalArgumentException("retry-after must not be negative, was " + after);
        }
        return new OpenCxException(message, cause, true, after);
    }

    /** A failure that will fail again the same way. */
    public static OpenCxException permanent(String message, Throwable cause) {
        return new OpenCxException(message, cause, false);
    }

    public boolean isRetriable() {
        return retriable;
    }

    /** How long the provider asked us to wait before trying again, when it said. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
