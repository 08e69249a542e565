-- A snapshot records the chain hash of the position it was taken at. Never edit once landed.

-- At load, a snapshot whose position is past the log's head or whose hash is not the log's hash
-- at that position is discarded (the read model is rebuilt from the log). Snapshots saved
-- before this migration have no hash and are discarded once.
ALTER TABLE snapshots ADD COLUMN chain_hash BLOB;
