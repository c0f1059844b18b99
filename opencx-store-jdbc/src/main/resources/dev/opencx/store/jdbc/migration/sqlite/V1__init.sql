-- OpenCX conversation store, schema version 1, SQLite 3.37+ (STRICT tables).
-- The same tables as ../V1__init.sql, with SQLite's means: generated ids are INTEGER PRIMARY KEY
-- AUTOINCREMENT (never reused, even after the row with the highest id was deleted), ticket numbers
-- come from a counter row updated in the transaction that opens the session, and instants are
-- ISO-8601 UTC text with six fractional digits (text order is time order).
-- Statements are separated by a ';' at the end of a line.

CREATE TABLE opencx_contacts (
    ord           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    id            TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
) STRICT;

CREATE TABLE opencx_identities (
    ord            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    identity_type  TEXT    NOT NULL,
    identity_value TEXT    NOT NULL,
    contact_id     TEXT    NOT NULL REFERENCES opencx_contacts (id),
    UNIQUE (identity_type, identity_value)
) STRICT;
CREATE INDEX opencx_identities_contact ON opencx_identities (contact_id);

CREATE TABLE opencx_contact_merges (
    merged_id   TEXT NOT NULL PRIMARY KEY,
    survivor_id TEXT NOT NULL,
    merged_at   TEXT NOT NULL
) STRICT;
CREATE INDEX opencx_contact_merges_survivor ON opencx_contact_merges (survivor_id);

-- counters handed out in the transaction of the write they belong to: 'ticket' is the last ticket
-- number taken (the first session gets #1000)
CREATE TABLE opencx_counters (
    name  TEXT    NOT NULL PRIMARY KEY,
    value INTEGER NOT NULL
) STRICT;
INSERT INTO opencx_counters (name, value) VALUES ('ticket', 999);

CREATE TABLE opencx_sessions (
    id               TEXT    NOT NULL PRIMARY KEY,
    ticket           INTEGER NOT NULL UNIQUE,
    channel          TEXT    NOT NULL,
    contact_id       TEXT    NOT NULL REFERENCES opencx_contacts (id),
    thread_id        TEXT    NOT NULL,
    state            TEXT    NOT NULL,
    assignee         TEXT    NOT NULL,
    topic            TEXT    NOT NULL,
    locale           TEXT    NOT NULL,
    opened_at        TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL,
    last_seq         INTEGER NOT NULL,
    last_message_seq INTEGER NOT NULL,
    handled_seq      INTEGER NOT NULL
) STRICT;
CREATE INDEX opencx_sessions_contact ON opencx_sessions (contact_id, channel, thread_id);
CREATE INDEX opencx_sessions_updated ON opencx_sessions (updated_at, ticket);

CREATE TABLE opencx_events (
    session_id TEXT    NOT NULL REFERENCES opencx_sessions (id),
    seq        INTEGER NOT NULL,
    created_at TEXT    NOT NULL,
    event_type TEXT    NOT NULL,
    payload    TEXT    NOT NULL,
    PRIMARY KEY (session_id, seq)
) STRICT;

CREATE TABLE opencx_dedupe (
    channel     TEXT    NOT NULL,
    external_id TEXT    NOT NULL,
    session_id  TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (channel, external_id)
) STRICT;

CREATE TABLE opencx_outbox (
    id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id      TEXT    NOT NULL REFERENCES opencx_sessions (id),
    event_seq       INTEGER NOT NULL,
    kind            TEXT    NOT NULL,
    target          TEXT    NOT NULL,
    idempotency_key TEXT    NOT NULL,
    payload         TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT    NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
) STRICT;
CREATE INDEX opencx_outbox_due ON opencx_outbox (status, next_attempt_at);
CREATE INDEX opencx_outbox_session ON opencx_outbox (session_id, id);
