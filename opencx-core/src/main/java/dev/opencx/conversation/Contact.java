package dev.opencx.conversation;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The customer. A contact persists across sessions and channels and may carry several identities
 * (an e-mail, a phone, a host-app user id). When an identity links two contacts they are merged:
 * the older one survives and the other's identities and sessions move to it.
 *
 * @param id stable id, never null
 * @param displayName name to show to agents, may be empty, never null; with PII redaction of names on
 *     the channel the contact was created on, the placeholder {@code [PERSON_0]} ({@code
 *     PiiRedactor.CONTACT_NAME}), whose value each session of the contact keeps in its vault: show it
 *     with {@code OpenCx.contactName(sessionId, destination)}
 * @param identities at least one, never null
 * @param createdAt when the contact was first seen
 */
public record Contact(String id, String displayName, List<Identity> identities, Instant createdAt) {
    public Contact {
        Objects.requireNonNull(id, "id");
        displayName = displayName == null ? "" : displayName;
        identities = List.copyOf(identities);
        Objects.requireNonNull(createdAt, "createdAt");
    }

    public boolean has(Identity identity) {
        return identities.contains(identity);
    }
}
