package dev.opencx.helpdesk.inbox.web;

import java.time.Instant;
import java.util.Objects;

/**
 * One change of the autopilot policy made in the inbox: who changed what, from what to what. The
 * inbox logs each one (SLF4J, {@code dev.opencx.helpdesk.inbox.web.InboxWeb} at INFO), keeps the
 * latest in {@link InboxWeb#autopilotChanges()} and shows them on its autopilot page.
 *
 * @param agentId the signed-in agent who made it
 * @param at when
 * @param setting {@code channel:web} or {@code topic:billing}
 * @param before the value before ({@code on}/{@code off}, {@code REPLY}/{@code HANDOFF}, or {@code none})
 * @param after the value after
 */
public record AutopilotChange(String agentId, Instant at, String setting, String before, String after) {
    public AutopilotChange {
        Objects.requireNonNull(agentId, "agentId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }
}
