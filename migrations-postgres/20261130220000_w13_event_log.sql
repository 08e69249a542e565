-- The event log on PostgreSQL and the store's side tables. Never edit once landed: add a new migration instead.
-- The columns hold exactly what the SQLite log holds (texts as stored, hashes and event ids as raw
-- bytes), so a log moves between the two backends with identical positions and hashes.

CREATE TABLE events (
    position        BIGINT PRIMARY KEY CHECK (position >= 1),
    stream_id       TEXT   NOT NULL CHECK (length(stream_id) > 0),
    stream_version  BIGINT NOT NULL CHECK (stream_version >= 1),
    event_id        BYTEA  NOT NULL UNIQUE CHECK (length(event_id) = 16),
    event_type      TEXT   NOT NULL,
    schema_version  BIGINT NOT NULL,
    payload         TEXT   NOT NULL,
    metadata        TEXT   NOT NULL,
    recorded_at     TEXT   NOT NULL,
    effective_at    TEXT   NOT NULL,
    hash            BYTEA  NOT NULL CHECK (length(hash) = 32),
    UNIQUE (stream_id, stream_version)
);

-- The head of the log: every append locks this row (SELECT … FOR UPDATE), so appends from every
-- process are serialized, positions are assigned in commit order without gaps, and the chain
-- continues from the committed head.
CREATE TABLE log_head (
    id        INTEGER PRIMARY KEY CHECK (id = 1),
    position  BIGINT  NOT NULL CHECK (position >= 0),
    hash      BYTEA   NOT NULL CHECK (length(hash) = 32)
);
INSERT INTO log_head (id, position, hash) VALUES (1, 0, decode(repeat('00', 32), 'hex'));

-- Append-only: no update, delete or truncate of the log, whatever the privileges of the caller.
CREATE FUNCTION events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'append_only: events cannot be changed (%)', TG_OP USING ERRCODE = 'P0001';
END
$$;
CREATE TRIGGER events_refuse_update_delete BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_refuse_change();
CREATE TRIGGER events_refuse_truncate BEFORE TRUNCATE ON events
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

-- The head only moves forward, and is never removed.
CREATE FUNCTION log_head_forward() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'UPDATE' OR NEW.position < OLD.position THEN
        RAISE EXCEPTION 'append_only: the log head only moves forward' USING ERRCODE = 'P0001';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER log_head_forward BEFORE UPDATE OR DELETE ON log_head
    FOR EACH ROW EXECUTE FUNCTION log_head_forward();
CREATE TRIGGER log_head_refuse_truncate BEFORE TRUNCATE ON log_head
    FOR EACH STATEMENT EXECUTE FUNCTION events_refuse_change();

REVOKE UPDATE, DELETE, TRUNCATE ON events FROM PUBLIC;
REVOKE UPDATE, DELETE, TRUNCATE ON events FROM CURRENT_USER;
REVOKE DELETE, TRUNCATE ON log_head FROM PUBLIC;
REVOKE DELETE, TRUNCATE ON log_head FROM CURRENT_USER;

-- Idempotent retries: the first result of each command id with its origin, written in the same
-- transaction as its events.
CREATE TABLE commands (
    command_id  TEXT PRIMARY KEY,
    result      TEXT NOT NULL,
    principal   TEXT,
    digest      TEXT
);

-- Projection snapshots (outside the log, not chained; may be deleted at any time), with the chain
-- hash of the position they were taken at.
CREATE TABLE snapshots (
    name        TEXT   PRIMARY KEY,
    version     BIGINT NOT NULL,
    position    BIGINT NOT NULL,
    data        BYTEA  NOT NULL,
    saved_at    TEXT   NOT NULL,
    chain_hash  BYTEA
);

-- API bearer tokens, by hash (the token itself is never stored). Times are RFC 3339 UTC texts.
CREATE TABLE tokens (
    hash        TEXT PRIMARY KEY,
    role        TEXT NOT NULL,
    scope       TEXT,
    label       TEXT,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT,
    expires_at  TEXT
);
