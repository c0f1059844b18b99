package dev.opencx.store.jdbc;

import com.zaxxer.hikari.HikariDataSource;
import dev.opencx.OpenCxException;
import dev.opencx.conversation.ChannelId;
import dev.opencx.conversation.Contact;
import dev.opencx.conversation.Identity;
import dev.opencx.conversation.IdentityType;
import dev.opencx.conversation.Session;
import dev.opencx.conversation.SessionState;
import dev.opencx.conversation.TicketNumber;
import dev.opencx.event.EventPayload;
import dev.opencx.event.EventTypes;
import dev.opencx.event.MessageReceived;
import dev.opencx.event.SessionEvent;
import dev.opencx.event.SessionOpened;
import dev.opencx.outbox.OutboxEntry;
import dev.opencx.outbox.OutboxItem;
import dev.opencx.outbox.OutboxKind;
import dev.opencx.outbox.OutboxStatus;
import dev.opencx.store.ConversationStore;
import dev.opencx.store.EventCodec;
import dev.opencx.store.NewSession;
import dev.opencx.store.SessionProjection;
import dev.opencx.store.SessionQuery;
import dev.opencx.store.StoredInbound;
import dev.opencx.store.VaultEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConversationStore} in a SQL database: SQLite 3 (a local file: the embedded default), H2
 * 2.x (a local file, or {@code jdbc:h2:mem:}) or PostgreSQL 15+.
 *
 * <pre>{@code
 * // embedded: the SQLite file ./data/opencx.db (org.xerial:sqlite-jdbc must be on the classpath)
 * ConversationStore store = JdbcConversationStore.sqlite(Path.of("data"));
 *
 * // production: PostgreSQL through the store's own HikariCP pool, or your DataSource
 * ConversationStore store = JdbcConversationStore.builder()
 *         .url("jdbc:postgresql://db:5432/app", "opencx", secret)
 *         .maxPoolSize(10)
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} applies the schema migrations ({@code
 * dev/opencx/store/jdbc/migration/V*.sql}, SQLite's own in {@code migration/sqlite/}, recorded in
 * {@code opencx_schema_version}); several instances may start at once against one database. Each
 * append is one transaction that locks the session row ({@code SELECT … FOR UPDATE}), so sequence
 * numbers stay gapless across threads and processes; the outbox is claimed with {@code FOR UPDATE
 * SKIP LOCKED} and a lease. Instants are stored with microsecond precision.
 *
 * <h2>Durability of the embedded file</h2>
 *
 * <p>{@link #sqlite(Path)} (also {@link #embedded(Path)}) is crash-safe: a write this store returned
 * from is in the file after {@code kill -9} of the process and after a power loss, and ids it handed
 * out (ticket numbers, outbox ids) are never handed out again. The database is in WAL mode with
 * {@code synchronous=FULL} (the log is flushed to the disk at every commit), {@code foreign_keys=ON}
 * and a {@code busy_timeout} of {@link Builder#connectionTimeout}. SQLite has one writer at a time:
 * the store runs its write transactions on one connection, in transactions it starts with {@code
 * BEGIN IMMEDIATE} (so concurrent turns wait their turn instead of failing with {@code SQLITE_BUSY},
 * and a second process on the same file waits too), while reads run at the same time on up to {@link
 * Builder#maxPoolSize} read-only connections.
 *
 * <p><b>Group commit.</b> Write transactions of concurrent callers share a commit, and so one flush:
 * a caller that finds the writer free runs at once, on its own thread; callers that arrive while it
 * runs and flushes queue up, and the first of them then runs all that queued (at most 64, and no
 * more once the batch has run 10 ms) in one {@code BEGIN IMMEDIATE … COMMIT}, each caller's work in
 * a {@code SAVEPOINT} of its own. Each caller still returns only after the {@code COMMIT} holding
 * its writes has returned, and the crash-safety promise holds per call: a write that returned is on
 * the disk; a write that threw left nothing. A call that fails (an unknown session, a constraint) is
 * rolled back to its savepoint and fails alone, and the others in its batch never see its writes;
 * when the {@code COMMIT} itself fails, every call of that batch fails and none of it is stored. A
 * call waits at most {@link Builder#connectionTimeout} to be taken into a batch (then fails
 * retriably, having written nothing). The file is created with the
 * permissions {@code rw-------} in a folder created {@code rwx------} (on file systems with POSIX
 * permissions); SQLite gives its {@code -wal} and {@code -shm} files the permissions of the database
 * file. See {@link SqliteSynchronous} for what flushing at every commit costs and when it can be
 * traded away.
 *
 * <p><b>H2 file mode is not crash-safe under {@code kill -9}</b> and is kept for existing users
 * only ({@link #h2(Path)}): H2's MVStore writes committed changes to the file in the background
 * (every 0.5 s by default) and, after the process is killed, reopens the file at the last version
 * it wrote, losing acknowledged writes and handing their ids (ticket numbers, sequence numbers) out
 * again. In a kill test of one writer committing every 2 ms, each of 12 kills lost the last 100 to
 * 230 acknowledged rows. {@code WRITE_DELAY=0} in an H2 URL lost none in 18 kills, but made appends
 * about 12 times slower, still does not flush to the disk at commit, and users have seen H2 reopen
 * far older states than such a test produces. Move to {@link #sqlite(Path)} (a new file; nothing is
 * converted) or PostgreSQL when acknowledged messages matter.
 *
 * <p>No parameter may be null ({@link NullPointerException}). A database that cannot be reached
 * raises a retriable {@link OpenCxException} naming the URL (never the password); other SQL failures
 * raise a non-retriable one.
 *
 * <p><b>Connection pools.</b> Built from {@link Builder#url} or {@link Builder#sqlite}, the store
 * opens its own HikariCP pools ({@code com.zaxxer:HikariCP}): one of {@link Builder#maxPoolSize}
 * connections for H2 and PostgreSQL; on SQLite a pool of one writer connection and one of {@link
 * Builder#maxPoolSize} read-only ones, each connection opened with the settings above. {@link
 * #close()} closes these pools (a transaction still running on one of their connections is aborted
 * and fails), never a {@code DataSource} you passed in.
 */
public final class JdbcConversationStore implements ConversationStore {
    private static final Logger log = LoggerFactory.getLogger(JdbcConversationStore.class);
    private static final Pattern SECRET = Pattern.compile("(?i)(password|passwd|pwd)=[^&;]*");
    private static final String SESSION_COLUMNS = "id, ticket, channel, contact_id, thread_id, state, assignee, topic,"
            + " locale, opened_at, updated_at, last_seq, last_message_seq, handled_seq";
    private static final String OUTBOX_COLUMNS = "id, session_id, kind, target, idempotency_key, payload, status,"
            + " attempts, next_attempt_at, last_error, created_at";
    private static final String OPEN_STATES = "('AI_ACTIVE', 'HANDED_OFF', 'AGENT_ACTIVE')";

    /** At most this many write transactions share one commit on SQLite. */
    static final int MAX_WRITE_BATCH = 64;
    /** No further write transaction joins a SQLite commit whose batch has run this long. */
    static final Duration MAX_WRITE_BATCH_TIME = Duration.ofMillis(10);

    /** The file {@link #sqlite(Path)} keeps the conversations in, inside its data folder. */
    public static final String SQLITE_FILE_NAME = "opencx.db";

    /** Reads, and everything on a database with row locks. */
    private final DataSource dataSource;
    /** Write transactions: {@link #dataSource} except on SQLite, where it is the one writer connection. */
    private final DataSource writeSource;

    /** The HikariCP pools the store opened (none for a {@code DataSource} passed in). */
    private final List<HikariDataSource> ownedPools;
    /** Runs write transactions, several to a commit, on a single-writer database (SQLite); null elsewhere. */
    private final GroupCommitWriter writer;

    private final Duration writeWait;
    private final Clock clock;
    private final Dialect dialect;
    private final String where;
    private final AtomicBoolean closed = new AtomicBoolean();
    private static final String TYPE_RECEIVED =
            EventTypes.core().name(MessageReceived.class).orElseThrow();
    private static final String TYPE_REPLY =
            EventTypes.core().name(dev.opencx.event.ReplySent.class).orElseThrow();
    private static final String TYPE_AGENT_REPLY =
            EventTypes.core().name(dev.opencx.event.AgentReplied.class).orElseThrow();
    /** Core's event types plus those modules registered (see {@link #registerEventTypes}). */
    private volatile EventCodec codec = EventCodec.core();

    private JdbcConversationStore(
            DataSource dataSource,
            DataSource writeSource,
            List<HikariDataSource> ownedPools,
            Duration writeWait,
            Clock clock,
            Dialect dialect,
            String where) {
        this.dataSource = dataSource;
        this.writeSource = writeSource;
        this.ownedPools = List.copyOf(ownedPools);
        this.writer = dialect.singleWriter()
                ? new GroupCommitWriter(writeSource, writeWait, MAX_WRITE_BATCH, MAX_WRITE_BATCH_TIME, where)
                : null;
        this.writeWait = writeWait;
        this.clock = clock;
        this.dialect = dialect;
        this.where = where;
    }

    /** A builder; set one of {@link Builder#sqlite}, {@link Builder#url} and {@link Builder#dataSource}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The embedded default, crash-safe: a SQLite database in {@code dataDir/opencx.db}, created when
     * missing (see the class comment for its settings and file permissions). Same as {@code
     * builder().sqlite(dataDir).build()}.
     *
     * @param dataDir the directory, created ({@code rwx------}) when missing; never null
     * @throws IllegalStateException when SQLite ({@code org.xerial:sqlite-jdbc}) is not on the
     *     classpath
     * @throws OpenCxException when the file cannot be created or opened
     */
    public static JdbcConversationStore sqlite(Path dataDir) {
        return builder().sqlite(dataDir).build();
    }

    /**
     * The embedded default for a data folder: today {@link #sqlite(Path)}. Use it when you want
     * whatever OpenCX recommends for a single process; name {@link #sqlite(Path)} when your
     * operations depend on the file format.
     */
    public static JdbcConversationStore embedded(Path dataDir) {
        return sqlite(dataDir);
    }

    /**
     * An H2 database in {@code dataDir/opencx.mv.db}, created when missing: the embedded default of
     * earlier versions, kept for the files users already have. <b>Not crash-safe</b>: after {@code
     * kill -9} (or a power loss) H2 may reopen the file at an older state, losing acknowledged
     * messages and reusing their ids (see the class comment); prefer {@link #sqlite(Path)}.
     *
     * @param dataDir the directory, created ({@code rwx------}) when missing; never null
     * @throws IllegalStateException when H2 ({@code com.h2database:h2} 2.x) is not on the classpath
     * @throws OpenCxException when the file cannot be opened (e.g. another process holds it)
     */
    public static JdbcConversationStore h2(Path dataDir) {
        Objects.requireNonNull(dataDir, "dataDir");
        requireDriver(
                "org.h2.Driver",
                "the H2 conversation store needs H2 on the classpath: add the dependency com.h2database:h2 (2.x),"
                        + " or use JdbcConversationStore.sqlite(..)");
        PrivateFiles.createDirectories(dataDir);
        Path file = dataDir.toAbsolutePath().resolve("opencx.mv.db");
        boolean created = !Files.exists(file);
        // payloads are CLOBs; H2 keeps values up to MAX_LENGTH_INPLACE_LOB (256 bytes by default) in
        // the row and moves longer ones to a separate LOB map, which costs extra map writes on every
        // append and a LOB lookup on every read; event payloads are a few KB, so keep them in the row
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("opencx")
                + ";LOCK_TIMEOUT=10000;MAX_LENGTH_INPLACE_LOB=65536;QUERY_CACHE_SIZE=64";
        JdbcConversationStore store = builder().url(url, "sa", "").build();
        if (created) {
            if (Files.exists(file)) {
                PrivateFiles.restrictFile(file); // H2 creates its file itself; the folder protects it meanwhile
            }
        }
        return store;
    }

    private static void requireDriver(String className, String message) {
        try {
            Class.forName(className);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(message, e);
        }
    }

    // ---- contacts ----

    @Override
    public Contact findOrCreateContact(Identity identity, String displayName) {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(displayName, "displayName");
        // nearly every message comes from a known contact: look without taking the write path first
        Optional<Contact> known = read("finding a contact", c -> findContact(c, identity));
        if (known.isPresent()) {
            return known.get();
        }
        return tx("finding or creating a contact", (c, undo) -> {
            Optional<Contact> found = findContact(c, identity);
            if (found.isPresent()) {
                return found.get();
            }
            String id = UUID.randomUUID().toString();
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO opencx_contacts (id, display_name, created_at) VALUES (?, ?, ?)")) {
                ps.setString(1, id);
                ps.setString(2, displayName);
                ps.setObject(3, ts(now()));
                ps.executeUpdate();
            }
            try {
                insertIdentity(c, id, identity);
            } catch (SQLException e) {
                if (!isUniqueViolation(e)) {
                    throw e;
                }
                undo.discard(); // another writer created it first
                return findContact(c, identity)
                        .orElseThrow(() -> new IllegalStateException("identity vanished during a concurrent create"));
            }
            return loadContact(c, id).orElseThrow();
        });
    }

    @Override
    public Optional<Contact> findContact(Identity identity) {
        Objects.requireNonNull(identity, "identity");
        return read("finding a contact", c -> findContact(c, identity));
    }

    private Optional<Contact> findContact(Connection c, Identity identity) throws SQLException {
        String owner = identityOwner(c, identity);
        return owner == null ? Optional.empty() : loadContact(c, owner);
    }

    @Override
    public Optional<Contact> contact(String contactId) {
        Objects.requireNonNull(contactId, "contactId");
        return read("reading a contact", c -> {
            String id = resolveContact(c, contactId);
            return id == null ? Optional.empty() : loadContact(c, id);
        });
    }

    @Override
    public Contact linkIdentity(String contactId, Identity identity) {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(identity, "identity");
        return tx("linking an identity", (c, undo) -> {
            for (int attempt = 0; ; attempt++) {
                String id = requireContact(c, contactId);
                lockContacts(c, id, id);
                String owner = identityOwner(c, identity);
                if (id.equals(owner)) {
                    return loadContact(c, id).orElseThrow();
                }
                if (owner != null) {
                    return merge(c, id, owner);
                }
                try {
                    insertIdentity(c, id, identity);
                    return loadContact(c, id).orElseThrow();
                } catch (SQLException e) {
                    if (!isUniqueViolation(e) || attempt >= 2) {
                        throw e;
                    }
                    undo.discard(); // linked elsewhere meanwhile: merge with that contact instead
                }
            }
        });
    }

    @Override
    public Contact mergeContacts(String contactId, String otherContactId) {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(otherContactId, "otherContactId");
        return tx("merging contacts", c -> merge(c, requireContact(c, contactId), requireContact(c, otherContactId)));
    }

    private Contact merge(Connection c, String a, String b) throws SQLException {
        if (a.equals(b)) {
            return loadContact(c, a).orElseThrow();
        }
        List<String> oldestFirst = lockContacts(c, a, b);
        if (oldestFirst.size() != 2) {
            throw new IllegalArgumentException("contact '" + a + "' or '" + b + "' was merged away meanwhile");
        }
        String survivor = oldestFirst.get(0);
        String gone = oldestFirst.get(1);
        update(c, "UPDATE opencx_identities SET contact_id = ? WHERE contact_id = ?", survivor, gone);
        update(c, "UPDATE opencx_sessions SET contact_id = ? WHERE contact_id = ?", survivor, gone);
        update(c, "UPDATE opencx_contact_merges SET survivor_id = ? WHERE survivor_id = ?", survivor, gone);
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO opencx_contact_merges (merged_id, survivor_id, merged_at) VALUES (?, ?, ?)")) {
            ps.setString(1, gone);
            ps.setString(2, survivor);
            ps.setObject(3, ts(now()));
            ps.executeUpdate();
        }
        update(c, "DELETE FROM opencx_contacts WHERE id = ?", gone);
        return loadContact(c, survivor).orElseThrow();
    }

    /** Locks the contact rows (in id order, so two mergers cannot deadlock); returns them oldest first. */
    private List<String> lockContacts(Connection c, String a, String b) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps =
                c.prepareStatement("SELECT id, created_at, ord FROM opencx_contacts WHERE id IN (?, ?) ORDER BY id"
                        + dialect.forUpdate())) {
            ps.setString(1, a);
            ps.setString(2, b);
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getString(1), instant(rs, 2), rs.getLong(3)});
                }
            }
            rows.sort((x, y) -> {
                int byTime = ((Instant) x[1]).compareTo((Instant) y[1]);
                return byTime != 0 ? byTime : Long.compare((Long) x[2], (Long) y[2]);
            });
            for (Object[] r : rows) {
                ids.add((String) r[0]);
            }
        }
        return ids;
    }

    private void insertIdentity(Connection c, String contactId, Identity identity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO opencx_identities (identity_type, identity_value, contact_id) VALUES (?, ?, ?)")) {
            ps.setString(1, identity.type().name());
            ps.setString(2, identity.value());
            ps.setString(3, contactId);
            ps.executeUpdate();
        }
    }

    private String identityOwner(Connection c, Identity identity) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT contact_id FROM opencx_identities WHERE identity_type = ? AND identity_value = ?")) {
            ps.setString(1, identity.type().name());
            ps.setString(2, identity.value());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** The id of the live contact for {@code contactId} (following a merge), or null. */
    private String resolveContact(Connection c, String contactId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM opencx_contacts WHERE id = ?")) {
            ps.setString(1, contactId);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return rs.getString(1);
                }
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT survivor_id FROM opencx_contact_merges WHERE merged_id = ?")) {
            ps.setString(1, contactId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private String requireContact(Connection c, String contactId) throws SQLException {
        String id = resolveContact(c, contactId);
        if (id == null) {
            throw new IllegalArgumentException("no contact with id '" + contactId + "'");
        }
        return id;
    }

    private Optional<Contact> loadContact(Connection c, String id) throws SQLException {
        String displayName;
        Instant createdAt;
        try (PreparedStatement ps =
                c.prepareStatement("SELECT display_name, created_at FROM opencx_contacts WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                displayName = rs.getString(1);
                createdAt = instant(rs, 2);
            }
        }
        List<Identity> identities = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT identity_type, identity_value FROM opencx_identities WHERE contact_id = ? ORDER BY ord")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    identities.add(new Identity(IdentityType.valueOf(rs.getString(1)), rs.getString(2)));
                }
            }
        }
        return Optional.of(new Contact(id, displayName, identities, createdAt));
    }

    // ---- sessions ----

    @Override
    public Optional<Session> findOpenSession(String contactId, ChannelId channel, String threadId) {
        Objects.requireNonNull(contactId, "contactId");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(threadId, "threadId");
        return read("finding an open session", c -> {
            String id = resolveContact(c, contactId);
            if (id == null) {
                return Optional.empty();
            }
            List<Session> found = querySessions(
                    c,
                    "SELECT " + SESSION_COLUMNS + " FROM opencx_sessions WHERE contact_id = ? AND channel = ?"
                            + " AND thread_id = ? AND state IN " + OPEN_STATES + " ORDER BY ticket DESC LIMIT 1",
                    id,
                    channel.value(),
                    threadId);
            return found.stream().findFirst();
        });
    }

    @Override
    public Session openSession(NewSession ns) {
        Objects.requireNonNull(ns, "session");
        return tx("opening a session", c -> {
            String contactId = requireContact(c, ns.contactId());
            TicketNumber ticket = nextTicket(c);
            Instant now = now();
            Session initial = new Session(
                    UUID.randomUUID().toString(),
                    ticket,
                    ns.channel(),
                    contactId,
                    ns.threadId(),
                    SessionState.AI_ACTIVE,
                    "",
                    "",
                    ns.locale(),
                    now,
                    now,
                    0,
                    0,
                    0);
            SessionEvent opened = new SessionEvent(
                    initial.id(),
                    1,
                    now,
                    new SessionOpened(contactId, ns.channel(), ticket, ns.threadId(), ns.locale()));
            Session s = SessionProjection.apply(initial, opened);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO opencx_sessions (" + SESSION_COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, s.id());
                ps.setLong(2, s.ticket().value());
                ps.setString(3, s.channel().value());
                ps.setString(4, s.contactId());
                ps.setString(5, s.threadId());
                ps.setString(6, s.state().name());
                ps.setString(7, s.assignee());
                ps.setString(8, s.topic());
                ps.setString(9, s.locale());
                ps.setObject(10, ts(s.openedAt()));
                ps.setObject(11, ts(s.updatedAt()));
                ps.setLong(12, s.lastSeq());
                ps.setLong(13, s.lastMessageSeq());
                ps.setLong(14, s.handledSeq());
                ps.executeUpdate();
            }
            insertEvent(c, opened, codec.encode(opened.payload()));
            return s;
        });
    }

    @Override
    public Optional<Session> session(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return read("reading a session", c -> selectSession(c, sessionId, false));
    }

    @Override
    public Optional<Session> sessionByTicket(TicketNumber ticket) {
        Objects.requireNonNull(ticket, "ticket");
        return read(
                "reading a session by ticket",
                c ->
                        querySessions(
                                        c,
                                        "SELECT " + SESSION_COLUMNS + " FROM opencx_sessions WHERE ticket = ?",
                                        ticket.value())
                                .stream()
                                .findFirst());
    }

    @Override
    public List<Session> sessions(SessionQuery query) {
        Objects.requireNonNull(query, "query");
        StringBuilder sql = new StringBuilder("SELECT " + SESSION_COLUMNS + " FROM opencx_sessions WHERE 1 = 1");
        if (!query.states().isEmpty()) {
            sql.append(query.states().stream()
                    .map(s -> "'" + s.name() + "'")
                    .sorted()
                    .collect(Collectors.joining(", ", " AND state IN (", ")")));
        }
        if (query.pendingTurnOnly()) {
            sql.append(" AND last_message_seq > handled_seq");
        }
        sql.append(" ORDER BY updated_at, ticket LIMIT ?");
        return read("listing sessions", c -> List.copyOf(querySessions(c, sql.toString(), query.limit())));
    }

    @Override
    public List<Session> sessionsOfContact(String contactId) {
        Objects.requireNonNull(contactId, "contactId");
        return read("listing a contact's sessions", c -> {
            String id = resolveContact(c, contactId);
            if (id == null) {
                return List.of();
            }
            return List.copyOf(querySessions(
                    c,
                    "SELECT " + SESSION_COLUMNS
                            + " FROM opencx_sessions WHERE contact_id = ? ORDER BY opened_at, ticket",
                    id));
        });
    }

    private Optional<Session> selectSession(Connection c, String sessionId, boolean forUpdate) throws SQLException {
        return querySessions(
                        c,
                        "SELECT " + SESSION_COLUMNS + " FROM opencx_sessions WHERE id = ?"
                                + (forUpdate ? dialect.forUpdate() : ""),
                        sessionId)
                .stream()
                .findFirst();
    }

    private Session requireSession(Connection c, String sessionId, boolean forUpdate) throws SQLException {
        return selectSession(c, sessionId, forUpdate)
                .orElseThrow(() -> new IllegalArgumentException("no session with id '" + sessionId + "'"));
    }

    private List<Session> querySessions(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            List<Session> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Session(
                            rs.getString(1),
                            new TicketNumber(rs.getLong(2)),
                            new ChannelId(rs.getString(3)),
                            rs.getString(4),
                            rs.getString(5),
                            SessionState.valueOf(rs.getString(6)),
                            rs.getString(7),
                            rs.getString(8),
                            rs.getString(9),
                            instant(rs, 10),
                            instant(rs, 11),
                            rs.getLong(12),
                            rs.getLong(13),
                            rs.getLong(14)));
                }
            }
            return out;
        }
    }

    // ---- the event log ----

    /** Events of these types are stored and read back as their records; others stay {@code UnknownEvent}s. */
    @Override
    public void registerEventTypes(EventTypes types) {
        Objects.requireNonNull(types, "types");
        synchronized (this) {
            codec = codec.with(types);
        }
    }

    @Override
    public SessionEvent append(String sessionId, EventPayload payload, List<OutboxItem> outbox) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(outbox, "outbox");
        List<OutboxItem> items = List.copyOf(outbox); // rejects null items
        if (payload instanceof SessionOpened) {
            throw new IllegalArgumentException("SessionOpened is appended by openSession, not by append");
        }
        String json = codec.encode(payload);
        return tx("appending an event", c -> doAppend(c, requireSession(c, sessionId, true), payload, json, items));
    }

    @Override
    public List<SessionEvent> appendAll(String sessionId, List<EventPayload> payloads, List<OutboxItem> outbox) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<EventPayload> all = List.copyOf(payloads); // rejects null payloads
        List<OutboxItem> items = List.copyOf(outbox);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("appendAll needs at least one event");
        }
        List<String> json = new ArrayList<>(all.size());
        for (EventPayload p : all) {
            if (p instanceof SessionOpened) {
                throw new IllegalArgumentException("SessionOpened is appended by openSession, not by appendAll");
            }
            json.add(codec.encode(p));
        }
        return tx("appending events", c -> {
            Session s = requireSession(c, sessionId, true);
            if (all.size() == 1) {
                return List.of(doAppend(c, s, all.get(0), json.get(0), items));
            }
            // a turn's events in one batch, and the session row updated once with their projection
            Instant now = now();
            List<SessionEvent> out = new ArrayList<>(all.size());
            Session next = s;
            try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
                for (int i = 0; i < all.size(); i++) {
                    SessionEvent e = new SessionEvent(s.id(), next.lastSeq() + 1, now, all.get(i));
                    bindEvent(ps, e, json.get(i));
                    ps.addBatch();
                    next = SessionProjection.apply(next, e);
                    out.add(e);
                }
                ps.executeBatch();
            }
            updateSession(c, next);
            insertOutbox(c, s.id(), out.get(out.size() - 1).seq(), items, now);
            return List.copyOf(out);
        });
    }

    @Override
    public Optional<SessionEvent> appendInbound(
            String sessionId, MessageReceived payload, ChannelId channel, String externalId) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.length() > 255) {
            throw new IllegalArgumentException("externalId must be at most 255 characters, was " + externalId.length());
        }
        String json = codec.encode(payload);
        return tx("appending an inbound message", (c, undo) -> {
            Session s = requireSession(c, sessionId, true);
            if (!externalId.isEmpty()) {
                if (isDuplicate(c, channel, externalId)) {
                    undo.discard();
                    return Optional.empty();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO opencx_dedupe"
                        + " (channel, external_id, session_id, seq, created_at) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, channel.value());
                    ps.setString(2, externalId);
                    ps.setString(3, sessionId);
                    ps.setLong(4, s.lastSeq() + 1);
                    ps.setObject(5, ts(now()));
                    ps.executeUpdate();
                } catch (SQLException e) {
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                    undo.discard(); // a concurrent delivery of the same message won
                    return Optional.empty();
                }
            }
            return Optional.of(doAppend(c, s, payload, json, List.of()));
        });
    }

    @Override
    public boolean isDuplicate(ChannelId channel, String externalId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isEmpty()) {
            return false;
        }
        return read("checking for a duplicate", c -> isDuplicate(c, channel, externalId));
    }

    @Override
    public Optional<StoredInbound> findInbound(ChannelId channel, String externalId) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(externalId, "externalId");
        if (externalId.isEmpty()) {
            return Optional.empty();
        }
        return read("looking up a delivered message", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.session_id, d.seq, s.ticket, s.contact_id,"
                    + " e.payload FROM opencx_dedupe d JOIN opencx_sessions s ON s.id = d.session_id"
                    + " JOIN opencx_events e ON e.session_id = d.session_id AND e.seq = d.seq"
                    + " WHERE d.channel = ? AND d.external_id = ?")) {
                ps.setString(1, channel.value());
                ps.setString(2, externalId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    EventPayload payload = codec.decode(rs.getString(5));
                    if (!(payload instanceof MessageReceived received)) {
                        throw new IllegalStateException("the dedupe key of " + channel + " message points at a "
                                + payload.getClass().getSimpleName() + " event, not a MessageReceived");
                    }
                    return Optional.of(new StoredInbound(
                            rs.getString(1),
                            new TicketNumber(rs.getLong(3)),
                            rs.getString(4),
                            rs.getLong(2),
                            received.message()));
                }
            }
        });
    }

    private boolean isDuplicate(Connection c, ChannelId channel, String externalId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT 1 FROM opencx_dedupe WHERE channel = ? AND external_id = ?")) {
            ps.setString(1, channel.value());
            ps.setString(2, externalId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private SessionEvent doAppend(Connection c, Session s, EventPayload payload, String json, List<OutboxItem> items)
            throws SQLException {
        Instant now = now();
        SessionEvent e = new SessionEvent(s.id(), s.lastSeq() + 1, now, payload);
        insertEvent(c, e, json);
        updateSession(c, SessionProjection.apply(s, e));
        insertOutbox(c, s.id(), e.seq(), items, now);
        return e;
    }

    private void updateSession(Connection c, Session next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE opencx_sessions SET state = ?, assignee = ?, topic = ?,"
                + " updated_at = ?, last_seq = ?, last_message_seq = ?, handled_seq = ? WHERE id = ?")) {
            ps.setString(1, next.state().name());
            ps.setString(2, next.assignee());
            ps.setString(3, next.topic());
            ps.setObject(4, ts(next.updatedAt()));
            ps.setLong(5, next.lastSeq());
            ps.setLong(6, next.lastMessageSeq());
            ps.setLong(7, next.handledSeq());
            ps.setString(8, next.id());
            ps.executeUpdate();
        }
    }

    private void insertOutbox(Connection c, String sessionId, long eventSeq, List<OutboxItem> items, Instant now)
            throws SQLException {
        if (items.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO opencx_outbox (session_id, event_seq, kind,"
                + " target, idempotency_key, payload, status, attempts, next_attempt_at, last_error, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, '', ?)")) {
            for (OutboxItem item : items) {
                ps.setString(1, sessionId);
                ps.setLong(2, eventSeq);
                ps.setString(3, item.kind().name());
                ps.setString(4, item.target());
                ps.setString(5, item.idempotencyKey());
                ps.setString(6, item.payload());
                ps.setObject(7, ts(now));
                ps.setObject(8, ts(now));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static final String INSERT_EVENT =
            "INSERT INTO opencx_events (session_id, seq, created_at, event_type, payload) VALUES (?, ?, ?, ?, ?)";

    private void insertEvent(Connection c, SessionEvent e, String json) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_EVENT)) {
            bindEvent(ps, e, json);
            ps.executeUpdate();
        }
    }

    private void bindEvent(PreparedStatement ps, SessionEvent e, String json) throws SQLException {
        ps.setString(1, e.sessionId());
        ps.setLong(2, e.seq());
        ps.setObject(3, ts(e.at()));
        ps.setString(4, codec.typeName(e.payload()));
        ps.setString(5, json);
    }

    @Override
    public List<SessionEvent> events(String sessionId, long afterSeq, int limit) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must be >= 0, was " + afterSeq);
        }
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be >= 1, was " + limit);
        }
        return read("reading events", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, created_at, payload FROM opencx_events"
                    + " WHERE session_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                ps.setString(1, sessionId);
                ps.setLong(2, afterSeq);
                ps.setInt(3, limit);
                return readEvents(c, ps, sessionId);
            }
        });
    }

    /** Reads only the message events, selected by type in SQL (the other events are not decoded). */
    @Override
    public List<SessionEvent> messageEvents(String sessionId, long beforeSeq) {
        Objects.requireNonNull(sessionId, "sessionId");
        return read("reading messages", c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT seq, created_at, payload FROM opencx_events"
                    + " WHERE session_id = ? AND seq < ? AND event_type IN (?, ?, ?) ORDER BY seq")) {
                ps.setString(1, sessionId);
                ps.setLong(2, beforeSeq);
                ps.setString(3, TYPE_RECEIVED);
                ps.setString(4, TYPE_REPLY);
                ps.setString(5, TYPE_AGENT_REPLY);
                return readEvents(c, ps, sessionId);
            }
        });
    }

    @Override
    public List<SessionEvent> messageEvents(String sessionId, long beforeSeq, int limit) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1, was " + limit);
        }
        return read("reading messages", c -> {
            // H2 cannot walk the (session_id, seq) key backwards for ORDER BY seq DESC: it reads the
            // whole session and sorts, so a long session made every turn slower. Look in the latest
            // events first (a turn writes about three and a half per message), in a window four
            // times wider while it holds fewer messages than asked for, and in the whole log last.
            if (beforeSeq != Long.MAX_VALUE) {
                for (long window = (long) limit * RECENT_EVENTS_PER_MESSAGE; window < beforeSeq; window *= 4) {
                    List<SessionEvent> recent = newestMessages(c, sessionId, beforeSeq - window, beforeSeq, limit);
                    if (recent.size() == limit) {
                        return recent;
                    }
                }
            }
            return newestMessages(c, sessionId, 0, beforeSeq, limit);
        });
    }

    /** How many events per message the first look of {@link #messageEvents(String, long, int)} covers. */
    private static final int RECENT_EVENTS_PER_MESSAGE = 4;

    /** The newest {@code limit} message events with {@code fromSeq <= seq < beforeSeq}, oldest first. */
    private List<SessionEvent> newestMessages(Connection c, String sessionId, long fromSeq, long beforeSeq, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, created_at, payload FROM opencx_events"
                + " WHERE session_id = ? AND seq >= ? AND seq < ? AND event_type IN (?, ?, ?)"
                + " ORDER BY seq DESC LIMIT ?")) {
            ps.setString(1, sessionId);
            ps.setLong(2, fromSeq);
            ps.setLong(3, beforeSeq);
            ps.setString(4, TYPE_RECEIVED);
            ps.setString(5, TYPE_REPLY);
            ps.setString(6, TYPE_AGENT_REPLY);
            ps.setInt(7, limit);
            List<SessionEvent> newestFirst = new ArrayList<>(readEvents(c, ps, sessionId));
            java.util.Collections.reverse(newestFirst);
            return newestFirst;
        }
    }

    /** Runs a query of (seq, created_at, payload); an empty result for an unknown session throws. */
    private List<SessionEvent> readEvents(Connection c, PreparedStatement ps, String sessionId) throws SQLException {
        List<SessionEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new SessionEvent(sessionId, rs.getLong(1), instant(rs, 2), codec.decode(rs.getString(3))));
            }
        }
        if (out.isEmpty()) {
            requireSession(c, sessionId, false);
        }
        return List.copyOf(out);
    }

    // ---- tickets ----

    @Override
    public TicketNumber nextTicketNumber() {
        return tx("taking a ticket number", this::nextTicket);
    }

    private TicketNumber nextTicket(Connection c) throws SQLException {
        try (Statement st = c.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                // the counter row moves in the caller's transaction: a number is taken together with
                // the session it belongs to, and never again, whatever is deleted or rolled back
                st.executeUpdate("UPDATE opencx_counters SET value = value + 1 WHERE name = 'ticket'");
                try (ResultSet rs = st.executeQuery("SELECT value FROM opencx_counters WHERE name = 'ticket'")) {
                    rs.next();
                    return new TicketNumber(rs.getLong(1));
                }
            }
            String sql = dialect == Dialect.H2
                    ? "SELECT NEXT VALUE FOR opencx_ticket_seq"
                    : "SELECT nextval('opencx_ticket_seq')";
            try (ResultSet rs = st.executeQuery(sql)) {
                rs.next();
                return new TicketNumber(rs.getLong(1));
            }
        }
    }

    // ---- the outbox ----

    @Override
    public List<OutboxEntry> claimOutbox(Instant now, int max, Duration lease) {
        Objects.requireNonNull(now, "now");
        Objects.requireNonNull(lease, "lease");
        if (max < 1) {
            throw new IllegalArgumentException("max must be >= 1, was " + max);
        }
        if (lease.isNegative() || lease.isZero()) {
            throw new IllegalArgumentException("lease must be positive, was " + lease);
        }
        if (writer != null && !read("looking for due outbox entries", c -> anyDue(c, now))) {
            return List.of(); // an idle poll does not queue for the single writer
        }
        return tx("claiming outbox entries", c -> {
            List<OutboxEntry> claimed;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + OUTBOX_COLUMNS + " FROM opencx_outbox"
                    + " WHERE status = 'PENDING' AND next_attempt_at <= ?"
                    + " AND (claimed_until IS NULL OR claimed_until <= ?)"
                    + " ORDER BY id LIMIT ?" + dialect.forUpdateSkipLocked())) {
                ps.setObject(1, ts(now));
                ps.setObject(2, ts(now));
                ps.setInt(3, max);
                claimed = readOutbox(ps);
            }
            if (!claimed.isEmpty()) {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE opencx_outbox SET claimed_until = ? WHERE id = ?")) {
                    for (OutboxEntry e : claimed) {
                        ps.setObject(1, ts(now.plus(lease)));
                        ps.setLong(2, e.id());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return List.copyOf(claimed);
        });
    }

    private boolean anyDue(Connection c, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM opencx_outbox WHERE status = 'PENDING'"
                + " AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?) LIMIT 1")) {
            ps.setObject(1, ts(now));
            ps.setObject(2, ts(now));
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    @Override
    public void outboxDelivered(long entryId, int attempts) {
        tx("marking an outbox entry delivered", c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE opencx_outbox SET status = 'DELIVERED', attempts = ?, claimed_until = NULL WHERE id = ?")) {
                ps.setInt(1, attempts);
                ps.setLong(2, entryId);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                throw new IllegalArgumentException("no outbox entry with id " + entryId);
            }
            return null;
        });
    }

    @Override
    public void outboxRetry(long entryId, int attempts, Instant nextAttemptAt, String error) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(error, "error");
        tx("scheduling an outbox retry", c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE opencx_outbox SET attempts = ?, next_attempt_at = ?,"
                    + " last_error = ?, claimed_until = NULL WHERE id = ? AND status = 'PENDING'")) {
                ps.setInt(1, attempts);
                ps.setObject(2, ts(nextAttemptAt));
                ps.setString(3, error);
                ps.setLong(4, entryId);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                try (PreparedStatement ps = c.prepareStatement("SELECT status FROM opencx_outbox WHERE id = ?")) {
                    ps.setLong(1, entryId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw new IllegalArgumentException("no outbox entry with id " + entryId);
                        }
                        throw new IllegalStateException("outbox entry " + entryId + " is already " + rs.getString(1));
                    }
                }
            }
            return null;
        });
    }

    @Override
    public void outboxDead(long entryId, int attempts, String error) {
        Objects.requireNonNull(error, "error");
        tx("marking an outbox entry dead", c -> {
            int n;
            try (PreparedStatement ps = c.prepareStatement("UPDATE opencx_outbox SET status = 'DEAD', attempts = ?,"
                    + " last_error = ?, claimed_until = NULL WHERE id = ?")) {
                ps.setInt(1, attempts);
                ps.setString(2, error);
                ps.setLong(3, entryId);
                n = ps.executeUpdate();
            }
            if (n == 0) {
                throw new IllegalArgumentException("no outbox entry with id " + entryId);
            }
            return null;
        });
    }

    @Override
    public List<OutboxEntry> outbox(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return read("reading a session's outbox", c -> {
            List<OutboxEntry> out;
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + OUTBOX_COLUMNS + " FROM opencx_outbox WHERE session_id = ? ORDER BY id")) {
                ps.setString(1, sessionId);
                out = readOutbox(ps);
            }
            if (out.isEmpty()) {
                requireSession(c, sessionId, false);
            }
            return List.copyOf(out);
        });
    }

    private List<OutboxEntry> readOutbox(PreparedStatement ps) throws SQLException {
        List<OutboxEntry> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new OutboxEntry(
                        rs.getLong(1),
                        rs.getString(2),
                        new OutboxItem(
                                OutboxKind.valueOf(rs.getString(3)), rs.getString(4), rs.getString(5), rs.getString(6)),
                        OutboxStatus.valueOf(rs.getString(7)),
                        rs.getInt(8),
                        instant(rs, 9),
                        rs.getString(10),
                        instant(rs, 11)));
            }
        }
        return out;
    }

    // ---- the PII vault ----

    @Override
    public void putVaultEntries(String sessionId, List<VaultEntry> entries) {
        Objects.requireNonNull(sessionId, "sessionId");
        List<VaultEntry> copy = List.copyOf(entries);
        tx("storing PII vault entries", c -> {
            requireSession(c, sessionId, true); // serializes writers of one session
            java.util.Set<String> existing = new java.util.HashSet<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT placeholder FROM opencx_pii_vault WHERE session_id = ?")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        existing.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO opencx_pii_vault"
                    + " (session_id, placeholder, pii_type, sealed_value, created_at) VALUES (?, ?, ?, ?, ?)")) {
                for (VaultEntry e : copy) {
                    if (existing.add(e.placeholder())) {
                        ps.setString(1, sessionId);
                        ps.setString(2, e.placeholder());
                        ps.setString(3, e.type());
                        ps.setString(4, e.sealedValue());
                        ps.setObject(5, ts(now()));
                        ps.executeUpdate();
                    }
                }
            }
            return null;
        });
    }

    @Override
    public List<VaultEntry> vaultEntries(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return read("reading PII vault entries", c -> {
            requireSession(c, sessionId, false);
            List<VaultEntry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT placeholder, pii_type, sealed_value"
                    + " FROM opencx_pii_vault WHERE session_id = ? ORDER BY ord")) {
                ps.setString(1, sessionId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new VaultEntry(rs.getString(1), rs.getString(2), rs.getString(3)));
                    }
                }
            }
            return List.copyOf(out);
        });
    }

    @Override
    public int deleteVaultEntries(String sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return tx("deleting PII vault entries", c -> {
            requireSession(c, sessionId, true);
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM opencx_pii_vault WHERE session_id = ?")) {
                ps.setString(1, sessionId);
                return ps.executeUpdate();
            }
        });
    }

    // ---- lifecycle ----

    @Override
    public void close() {
        if (closed.compareAndSet(false, true) && !ownedPools.isEmpty()) {
            for (HikariDataSource pool : ownedPools) {
                pool.close();
            }
            log.debug("closed the conversation store at {}", where);
        }
    }

    @Override
    public String toString() {
        return "JdbcConversationStore{" + dialect + ", " + where + "}";
    }

    // ---- plumbing ----

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /**
     * Runs {@code work}, which writes, in one transaction; SQL failures become {@link
     * OpenCxException}. On a single-writer database the write transactions of concurrent callers
     * share commits ({@link GroupCommitWriter}).
     */
    private <T> T tx(String what, SqlWork<T> work) {
        return tx(what, (c, undo) -> work.run(c));
    }

    /**
     * Like {@link #tx(String, SqlWork)} for a body that may discard its own writes part way ({@link
     * GroupCommitWriter.Undo}): the whole transaction on H2 and PostgreSQL, the body's savepoint in a
     * SQLite batch. A body never calls {@link Connection#rollback()} or {@link Connection#commit()}.
     */
    private <T> T tx(String what, GroupCommitWriter.Body<T> work) {
        checkOpen();
        if (writer == null) {
            return inTransaction(writeSource, what, c -> work.run(c, c::rollback));
        }
        try {
            return writer.write(what, work);
        } catch (SQLException e) {
            throw translate(what, where, e);
        }
    }

    /** The pools this store opened and closes: the writer's first on SQLite (for tests). */
    List<HikariDataSource> ownedPools() {
        return ownedPools;
    }

    /** The SQLite writer, or null on databases with row locks (for tests). */
    GroupCommitWriter writer() {
        return writer;
    }

    /** Runs {@code work}, which only reads, in one transaction (one consistent snapshot). */
    private <T> T read(String what, SqlWork<T> work) {
        checkOpen();
        return inTransaction(dataSource, what, work);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("the conversation store is closed");
        }
    }

    private <T> T inTransaction(DataSource source, String what, SqlWork<T> work) {
        try (Connection c = source.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            } finally {
                try {
                    c.setAutoCommit(true);
                } catch (SQLException ignored) {
                    // the pool discards a broken connection
                }
            }
        } catch (SQLException e) {
            throw translate(what, where, e);
        }
    }

    static OpenCxException translate(String what, String where, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        boolean connection = state.startsWith("08")
                || e instanceof SQLNonTransientConnectionException
                || e instanceof SQLRecoverableException
                || e instanceof java.sql.SQLTransientConnectionException;
        if (connection) {
            return OpenCxException.retriable(
                    "cannot reach the conversation store database at " + where + " while " + what + ": "
                            + e.getMessage(),
                    e);
        }
        boolean transientFailure = e instanceof SQLTransientException
                || isSqliteBusy(e)
                || state.startsWith("40")
                || state.equals("HYT00")
                || state.equals("55P03")
                || state.equals("57014");
        return new OpenCxException(
                "conversation store failed while " + what + " at " + where + " (SQLState " + state + "): "
                        + e.getMessage(),
                e,
                transientFailure);
    }

    static boolean isUniqueViolation(SQLException e) {
        if ("23505".equals(e.getSQLState())) {
            return true;
        }
        // SQLite reports no SQLState: SQLITE_CONSTRAINT (19), named in the message
        String message = e.getMessage() == null ? "" : e.getMessage();
        return e.getErrorCode() == 19
                && (message.contains("SQLITE_CONSTRAINT_UNIQUE") || message.contains("SQLITE_CONSTRAINT_PRIMARYKEY"));
    }

    /** SQLite's SQLITE_BUSY (5) and SQLITE_LOCKED (6), extended codes included: worth a retry. */
    private static boolean isSqliteBusy(SQLException e) {
        int primary = e.getErrorCode() & 0xff;
        return (primary == 5 || primary == 6) && e.getClass().getName().startsWith("org.sqlite.");
    }

    /** The URL with any password parameter masked. */
    static String redact(String url) {
        return SECRET.matcher(url).replaceAll("$1=***");
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    private Object ts(Instant i) {
        return dialect.timestamp(i);
    }

    private Instant instant(ResultSet rs, int column) throws SQLException {
        return dialect.instant(rs, column);
    }

    private static void update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    /**
     * How SQLite flushes its log to the disk ({@code PRAGMA synchronous}); see {@link
     * Builder#sqliteSynchronous}. What the flush costs depends on the disk: on this project's
     * 2-core VM (ext4 on a virtual disk, under load) an append of one message took about 4 ms with
     * {@code FULL} against 0.25 ms with {@code NORMAL}, and the store took 170 to 215 appends per
     * second against 830 to 1,320 (1 to 16 writing threads, measured before concurrent writes
     * shared commits). With group commit, concurrent writers share the flush, so {@code FULL} costs
     * latency (one flush per batch) more than throughput once several turns write at once.
     */
    public enum SqliteSynchronous {
        /**
         * The default: the log is flushed to the disk at every commit, so a write the store returned
         * from survives a crash of the process and a power loss or kernel crash.
         */
        FULL,
        /**
         * The log is flushed only when it is copied into the database file (a checkpoint): a write
         * the store returned from survives a crash of the process ({@code kill -9}, an out-of-memory
         * kill) but the last commits may be lost on a power loss or kernel crash. The file stays
         * consistent either way.
         */
        NORMAL
    }

    /**
     * Configures a {@link JdbcConversationStore}. Exactly one of {@link #sqlite}, {@link #url} and
     * {@link #dataSource} must be set; everything else has a default.
     */
    public static final class Builder {
        private DataSource dataSource;
        private String url;
        private Path sqliteDir;
        private String user;
        private String password;
        private Clock clock = Clock.systemUTC();
        private int maxPoolSize = 8;
        private Duration connectionTimeout = Duration.ofSeconds(10);
        private SqliteSynchronous sqliteSynchronous = SqliteSynchronous.FULL;

        private Builder() {}

        /**
         * The embedded, crash-safe database: SQLite in {@code dataDir/opencx.db} ({@link
         * JdbcConversationStore#SQLITE_FILE_NAME}). The folder (and its missing parents) are created {@code rwx------} and
         * the file {@code rw-------} before anything is written to it, where the file system has
         * POSIX permissions; existing ones are left as they are. Needs {@code org.xerial:sqlite-jdbc}
         * on the classpath.
         */
        public Builder sqlite(Path dataDir) {
            this.sqliteDir = Objects.requireNonNull(dataDir, "dataDir");
            return this;
        }

        /**
         * How SQLite flushes to the disk; default {@link SqliteSynchronous#FULL}. Applies to {@link
         * #sqlite} and {@code jdbc:sqlite:} URLs without their own {@code synchronous} parameter.
         */
        public Builder sqliteSynchronous(SqliteSynchronous mode) {
            this.sqliteSynchronous = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Use your own pool (e.g. a {@code HikariDataSource} you configure); the store never closes it. For SQLite, configure the
         * pool's connections yourself ({@code journal_mode=WAL}, {@code synchronous=FULL}, {@code
         * busy_timeout}, {@code foreign_keys=true}); the store runs its writes one at a time in this
         * JVM, and a second process on the same file may then see {@code SQLITE_BUSY} (retriable).
         * {@link #sqlite} does all of it for you.
         */
        public Builder dataSource(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
            return this;
        }

        /**
         * Connect through the URL's JDBC driver with a HikariCP pool the store owns. A {@code
         * jdbc:sqlite:} URL gets the settings of {@link #sqlite} (its own parameters win), but the
         * store creates no folder and sets no file permissions for it.
         *
         * @param url a JDBC URL, never null
         * @param user may be null when the URL carries it
         * @param password may be null; never logged or put in exception messages
         */
        public Builder url(String url, String user, String password) {
            this.url = Objects.requireNonNull(url, "url");
            this.user = user;
            this.password = password;
            return this;
        }

        /** Where timestamps come from; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The size of the store's own HikariCP pool; default 8. The pool keeps this many connections
         * open (opened in the background once the first has connected). On SQLite these are the
         * read connections, and writes have one connection of their own. Ignored with {@link
         * #dataSource}.
         */
        public Builder maxPoolSize(int maxPoolSize) {
            if (maxPoolSize < 1) {
                throw new IllegalArgumentException("maxPoolSize must be >= 1, was " + maxPoolSize);
            }
            this.maxPoolSize = maxPoolSize;
            return this;
        }

        /**
         * How long a caller waits for a free pooled connection (at least 250 ms, HikariCP's lower
         * bound), and on SQLite for its turn to write (and SQLite's {@code busy_timeout}); default
         * 10 s.
         */
        public Builder connectionTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connectionTimeout must be positive, was " + timeout);
            }
            this.connectionTimeout = timeout;
            return this;
        }

        /**
         * Connects, checks the database, and applies pending schema migrations.
         *
         * @throws IllegalStateException when not exactly one of sqlite, url and dataSource is set, the
         *     database is not SQLite, H2 or PostgreSQL, or the SQLite driver is missing for {@link
         *     #sqlite}
         * @throws IllegalArgumentException for an in-memory SQLite URL (each connection would see
         *     its own database: use {@link dev.opencx.store.InMemoryConversationStore})
         * @throws OpenCxException when the database cannot be reached (retriable) or a migration fails
         */
        public JdbcConversationStore build() {
            int sources = (dataSource != null ? 1 : 0) + (url != null ? 1 : 0) + (sqliteDir != null ? 1 : 0);
            if (sources != 1) {
                throw new IllegalStateException("set exactly one of sqlite(..), url(..) and dataSource(..); "
                        + (sources == 0 ? "none was set" : sources + " were set"));
            }
            String jdbcUrl = url;
            if (sqliteDir != null) {
                requireDriver(
                        "org.sqlite.JDBC",
                        "the embedded conversation store needs SQLite on the classpath: add the dependency"
                                + " org.xerial:sqlite-jdbc, or build a JdbcConversationStore for another database");
                PrivateFiles.createDirectories(sqliteDir);
                Path file = sqliteDir.toAbsolutePath().resolve(SQLITE_FILE_NAME);
                PrivateFiles.createFile(file); // empty and private before SQLite writes a byte
                jdbcUrl = "jdbc:sqlite:" + file;
            }
            List<HikariDataSource> pools = new ArrayList<>();
            DataSource reads;
            DataSource writes;
            String where = jdbcUrl != null
                    ? redact(jdbcUrl)
                    : "DataSource " + dataSource.getClass().getName();
            try {
                if (jdbcUrl != null && jdbcUrl.startsWith("jdbc:sqlite:")) {
                    String lower = jdbcUrl.toLowerCase(java.util.Locale.ROOT);
                    if (lower.contains(":memory:") || lower.contains("mode=memory")) {
                        throw new IllegalArgumentException("an in-memory SQLite database (" + redact(jdbcUrl)
                                + ") exists once per connection: use InMemoryConversationStore, or a file");
                    }
                    Map<String, String> settings = Map.of(
                            "journal_mode",
                            "WAL",
                            "synchronous",
                            sqliteSynchronous.name(),
                            "busy_timeout",
                            Long.toString(connectionTimeout.toMillis()),
                            "foreign_keys",
                            "true");
                    Map<String, String> writerSettings = new HashMap<>(settings);
                    writerSettings.put("transaction_mode", "IMMEDIATE");
                    // the one writer connection, then the readers: each SQLite connection gets the
                    // pragmas as driver properties when it is opened
                    pools.add(Pools.open(
                            "sqlite-writer",
                            jdbcUrl,
                            user,
                            password,
                            writerSettings,
                            1,
                            connectionTimeout,
                            null,
                            where));
                    pools.add(Pools.open(
                            "sqlite-readers",
                            jdbcUrl,
                            user,
                            password,
                            settings,
                            maxPoolSize,
                            connectionTimeout,
                            "PRAGMA query_only = ON",
                            where));
                    writes = pools.get(0);
                    reads = pools.get(1);
                } else if (jdbcUrl != null) {
                    pools.add(Pools.open(
                            "jdbc", jdbcUrl, user, password, Map.of(), maxPoolSize, connectionTimeout, null, where));
                    writes = reads = pools.get(0);
                } else {
                    writes = reads = dataSource;
                }
                Dialect dialect;
                try (Connection c = writes.getConnection()) {
                    dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
                    if (dialect == Dialect.SQLITE) {
                        checkWal(c, where);
                    }
                }
                int version = new SchemaMigrator(writes, dialect).migrate();
                log.info("conversation store ready: {} schema version {} at {}", dialect, version, where);
                return new JdbcConversationStore(reads, writes, pools, connectionTimeout, clock, dialect, where);
            } catch (SQLException e) {
                closeQuietly(pools);
                throw translate("connecting", where, e);
            } catch (RuntimeException e) {
                closeQuietly(pools);
                throw e;
            }
        }

        /** Warns when a SQLite database is not in WAL mode (readers would then wait for writers). */
        private static void checkWal(Connection c, String where) throws SQLException {
            try (Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                String mode = rs.next() ? rs.getString(1) : "";
                if (!"wal".equalsIgnoreCase(mode)) {
                    log.warn(
                            "the SQLite conversation store at {} is in journal mode '{}', not WAL: reads wait for"
                                    + " writes; set journal_mode=WAL",
                            where,
                            mode);
                }
            }
        }

        private static void closeQuietly(List<HikariDataSource> pools) {
            for (HikariDataSource pool : pools) {
                pool.close();
            }
        }
    }
}
