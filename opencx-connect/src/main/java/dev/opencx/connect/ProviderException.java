package dev.opencx.connect;

import dev.opencx.OpenCxException;
import java.time.Duration;

/**
 * A provider answered with an error status. Retriable for {@code 408}, {@code 429} and {@code
 * 5xx}; permanent for other statuses. The message names the provider, the method, the path and the
 * status (plus the provider's error code when the adapter extracts one); the body is kept apart in
 * {@link #body()} because it may quote personal data back, and is never put in a message or a log.
 */
public final class ProviderException extends OpenCxException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient String body;

    ProviderException(String message, int status, String body, boolean retriable, Duration retryAfter) {
        super(message, null, retriable, retryAfter);
        this.status = status;
        this.body = body;
    }

    /** The HTTP status. */
    public int status() {
        return status;
    }

    /** The response body as received (may hold personal data: do not log it). */
    public String body() {
        return body;
    }
}
