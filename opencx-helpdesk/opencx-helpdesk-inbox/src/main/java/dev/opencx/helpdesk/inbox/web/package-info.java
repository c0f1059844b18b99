/**
 * The team inbox's web UI: {@link dev.opencx.helpdesk.inbox.web.InboxWeb} (a framework-neutral
 * {@code WebhookHandler} to mount, e.g. at {@code /inbox}), the agents who may sign in ({@link
 * dev.opencx.helpdesk.inbox.web.AgentAccount}, {@link dev.opencx.helpdesk.inbox.web.PasswordHashes})
 * and the audit record of autopilot changes ({@link dev.opencx.helpdesk.inbox.web.AutopilotChange}).
 */
package dev.opencx.helpdesk.inbox.web;
