-- One row the writer rewrites to find out whether the disk takes writes again after a fault.
-- Not part of the log and not chained.
CREATE TABLE write_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    probed_at TEXT NOT NULL,
    pad BLOB NOT NULL
);
