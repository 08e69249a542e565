-- Command ids in the order they were recorded. Never edit once landed.

-- The idempotency records were a table keyed by the command id: client-chosen ids are
-- scattered, so every group commit wrote one page of that table per command id. They are now
-- kept in insertion order (`seq`), so a group's records land on a few consecutive pages; the
-- store looks an id up through an index it keeps in memory (built from this table at open).
CREATE TABLE command_log (
    seq         INTEGER PRIMARY KEY,
    command_id  TEXT NOT NULL,
    result      TEXT NOT NULL,
    principal   TEXT,
    digest      TEXT
);
INSERT INTO command_log (command_id, result, principal, digest)
    SELECT command_id, result, principal, digest FROM commands ORDER BY command_id;
DROP TABLE commands;
ALTER TABLE command_log RENAME TO commands;
