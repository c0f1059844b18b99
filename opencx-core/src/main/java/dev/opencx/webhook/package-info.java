/**
 * Framework-neutral HTTP endpoints: a {@link dev.opencx.webhook.WebhookHandler} turns a {@link
 * dev.opencx.webhook.WebRequest} (method, path, headers, raw body bytes) into a {@link
 * dev.opencx.webhook.WebResponse}, possibly a server-sent event stream. Channel and helpdesk
 * adapters implement handlers; the embedded server of {@code opencx-channel-web} mounts them, and
 * so can any host server (servlet, Spring, the JDK's {@code com.sun.net.httpserver}) through a
 * small adapter.
 */
package dev.opencx.webhook;
