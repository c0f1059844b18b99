package dev.opencx.webhook;

/**
 * An adapter's HTTP surface with the path it is usually mounted at: the web widget at {@code /}, the
 * REST API at {@code /api}, a provider's webhook at {@code /webhooks/<name>}. Any server that mounts
 * {@link WebhookHandler}s (the embedded {@code WebServer}, the servlet adapter, Spring Boot) mounts an
 * endpoint at {@link #mountPath()} unless told otherwise.
 */
public interface Endpoint {
    /** The path prefix, {@code /} or {@code /segment[/segment…]} without a trailing slash. */
    String mountPath();

    /** Answers the requests under {@link #mountPath()}. */
    WebhookHandler handler();
}
