-- The position of the last append whose rule spans streams (one ID number per cadre, 回避, one
-- open review per cadre), kept on the head row so that every process checks it under the head
-- lock: such an append decided on facts older than this position (by another decision) is
-- refused and decided again.
ALTER TABLE log_head ADD COLUMN exclusive BIGINT NOT NULL DEFAULT 0 CHECK (exclusive >= 0);
-- The decision that append belonged to (a batch of entries decided together shares one).
ALTER TABLE log_head ADD COLUMN exclusive_by BIGINT NOT NULL DEFAULT 0;
