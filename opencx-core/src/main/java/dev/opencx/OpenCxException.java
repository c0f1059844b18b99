package dev.opencx;

/**
 * The one unchecked exception of OpenCX. {@link #isRetriable()} tells whether the same call may
 * succeed later (rate limit, timeout, 5xx, an unreachable database) or never will (bad input,
 * authentication, not found). Adapters map their vendor's errors onto it.
 */
public class OpenCxException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean retriable;

    public OpenCxException(String message, boolean retriable) {
        this(message, null, retriable);
    }

    public OpenCxException(String message, Throwable cause, boolean retriable) {
        super(message, cause);
        this.retriable = retriable;
    }

    /** A failure that may succeed when tried again later. */
    public static OpenCxException retriable(String message, Throwable cause) {
        return new OpenCxException(message, cause, true);
    }

    /** A failure that will fail again the same way. */
    public static OpenCxException permanent(String message, Throwable cause) {
        return new OpenCxException(message, cause, false);
    }

    public boolean isRetriable() {
        return retriable;
    }
}
