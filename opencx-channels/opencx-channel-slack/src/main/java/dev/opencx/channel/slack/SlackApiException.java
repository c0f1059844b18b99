package dev.opencx.channel.slack;

import dev.opencx.OpenCxException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Slack's Web API answered {@code "ok": false}: it answers HTTP 200 for most failures, and the
 * {@code error} field says what went wrong ({@code channel_not_found}, {@code invalid_auth},
 * {@code ratelimited} …). Retriable for Slack's transient errors ({@link #RETRIABLE}), permanent for
 * every other code. The message names the method and the error code; never the token nor the text.
 */
public final class SlackApiException extends OpenCxException {
    private static final long serialVersionUID = 1L;

    /**
     * The error codes worth trying again later: rate limits, Slack's own failures and timeouts, and a
     * workspace in the middle of a migration. Every other code is permanent (a missing channel, a bad
     * token, a message that is too long will fail the same way again).
     */
    public static final Set<String> RETRIABLE = Set.of(
            "ratelimited",
            "rate_limited",
            "message_limit_exceeded",
            "internal_error",
            "service_unavailable",
            "fatal_error",
            "request_timeout",
            "team_added_to_org");

    private final String method;
    private final String error;

    SlackApiException(String method, String error, Duration retryAfter) {
        super(
                "slack " + Objects.requireNonNull(method, "method") + " answered ok:false (" + error + ")"
                        + (RETRIABLE.contains(error) ? ", will retry" : ", permanent")
                        + (retryAfter == null ? "" : ", retry after " + retryAfter.toSeconds() + " s"),
                null,
                RETRIABLE.contains(error),
                RETRIABLE.contains(error) ? retryAfter : null);
        this.method = method;
        this.error = error;
    }

    /** The Web API method, {@code chat.postMessage}. */
    public String method() {
        return method;
    }

    /** Slack's error code, {@code channel_not_found}; {@code unknown} when Slack gave none. */
    public String error() {
        return error;
    }
}
