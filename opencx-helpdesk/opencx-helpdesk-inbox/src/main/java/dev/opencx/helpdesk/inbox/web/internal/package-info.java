/**
 * Implementation detail of the inbox's web UI (routes, sign-in sessions, views of the session log,
 * live updates). Not an API: it changes without notice; use {@link
 * dev.opencx.helpdesk.inbox.web.InboxWeb}.
 */
package dev.opencx.helpdesk.inbox.web.internal;
