/**
 * A Jakarta Servlet adapter for {@link dev.opencx.webhook.WebhookHandler}s: {@link
 * dev.opencx.http.servlet.OpenCxServlet} serves the widget, the REST API, the inbox or a webhook
 * from any servlet container (Tomcat, Jetty, a Spring Boot application's own server). The servlet
 * API is an optional dependency of {@code opencx-http}: the container provides it.
 */
package dev.opencx.http.servlet;
