-- API tokens may expire. Never edit once landed.

-- RFC 3339 UTC; NULL: the token does not expire.
ALTER TABLE tokens ADD COLUMN expires_at TEXT;
