-- OpenCX conversation store, schema version 2: the PII vault.
-- Each row is one placeholder of a session ([EMAIL_1]) and its value sealed with AES-GCM by the
-- application's key (dev.opencx.pii.PiiVault): the database never holds the value in clear.

CREATE TABLE opencx_pii_vault (
    session_id   VARCHAR(64)              NOT NULL REFERENCES opencx_sessions (id),
    placeholder  VARCHAR(64)              NOT NULL,
    ord          BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    pii_type     VARCHAR(40)              NOT NULL,
    sealed_value ${text}                  NOT NULL,
    created_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (session_id, placeholder)
);
