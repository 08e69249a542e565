-- A command id answers only to whoever issued it, with the same input. Never edit once landed.

-- `principal`: who issued the command (the token's identity and role); `digest`: SHA-256 (hex)
-- of its input. A retry is answered with the stored result only when both match; rows written
-- before this migration have neither and are answered to nobody.
ALTER TABLE commands ADD COLUMN principal TEXT;
ALTER TABLE commands ADD COLUMN digest TEXT;
