-- OpenCX conversation store, schema version 2, SQLite: the PII vault (see ../V2__pii_vault.sql).

CREATE TABLE opencx_pii_vault (
    ord          INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    session_id   TEXT    NOT NULL REFERENCES opencx_sessions (id),
    placeholder  TEXT    NOT NULL,
    pii_type     TEXT    NOT NULL,
    sealed_value TEXT    NOT NULL,
    created_at   TEXT    NOT NULL,
    UNIQUE (session_id, placeholder)
) STRICT;
