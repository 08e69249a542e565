-- The log refuses `INSERT OR REPLACE` (and `REPLACE INTO`). Never edit once landed.

-- A REPLACE deletes the rows it conflicts with without firing DELETE triggers, so the
-- append-only triggers alone do not stop it from rewriting or removing events. Refuse any insert
-- that would collide with an existing position, event id or stream version before the conflict
-- resolution runs. The messages name the column, as SQLite's own constraint errors do.
CREATE TRIGGER events_refuse_replace BEFORE INSERT ON events
WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position)
  OR EXISTS (SELECT 1 FROM events WHERE event_id = NEW.event_id)
  OR EXISTS (SELECT 1 FROM events WHERE stream_id = NEW.stream_id AND stream_version = NEW.stream_version)
BEGIN
    SELECT RAISE(ABORT, 'append_only: an event with this position, events.event_id or stream version exists');
END;
