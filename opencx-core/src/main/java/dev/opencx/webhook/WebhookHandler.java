package dev.opencx.webhook;

/**
 * An HTTP endpoint that does not depend on any server framework: a provider webhook, the web
 * widget's API, the REST API channel. The embedded {@code WebServer} mounts handlers under a path
 * prefix; a host application mounts the same handler in its own server with an adapter of a few
 * lines that copies the request into a {@link WebRequest} and the {@link WebResponse} back.
 *
 * <pre>{@code
 * WebhookHandler hello = request -> request.method().equals("GET")
 *         ? WebResponse.text(200, "hello " + request.path())
 *         : WebResponse.error(405, "method_not_allowed", "use GET").withHeader("Allow", "GET");
 * }</pre>
 *
 * <p>Contract: {@code request} is never null and the handler never returns null. It is called
 * concurrently from the server's threads. It must not throw for bad input: a malformed request is
 * answered with a 4xx {@link WebResponse#error error} that names the reason. An exception it throws
 * anyway is answered with a 500 by the server.
 *
 * <p>The method returns at once with what it has. A handler whose answer depends on slow work
 * elsewhere (a queue, another service) returns {@link WebResponse#later} instead of waiting for it:
 * the embedded server then holds no thread until the answer comes (a server that serves each
 * request on a thread of its own waits with {@link WebResponse#await}).
 */
@FunctionalInterface
public interface WebhookHandler {

    /** Answers one request. */
    WebResponse handle(WebRequest request);
}
