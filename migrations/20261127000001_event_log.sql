-- The event log and the store's side tables. Never edit once landed: add a new migration instead.

-- The log: one row per event, global gapless position, hash-chained (see dossier-store's `hash` module).
CREATE TABLE events (
    position        INTEGER PRIMARY KEY,
    stream_id       TEXT    NOT NULL CHECK (length(stream_id) > 0),
    stream_version  INTEGER NOT NULL CHECK (stream_version >= 1),
    event_id        BLOB    NOT NULL UNIQUE CHECK (length(event_id) = 16),
    event_type      TEXT    NOT NULL,
    schema_version  INTEGER NOT NULL,
    payload         TEXT    NOT NULL,
    metadata        TEXT    NOT NULL,
    recorded_at     TEXT    NOT NULL,
    effective_at    TEXT    NOT NULL,
    hash            BLOB    NOT NULL,
    UNIQUE (stream_id, stream_version)
);

CREATE TRIGGER events_refuse_update BEFORE UPDATE ON events
BEGIN
    SELECT RAISE(ABORT, 'append_only: events cannot be updated');
END;

CREATE TRIGGER events_refuse_delete BEFORE DELETE ON events
BEGIN
    SELECT RAISE(ABORT, 'append_only: events cannot be deleted');
END;

-- Idempotent retries: the first result of each command id, written in the same transaction as its events.
CREATE TABLE commands (
    command_id  TEXT PRIMARY KEY,
    result      TEXT NOT NULL
) WITHOUT ROWID;

-- Projection snapshots (outside the log, not part of the hash chain; may be deleted at any time).
CREATE TABLE snapshots (
    name      TEXT    PRIMARY KEY,
    version   INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    data      BLOB    NOT NULL,
    saved_at  TEXT    NOT NULL
);

-- API bearer tokens, by hash (the token itself is never stored).
CREATE TABLE tokens (
    hash        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    scope       TEXT,
    label       TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);
