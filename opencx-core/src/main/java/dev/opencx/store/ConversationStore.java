package dev.opencx.store;

import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.EventPayload;
import dev.opencx.event.EventTypes;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where conversations live: contacts, sessions, each session's append-only event log, the ticket
 * sequence, dedupe of channel message ids, and the outbox.
 *
 * <p>Implementations: {@link InMemoryConversationStore} (tests, demos) and {@code
 * dev.opencx.store.jdbc.JdbcConversationStore} in {@code opencx-store-jdbc} (a SQLite file as the embedded default, PostgreSQL in
 * production). Every implementation, yours included, should pass {@code
 * dev.opencx.test.store.ConversationStoreContract} from {@code opencx-test}.
 *
 * <p>Contract: every method is thread-safe; no parameter may be null; collections returned are
 * never null and are snapshots. A session's state is the fold of its events with {@link
 * SessionProjection}: {@link #append} updates both in one atomic step, together with the outbox
 * items that the event causes. Failures to reach the backing database are reported as a retriable
 * {@link dev.opencx.OpenCxException}. Once {@link #close() closed}, every other method throws
 * {@link IllegalStateException}.
 */
public interface ConversationStore extends AutoCloseable {

    // ---- contacts ----

    /**
     * The contact with this identity, created (with this display name, stored as given) when there is
     * none. {@code OpenCx.contact(channel, identity, name)} is the same with the channel's PII policy
     * applied to the name.
     */
    Contact findOrCreateContact(Identity identity, String displayName);

    /** The contact with this identity, if any. */
    Optional<Contact> findContact(Identity identity);

    /** The contact with this id; for the id of a contact merged away, the contact it merged into. */
    Optional<Contact> contact(String contactId);

    /**
     * Adds an identity to a contact. When another contact already has it, the two are merged (see
     * {@link #mergeContacts}) and the survivor is returned.
     *
     * @throws IllegalArgumentException when the contact does not exist
     */
    Contact linkIdentity(String contactId, Identity identity);

    /**
     * Merges two contacts: the one created first (by {@code createdAt}, then by creation order) survives, receives the other's identities and
     * sessions, and the other's id resolves to it from then on. Merging a contact with itself
     * returns it unchanged.
     *
     * @throws IllegalArgumentException when either contact does not exist
     */
    Contact mergeContacts(String contactId, String otherContactId);

    // ---- sessions ----

    /**
     * The open (AI active, handed off or agent active) session of a contact on a channel thread; the
     * one with the highest ticket when a merge left several. Empty for an unknown contact.
     */
    Optional<Session> findOpenSession(String contactId, ChannelId channel, String threadId);

    /**
     * Opens a session: assigns an id and the next ticket number and appends {@link
     * dev.opencx.event.SessionOpened} as event 1.
     */
    Session openSession(NewSession session);

    Optional<Session> session(String sessionId);

    Optional<Session> sessionByTicket(TicketNumber ticket);

    List<Session> sessions(SessionQuery query);

    /** All sessions of a contact, oldest first. */
    List<Session> sessionsOfContact(String contactId);

    // ---- the event log ----

    /**
     * Tells the store the event types modules registered, so that it stores and reads them back as
     * their records; {@code OpenCx.build()} calls it with the types of its modules. Registrations add
     * up (a store shared by several clients knows the union). Events of a type the store was not told
     * about are read back as {@link dev.opencx.event.UnknownEvent}s that keep their JSON, and an
     * {@code UnknownEvent} appended is stored with its JSON unchanged. Stores that keep events as
     * text encode them with {@link EventCodec#of(EventTypes)}; after this call, appending a {@link
     * dev.opencx.event.ModuleEvent} of a type not registered throws {@link IllegalArgumentException}.
     *
     * <p>The default does nothing: right for a store that keeps payload objects as they are and
     * checks nothing.
     *
     * @throws IllegalArgumentException when a type name or class is registered differently than before
     */
    default void registerEventTypes(EventTypes types) {
        java.util.Objects.requireNonNull(types, "types");
    }

    /**
     * Appends an event with the next sequence number, updates the session's projection and stores
     * the outbox items, all or nothing.
     *
     * @throws IllegalArgumentException when the session does not exist, the payload is {@link
     *     dev.opencx.event.SessionOpened} (only {@link #openSession} appends it), or a {@link
     *     dev.opencx.event.ModuleEvent} of a type not {@link #registerEventTypes registered}
     */
    SessionEvent append(String sessionId, EventPayload payload, List<OutboxItem> outbox);

    /**
     * Appends several events (consecutive sequence numbers) and the outbox items, all or nothing:
     * a turn's decisions and its outcome are written in one step. The default appends one by one;
     * stores should override it with one transaction.
     *
     * @return the appended events, in order
     * @throws IllegalArgumentException when the session does not exist or {@code payloads} is empty
     */
    default List<SessionEvent> appendAll(String sessionId, List<EventPayload> payloads, List<OutboxItem> outbox) {
        if (payloads.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs at least one event");
        }
        List<SessionEvent> out = new java.util.ArrayList<>(payloads.size());
        for (int i = 0; i < payloads.size(); i++) {
            out.add(append(sessionId, payloads.get(i), i == payloads.size() - 1 ? outbox : List.of()));
        }
        return List.copyOf(out);
    }

    /** {@link #append(String, EventPayload, List)} without outbox items. */
    default SessionEvent append(String sessionId, EventPayload payload) {
        return append(sessionId, payload, List.of());
    }

    /**
     * Appends a customer message unless the channel already delivered one with this external id
     * (the dedupe key is stored in the same atomic step). An empty {@code externalId} is never a
     * duplicate.
     *
     * @return the appended event, or empty when it is a duplicate
     * @throws IllegalArgumentException when the session does not exist (no dedupe key is stored), or
     *     {@code externalId} is longer than 255 characters
     */
    Optional<SessionEvent> appendInbound(
            String sessionId, MessageReceived payload, ChannelId channel, String externalId);

    /** True when a message with this external id was already stored for the channel. */
    boolean isDuplicate(ChannelId channel, String externalId);

    /**
     * The customer message the channel delivered under this external id, with the ids it was
     * acknowledged with (session, ticket, sequence number): OpenCX answers a resend with them. Empty
     * when there is none, and for an empty {@code externalId}.
     *
     * <p>The default answers from {@link #isDuplicate} and throws when there is a message it cannot
     * read: stores should override it (the pipeline then answers a resend without the original
     * ids, and logs a warning once).
     *
     * @throws UnsupportedOperationException when the store has the message but not the capability
     *     'inbound lookup'
     */
    default Optional<StoredInbound> findInbound(ChannelId channel, String externalId) {
        java.util.Objects.requireNonNull(channel, "channel");
        java.util.Objects.requireNonNull(externalId, "externalId");
        if (!isDuplicate(channel, externalId)) {
            return Optional.empty();
        }
        throw new UnsupportedOperationException(
                getClass().getName() + " does not support the capability 'inbound lookup' (findInbound)");
    }

    /**
     * Events with {@code seq > afterSeq}, in order, at most {@code limit}.
     *
     * @throws IllegalArgumentException when the session does not exist, {@code afterSeq < 0} or
     *     {@code limit < 1}
     */
    List<SessionEvent> events(String sessionId, long afterSeq, int limit);

    /** The whole log of a session. */
    default List<SessionEvent> events(String sessionId) {
        return events(sessionId, 0, Integer.MAX_VALUE);
    }

    /**
     * The events of a session that carry a conversation message ({@code MessageReceived}, {@code
     * ReplySent}, {@code AgentReplied}) with {@code seq < beforeSeq}, in order. The pipeline reads a
     * turn's history with it; the default filters {@link #events(String)}, and stores that can
     * select by event type should override it so a turn does not read and decode the whole log.
     *
     * @throws IllegalArgumentException when the session does not exist
     */
    default List<SessionEvent> messageEvents(String sessionId, long beforeSeq) {
        List<SessionEvent> out = new java.util.ArrayList<>();
        for (SessionEvent e : events(sessionId)) {
            if (e.seq() >= beforeSeq) {
                break;
            }
            if (e.payload() instanceof dev.opencx.event.MessageReceived
                    || e.payload() instanceof dev.opencx.event.ReplySent
                    || e.payload() instanceof dev.opencx.event.AgentReplied) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    /**
     * The newest {@code limit} events of {@link #messageEvents(String, long)}, in order: a turn reads
     * a bounded history however long the session grows. The default takes the tail of {@link
     * #messageEvents(String, long)}; stores that can select by event type and order should override
     * it.
     *
     * @throws IllegalArgumentException when the session does not exist or {@code limit < 1}
     */
    default List<SessionEvent> messageEvents(String sessionId, long beforeSeq, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        List<SessionEvent> all = messageEvents(sessionId, beforeSeq);
        return all.size() <= limit ? all : List.copyOf(all.subList(all.size() - limit, all.size()));
    }

    // ---- tickets ----

    /** The next ticket number: unique and increasing per store, starting at {@code #1000}. */
    TicketNumber nextTicketNumber();

    // ---- the outbox ----

    /**
     * Claims up to {@code max} pending entries due at {@code now}, oldest first, hiding them from
     * other claimers until {@code now + lease}. An entry claimed by a process that died becomes due
     * again when its lease runs out. Oldest means lowest id; the returned entries keep their stored
     * {@code nextAttemptAt} (the lease is kept apart from it).
     *
     * @throws IllegalArgumentException when {@code max < 1} or {@code lease} is not positive
     */
    List<OutboxEntry> claimOutbox(Instant now, int max, Duration lease);

    /**
     * Marks an entry delivered.
     *
     * @throws IllegalArgumentException when there is no entry with this id
     */
    void outboxDelivered(long entryId, int attempts);

    /**
     * Schedules another attempt and releases the claim.
     *
     * @throws IllegalArgumentException when there is no entry with this id
     * @throws IllegalStateException when the entry is already delivered or dead
     */
    void outboxRetry(long entryId, int attempts, Instant nextAttemptAt, String error);

    /**
     * Gives up on an entry.
     *
     * @throws IllegalArgumentException when there is no entry with this id
     */
    void outboxDead(long entryId, int attempts, String error);

    /**
     * Every outbox entry of a session, in insertion order (for inspect mode and tests).
     *
     * @throws IllegalArgumentException when the session does not exist
     */
    List<OutboxEntry> outbox(String sessionId);

    // ---- the PII vault ----

    /**
     * Stores sealed PII values behind placeholders of a session (see {@code OpenCx.Builder.piiVault}).
     * A placeholder the session already has keeps its first value: storing the same entries again
     * changes nothing. The default throws {@link UnsupportedOperationException}: stores that keep the
     * vault override all three vault methods.
     *
     * @throws IllegalArgumentException when the session does not exist
     * @throws UnsupportedOperationException when the store has no PII vault capability
     */
    default void putVaultEntries(String sessionId, List<VaultEntry> entries) {
        throw new UnsupportedOperationException(
                getClass().getName() + " does not support the capability 'pii vault' (putVaultEntries)");
    }

    /**
     * The vault entries of a session, in the order they were first stored; empty when none.
     *
     * @throws IllegalArgumentException when the session does not exist
     * @throws UnsupportedOperationException when the store has no PII vault capability
     */
    default List<VaultEntry> vaultEntries(String sessionId) {
        throw new UnsupportedOperationException(
                getClass().getName() + " does not support the capability 'pii vault' (vaultEntries)");
    }

    /**
     * Erases a session's vault (e.g. for a deletion request): the placeholders in its log can no
     * longer be restored.
     *
     * @return how many entries were deleted
     * @throws IllegalArgumentException when the session does not exist
     * @throws UnsupportedOperationException when the store has no PII vault capability
     */
    default int deleteVaultEntries(String sessionId) {
        throw new UnsupportedOperationException(
                getClass().getName() + " does not support the capability 'pii vault' (deleteVaultEntries)");
    }

    /** Releases connections and files; idempotent. */
    @Override
    void close();
}
